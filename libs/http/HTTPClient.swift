import Synchronization

/// An HTTP/1.1 and HTTP/2 client over libcurl, usable from any task.
///
/// All transfers of one client are multiplexed on its dedicated thread(s)
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
    let loops: [CurlMultiLoop]
    private let nextLoop = Atomic<UInt>(0)

    /// - Parameters:
    ///   - maximumCachedConnections: idle connections kept for reuse (per loop).
    ///   - loops: threads driving transfers, each with its own multi handle and
    ///     connection cache; transfers are spread over them in turn. Every
    ///     wake-up of a loop walks all of its transfers (curl_multi_perform and
    ///     curl_multi_poll are linear in them), so with hundreds in flight one
    ///     loop becomes the bottleneck: a gateway with many concurrent calls
    ///     wants several.
    public init(maximumCachedConnections: Int = 32, loops: Int) throws {
        self.loops = try (0..<max(1, loops)).map { _ in try CurlMultiLoop(maximumCachedConnections: maximumCachedConnections) }
    }

    /// One loop: enough for clients with a handful of concurrent requests.
    public convenience init(maximumCachedConnections: Int = 32) throws {
        try self.init(maximumCachedConnections: maximumCachedConnections, loops: 1)
    }

    deinit {
        for loop in loops { loop.shutdownWhenIdle() }
    }

    /// The loop for the next transfer, in turn.
    var loop: CurlMultiLoop {
        if loops.count == 1 { return loops[0] }
        let index = nextLoop.add(1, ordering: .relaxed).oldValue
        return loops[Int(index % UInt(loops.count))]
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
        transfer.loop.submit(.add(transfer))
        return try await transfer.awaitResponse()
    }
}
