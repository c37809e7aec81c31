import CCurl
import Foundation

/// One request's easy handle plus the hand-off between the loop thread
/// (producer: header/body callbacks, completion) and the Swift task reading
/// the response (consumer: `awaitHead`, `nextBodyChunk`, or `awaitResponse`
/// for a transfer that collects its whole body).
///
/// Thread-safety (why `@unchecked Sendable` is sound): the easy handle and
/// header list are configured before submission and afterwards touched only
/// by the loop thread; everything the two sides share lives in `state` and is
/// read or written only while holding `lock`. Continuations are resumed after
/// the lock is released so resumed code never runs under it.
final class CurlTransfer: @unchecked Sendable {
    /// Above this many unread bytes the write callback pauses the transfer
    /// (backpressure) until the consumer catches up.
    static let bufferHighWaterMark = 1 << 20

    struct State {
        var status: Int?
        var headers = HTTPHeaders()
        var head: Result<CurlResponseHead, any Error>?
        var headDelivered = false
        var headWaiter: CheckedContinuation<CurlResponseHead, any Error>?

        var chunks: [[UInt8]] = []
        var bufferedBytes = 0
        var pausedForBackpressure = false
        var bodyWaiter: CheckedContinuation<[UInt8]?, any Error>?

        var completion: Result<Void, any Error>?
        var endOfBodyDelivered = false
        var cancelled = false

        /// Whole-body transfers only: the body so far, and whoever waits for the end.
        var body: [UInt8] = []
        var response: Result<HTTPClientResponse, any Error>?
        var responseWaiter: CheckedContinuation<HTTPClientResponse, any Error>?
    }

    let easy: UnsafeMutableRawPointer
    let loop: CurlMultiLoop
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// When set, the body is gathered on the loop thread and handed over once,
    /// with the head, when the transfer ends: one thread hand-off per request
    /// instead of one for the head and one per body chunk. Fixed at creation.
    let collectsWholeBody: Bool
    /// Loop thread (or deinit) only.
    private var resourcesReleased = false

    private let lock = NSLock()
    private var state = State()

    var key: UInt { UInt(bitPattern: easy) }

    init(loop: CurlMultiLoop, collectsWholeBody: Bool = false) throws(HTTPClientError) {
        guard let easy = curl_easy_init() else {
            throw HTTPClientError(kind: .transport, message: "curl_easy_init failed")
        }
        self.easy = easy
        self.loop = loop
        self.collectsWholeBody = collectsWholeBody
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        releaseCurlResources()
        errorBuffer.deallocate()
    }

    /// Frees the easy handle once it is out of the multi handle. Idempotent.
    func releaseCurlResources() {
        guard !resourcesReleased else { return }
        resourcesReleased = true
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        headerList = nil
    }

