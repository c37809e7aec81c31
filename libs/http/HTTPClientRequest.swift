/// Everything needed to perform one HTTP exchange.
public struct HTTPClientRequest: Sendable {
    public var method: HTTPMethod
    /// Absolute URL. For unix-socket requests the host part is ignored by the
    /// transport but still sent as `Host:`; use e.g. `http://localhost/_ping`.
    public var url: String
    public var headers: HTTPHeaders
    /// Request body; `nil` sends none. POST/PUT/PATCH without a body send
    /// `Content-Length: 0`, which some servers (Docker among them) expect.
    public var body: [UInt8]?
    /// Limit for the whole exchange, including reading a streamed body.
    /// `nil` means no limit (long-lived streams); connect still times out.
    public var timeout: Duration?
    /// When set, connects to this unix domain socket instead of TCP
    /// (CURLOPT_UNIX_SOCKET_PATH), e.g. "/var/run/docker.sock".
    public var unixSocketPath: String?

    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8]? = nil,
        timeout: Duration? = .seconds(30),
        unixSocketPath: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.unixSocketPath = unixSocketPath
    }
}
