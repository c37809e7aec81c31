/// A response whose status and headers have arrived while the body is still
/// being received.
///
/// The body stream is pull-driven: when the consumer falls behind, the
/// transfer pauses instead of buffering without bound. Cancelling the task
/// that iterates `body`, or dropping the stream, aborts the transfer and
/// frees its connection.
///
/// Like every `AsyncThrowingStream`, iteration in a cancelled task may end
/// by returning nil rather than throwing; check `Task.isCancelled` (or use
/// `collectBody`, which does) before treating the body as complete.
public struct HTTPClientStreamingResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    /// Body bytes in arbitrary-sized chunks, ending normally at the end of the
    /// response or throwing `HTTPClientError` (or `CancellationError`).
    public var body: AsyncThrowingStream<[UInt8], any Error>

    public init(status: Int, headers: HTTPHeaders, body: AsyncThrowingStream<[UInt8], any Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var isSuccess: Bool { (200..<300).contains(status) }

    /// Reads the rest of the body into memory; throws `CancellationError`
    /// if the task is cancelled first.
    public func collectBody() async throws -> [UInt8] {
        var collected: [UInt8] = []
        for try await chunk in body {
            collected.append(contentsOf: chunk)
        }
        // A cancelled stream may simply end; never pass that off as complete.
        try Task.checkCancellation()
        return collected
    }
}