    var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return state.cancelled
    }

    // MARK: Consumer side (any task)

    func awaitHead() async throws -> CurlResponseHead {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<CurlResponseHead, any Error>) in
                lock.lock()
                if let head = state.head {
                    lock.unlock()
                    continuation.resume(with: head)
                } else if state.cancelled {
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                } else {
                    state.headWaiter = continuation
                    lock.unlock()
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The whole response, once the transfer has ended (whole-body transfers only).
    func awaitResponse() async throws -> HTTPClientResponse {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPClientResponse, any Error>) in
                lock.lock()
                if let response = state.response {
                    lock.unlock()
                    continuation.resume(with: response)
                } else if state.cancelled {
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                } else {
                    state.responseWaiter = continuation
                    lock.unlock()
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Next run of body bytes (everything buffered so far, merged), or nil at
    /// the end. After the end or an error has been reported once, returns nil.
    func nextBodyChunk() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                lock.lock()
                if !state.chunks.isEmpty {
                    let merged = state.chunks.count == 1 ? state.chunks[0] : Array(state.chunks.joined())
                    state.chunks.removeAll(keepingCapacity: true)
                    state.bufferedBytes = 0
                    let shouldUnpause = state.pausedForBackpressure
                    state.pausedForBackpressure = false
                    lock.unlock()
                    if shouldUnpause { loop.submit(.unpause(self)) }
                    continuation.resume(returning: merged)
                } else if state.endOfBodyDelivered {
                    lock.unlock()
                    continuation.resume(returning: nil)
                } else if state.cancelled {
                    state.endOfBodyDelivered = true
                    lock.unlock()
                    continuation.resume(throwing: CancellationError())
                } else if let completion = state.completion {
                    state.endOfBodyDelivered = true
                    lock.unlock()
                    continuation.resume(with: completion.map { nil })
                } else {
                    state.bodyWaiter = continuation
                    lock.unlock()
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Aborts the transfer (if still running) and wakes any waiter with
    /// `CancellationError`. Safe to call from any thread, any number of times.
    func cancel() {
        lock.lock()
        guard !state.cancelled else {
            lock.unlock()
            return
        }
        state.cancelled = true
        state.chunks.removeAll()
        state.bufferedBytes = 0
        state.body = []
        let stillRunning = state.completion == nil
        let headWaiter = state.headWaiter
        let bodyWaiter = state.bodyWaiter
        let responseWaiter = state.responseWaiter
        state.headWaiter = nil
        state.bodyWaiter = nil
        state.responseWaiter = nil
        if bodyWaiter != nil { state.endOfBodyDelivered = true }
        lock.unlock()

        headWaiter?.resume(throwing: CancellationError())
        bodyWaiter?.resume(throwing: CancellationError())
        responseWaiter?.resume(throwing: CancellationError())
        if stillRunning { loop.submit(.cancel(self)) }
    }

    // MARK: Producer side (loop thread only)

    /// Called for each header line, including the status line and the blank
    /// line ending a header block. Interim (1xx) blocks are discarded.
    /// Parsed on the bytes (no Foundation trimming): this runs for every
    /// header of every response on the one loop thread.
    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) {
        let bytes = line.bindMemory(to: UInt8.self)
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        var lower = 0, upper = bytes.count
        while lower < upper, isSpace(bytes[lower]) { lower += 1 }
        while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
        let trimmed = UnsafeBufferPointer(rebasing: bytes[lower..<upper])
        lock.lock()
        if state.headDelivered {
            lock.unlock()  // trailers after the body: not exposed
            return
        }
        if trimmed.starts(with: "HTTP/".utf8) {
            // "HTTP/1.1 200 OK": the status is the second space-separated part.
            let parts = trimmed.split(separator: 0x20, maxSplits: 2)
            state.status = parts.count > 1 ? Int(String(decoding: parts[1], as: UTF8.self)) : nil
            state.headers = HTTPHeaders()
            lock.unlock()
        } else if trimmed.isEmpty {
            if let status = state.status, status >= 200 {
                let waiter = deliverHeadLocked(.success(CurlResponseHead(status: status, headers: state.headers)))
                lock.unlock()
                waiter?()
            } else {
                lock.unlock()
            }
        } else if let colon = trimmed.firstIndex(of: UInt8(ascii: ":")) {
            var valueStart = colon + 1
            while valueStart < trimmed.count, trimmed[valueStart] == 0x20 || trimmed[valueStart] == 0x09 { valueStart += 1 }
            state.headers.add(name: String(decoding: UnsafeBufferPointer(rebasing: trimmed[..<colon]), as: UTF8.self),
                              value: String(decoding: UnsafeBufferPointer(rebasing: trimmed[valueStart...]), as: UTF8.self))
            lock.unlock()
        } else {
            lock.unlock()
        }
    }

    /// Returns the number of bytes consumed, CURL_WRITEFUNC_PAUSE to hold the
    /// data back for later redelivery, or 0 to abort a cancelled transfer.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        lock.lock()
        if state.cancelled {
            lock.unlock()
            return 0
        }
        if collectsWholeBody {
            // Appended in place: no array per callback, no waiter to wake.
            if state.body.isEmpty, let length = state.headers["Content-Length"].flatMap(Int.init), length > 0 {
                state.body.reserveCapacity(min(length, Self.bufferHighWaterMark * 16))
            }
            state.body.append(contentsOf: bytes)
            lock.unlock()
            return bytes.count
        }
        if state.bufferedBytes >= Self.bufferHighWaterMark {
            state.pausedForBackpressure = true
            lock.unlock()
            return Int(CURL_WRITEFUNC_PAUSE)
        }
        var headWaiter: (() -> Void)?
        if !state.headDelivered {
            // Only reachable without a proper header block (HTTP/0.9-like).
            headWaiter = deliverHeadLocked(.success(CurlResponseHead(status: state.status ?? 0, headers: state.headers)))
        }
        let chunk = [UInt8](bytes)
        let bodyWaiter = state.bodyWaiter
        state.bodyWaiter = nil
        if bodyWaiter == nil {
            state.chunks.append(chunk)
            state.bufferedBytes += chunk.count
        }
        lock.unlock()
        headWaiter?()
        bodyWaiter?.resume(returning: chunk)
        return bytes.count
    }

    /// Translates curl's result code into the transfer's outcome.
    func outcome(of code: CURLcode) -> Result<Void, any Error> {
        if code == CURLE_OK { return .success(()) }
        let detail = String(cString: errorBuffer)
        return .failure(HTTPClientError(curlCode: code, detail: detail))
    }

    /// Records the end of the transfer and wakes whoever is waiting.
    func complete(with result: Result<Void, any Error>) {
        var responseCode = 0
        if case .success = result, !resourcesReleased {
            _ = synth_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &responseCode)
        }
        lock.lock()
        guard state.completion == nil else {
            lock.unlock()
            return
        }
        state.completion = result
        if collectsWholeBody {
            let response: Result<HTTPClientResponse, any Error>
            switch result {
            case .success:
                let head = try? state.head?.get()
                response = .success(HTTPClientResponse(status: head?.status ?? state.status ?? responseCode,
                                                       headers: head?.headers ?? state.headers, body: state.body))
            case .failure(let error):
                response = .failure(error)
            }
            state.body = []
            state.response = response
            let waiter = state.responseWaiter
            state.responseWaiter = nil
            lock.unlock()
            waiter?.resume(with: response)
            return
        }
        var headWaiter: (() -> Void)?
        if !state.headDelivered {
            switch result {
            case .success:
                let head = CurlResponseHead(status: state.status ?? responseCode, headers: state.headers)
                headWaiter = deliverHeadLocked(.success(head))
            case .failure(let error):
                headWaiter = deliverHeadLocked(.failure(error))
            }
        }
        var bodyWaiter: CheckedContinuation<[UInt8]?, any Error>?
        if state.chunks.isEmpty, let waiter = state.bodyWaiter {
            bodyWaiter = waiter
            state.bodyWaiter = nil
            state.endOfBodyDelivered = true
        }
        lock.unlock()
        headWaiter?()
        bodyWaiter?.resume(with: result.map { nil })
    }

    /// Stores the head (or failure) and returns a closure resuming the head
    /// waiter, to be run after unlocking. Caller holds `lock`.
    private func deliverHeadLocked(_ head: Result<CurlResponseHead, any Error>) -> (() -> Void)? {
        state.headDelivered = true
        state.head = head
        guard let waiter = state.headWaiter else { return nil }
        state.headWaiter = nil
        return { waiter.resume(with: head) }
    }
}
