import CCurl

extension CurlTransfer {
    /// Connect attempts give up after this long even for requests without an
    /// overall timeout, so a dead endpoint cannot hang a stream forever.
    static let connectTimeoutMilliseconds = 10_000

    /// Applies `request` to the (not yet submitted) easy handle.
    func configure(for request: HTTPClientRequest) throws(HTTPClientError) {
        try set(CURLOPT_URL, string: request.url)
        // Signals are process-wide; libcurl must not use them from our thread.
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try set(CURLOPT_BUFFERSIZE, 64 * 1024)
        try check(synth_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        if let socketPath = request.unixSocketPath {
            try set(CURLOPT_UNIX_SOCKET_PATH, string: socketPath)
        }

        try configureMethodAndBody(for: request)
        try configureHeaders(request.headers)
        try configureTimeouts(request.timeout)
        try installCallbacks()
    }

    private func configureMethodAndBody(for request: HTTPClientRequest) throws(HTTPClientError) {
        let method = request.method
        if method == .head {
            try set(CURLOPT_NOBODY, 1)
        }
        let sendsBody = request.body != nil || method == .post || method == .put || method == .patch
        if sendsBody {
            // COPYPOSTFIELDS makes curl own a copy, so no buffer must outlive this call.
            let body = request.body ?? []
            let code = body.withUnsafeBytes { bytes in
                synth_curl_set_copied_body(easy, bytes.baseAddress, curl_off_t(bytes.count))
            }
            try check(code)
        }
        // Setting a body implies POST; CUSTOMREQUEST swaps in the real verb.
        let implied: HTTPMethod = sendsBody ? .post : (method == .head ? .head : .get)
        if method != implied {
            try set(CURLOPT_CUSTOMREQUEST, string: method.rawValue)
        }
    }

    private func configureHeaders(_ headers: HTTPHeaders) throws(HTTPClientError) {
        var lines: [String] = []
        for field in headers {
            // CR/LF would let a value smuggle extra headers or a second request.
            // Checked on bytes: "\r\n" is one Swift Character, not two.
            guard !field.name.isEmpty,
                  !field.name.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x3A }),
                  !field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) else {
                throw HTTPClientError(kind: .invalidRequest, message: "invalid header field \(field.name)")
            }
            // "Name;" is curl's spelling of a header with an empty value.
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        if !headers.contains("Expect") {
            // curl would otherwise wait for "100 Continue" before large bodies.
            lines.append("Expect:")
        }
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw HTTPClientError(kind: .transport, message: "out of memory building headers")
            }
            headerList = appended
        }
        try check(synth_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList))
    }

    private func configureTimeouts(_ timeout: Duration?) throws(HTTPClientError) {
        var connectTimeout = Self.connectTimeoutMilliseconds
        if let timeout {
            // 0 would mean "no timeout" to curl, so round up to at least 1 ms.
            let milliseconds = max(1, Int(timeout.components.seconds) * 1000
                + Int(timeout.components.attoseconds / 1_000_000_000_000_000))
            try set(CURLOPT_TIMEOUT_MS, milliseconds)
            connectTimeout = min(connectTimeout, milliseconds)
        }
        try set(CURLOPT_CONNECTTIMEOUT_MS, connectTimeout)
    }

    private func installCallbacks() throws(HTTPClientError) {
        // The loop keeps this transfer alive while curl may call back, so an
        // unretained pointer is enough.
        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(synth_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, context))
        try check(synth_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
        try check(synth_curl_setopt_callback(easy, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            guard let data, let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            let length = size * count
            transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
            return length
        })
        try check(synth_curl_setopt_callback(easy, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let context else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        })
    }

    private func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(synth_curl_setopt_long(easy, option, value))
    }

    private func set(_ option: CURLoption, string value: String) throws(HTTPClientError) {
        // curl copies string options, so the temporary C string may go away.
        try check(synth_curl_setopt_string(easy, option, value))
    }

    private func check(_ code: CURLcode) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            throw HTTPClientError(curlCode: code, detail: nil)
        }
    }
}
