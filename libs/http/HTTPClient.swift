/// An HTTP/1.1 and HTTP/2 client over libcurl, usable from any task.
///
/// All transfers of one client are multiplexed on a single dedicated thread
/// (see `CurlMultiLoop`), so many requests can be in flight without blocking
/// Swift's cooperative thread pool, and keep-alive connections — TCP or unix
/// socket — are reused between requests. Create one client per process or
/// subsystem and share it; its thread ends once the client is released and
/// its last transfer has finished.
///
/// ```swift
/// let client = try HTTPClient()
/// let pong = try await client.execute(HTTPClientRequest(
///     url: "http://localhost/_ping", unixSocketPath: "/var/run/docker.sock"))
/// print(pong.status, pong.bodyText)
/// ```
public final class HTTPClient: Sendable {
    let loop: CurlMultiLoop

    /// - Parameter maximumCachedConnections: idle connections kept for reuse.
    public init(maximumCachedConnections: Int = 32) throws {
        loop = try CurlMultiLoop(maximumCachedConnections: maximumCachedConnections)
    }

    deinit {
        loop.shutdownWhenIdle()
    }

    /// Performs `request` and reads the whole response body into memory.
    ///
    /// Throws `HTTPClientError` for transport failures (HTTP error statuses
    /// are returned, not thrown) and `CancellationError` if the calling task
    /// is cancelled, which also aborts the transfer.
    /// The body is gathered on the client's thread and handed to the caller
    /// in one piece when the transfer ends, so a call costs one thread
    /// hand-off rather than one for the head and one per body chunk.
    public func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        try Task.checkCancellation()
        let transfer = try CurlTransfer(loop: loop, collectsWholeBody: true)
        try transfer.configure(for: request)
        loop.submit(.add(transfer))
        return try await transfer.awaitResponse()
    }
}
