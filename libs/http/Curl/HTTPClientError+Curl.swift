import CCurl

extension HTTPClientError {
    /// Maps a failed CURLcode to our error kinds, preferring curl's detailed
    /// error-buffer text over the generic strerror text.
    init(curlCode code: CURLcode, detail: String?) {
        let kind: Kind
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timedOut
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            kind = .couldNotConnect
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT:
            kind = .invalidRequest
        default:
            kind = .transport
        }
        let message: String
        if let detail, !detail.isEmpty {
            message = detail
        } else {
            message = String(cString: curl_easy_strerror(code))
        }
        self.init(kind: kind, curlCode: Int(code.rawValue), message: message)
    }
}
