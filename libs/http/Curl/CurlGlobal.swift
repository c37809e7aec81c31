import CCurl

/// curl_global_init is not thread-safe and must run once before any other
/// libcurl call; a `static let` gives exactly-once, thread-safe laziness.
enum CurlGlobal {
    static let initialization: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    static func ensureInitialized() throws(HTTPClientError) {
        let code = initialization
        guard code == CURLE_OK else {
            throw HTTPClientError(curlCode: code, detail: nil)
        }
    }
}
