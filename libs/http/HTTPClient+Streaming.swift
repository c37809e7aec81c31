extension HTTPClient {
    /// Performs `request` and returns as soon as the status and headers have
    /// arrived; the body follows incrementally through `body`.
    ///
    /// The transfer stops when the body ends, fails, when the task iterating
    /// it is cancelled, or when the stream is released unread.
    public func stream(_ request: HTTPClientRequest) async throws -> HTTPClientStreamingResponse {
        try Task.checkCancellation()
        let transfer = try CurlTransfer(loop: loop)
        try transfer.configure(for: request)
        transfer.loop.submit(.add(transfer))
        let head = try await transfer.awaitHead()

        let owner = TransferOwner(transfer)
        let body = AsyncThrowingStream<[UInt8], any Error> {
            try await owner.transfer.nextBodyChunk()
        }
        return HTTPClientStreamingResponse(status: head.status, headers: head.headers, body: body)
    }
}

/// Held only by the body stream's closure: when the stream is released
/// (finished, cancelled or abandoned) this is freed, and an unfinished
/// transfer is aborted instead of lingering paused on its connection.
private final class TransferOwner: Sendable {
    let transfer: CurlTransfer

    init(_ transfer: CurlTransfer) {
        self.transfer = transfer
    }

    deinit {
        transfer.cancel()
    }
}
