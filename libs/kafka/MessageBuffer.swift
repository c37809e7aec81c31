import Foundation

/// The bounded hand-over between a consumer's poll thread and the tasks iterating `messages`.
///
/// The poll thread blocks (it is a dedicated thread, so that is allowed) while the buffer is
/// full: that is the backpressure. Iterating tasks never block a thread: they suspend with a
/// continuation that the poll thread resumes when a message arrives.
final class MessageBuffer: @unchecked Sendable {
    // Safe to share: every stored property below is only accessed with `condition` locked.
    private let condition = NSCondition()
    private let capacity: Int
    private var elements: [KafkaMessage] = []
    private var head = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<KafkaMessage?, any Error>)] = []
    private var nextWaiterID: UInt64 = 0
    private var isFinished = false
    private var terminalError: (any Error)?
    /// Told about every message given to an iterating task, before the buffer can be finished,
    /// so that `close()` never misses a message the application is working on.
    private let onHandOut: @Sendable (KafkaMessage) -> Void

    init(capacity: Int, onHandOut: @escaping @Sendable (KafkaMessage) -> Void = { _ in }) {
        precondition(capacity > 0, "the buffer needs room for at least one message")
        self.capacity = capacity
        self.onHandOut = onHandOut
    }

    private var count: Int { elements.count - head }

    // MARK: poll thread side

    /// Blocks until there is room for a message, the buffer is finished, or `timeout` passes.
    /// - Returns: whether a message may be pushed now.
    func waitForSpace(timeout: TimeInterval) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if !isFinished && count >= capacity {
            _ = condition.wait(until: Date(timeIntervalSinceNow: timeout))
        }
        return !isFinished && count < capacity
    }

    func push(_ message: KafkaMessage) {
        condition.lock()
        guard !isFinished else {
            condition.unlock()
            return
        }
        if !waiters.isEmpty {
            // A task is already waiting, so the buffer is empty: hand the message over directly.
            let waiter = waiters.removeFirst()
            onHandOut(message)
            condition.unlock()
            waiter.continuation.resume(returning: message)
            return
        }
        elements.append(message)
        condition.unlock()
    }

    /// Drops buffered messages (not the ones already handed out). Returns how many were dropped.
    func discard(where shouldDiscard: (KafkaMessage) -> Bool) -> Int {
        condition.lock()
        defer { condition.unlock() }
        let before = count
        elements = elements[head...].filter { !shouldDiscard($0) }
        head = 0
        condition.broadcast()
        return before - count
    }

    /// Ends the sequence: buffered messages are dropped (they were not committed, so they will be
    /// delivered again), waiting tasks get `nil`, or `error` for the first one.
    func finish(throwing error: (any Error)? = nil) {
        condition.lock()
        guard !isFinished else {
            condition.unlock()
            return
        }
        isFinished = true
        elements = []
        head = 0
        var pendingError = error
        let waiting = waiters
        waiters = []
        condition.broadcast()
        if waiting.isEmpty { terminalError = pendingError }
        condition.unlock()
        for waiter in waiting {
            if let error = pendingError {
                pendingError = nil
                waiter.continuation.resume(throwing: error)
            } else {
                waiter.continuation.resume(returning: nil)
            }
        }
    }

    // MARK: iterating side

    /// The next message, or `nil` once finished or when the calling task is cancelled.
    func next() async throws -> KafkaMessage? {
        let id = makeWaiterID()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                condition.lock()
                if count > 0 {
                    let message = popFirst()
                    onHandOut(message)
                    condition.signal()  // room for the poll thread
                    condition.unlock()
                    continuation.resume(returning: message)
                } else if isFinished {
                    let error = terminalError
                    terminalError = nil
                    condition.unlock()
                    if let error {
                        continuation.resume(throwing: error)
                    } else {
                        continuation.resume(returning: nil)
                    }
                } else if Task.isCancelled {
                    // The cancellation handler already ran and found nothing to cancel.
                    condition.unlock()
                    continuation.resume(returning: nil)
                } else {
                    waiters.append((id, continuation))
                    condition.unlock()
                }
            }
        } onCancel: {
            condition.lock()
            guard let index = waiters.firstIndex(where: { $0.id == id }) else {
                condition.unlock()
                return
            }
            let waiter = waiters.remove(at: index)
            condition.unlock()
            waiter.continuation.resume(returning: nil)
        }
    }

    /// Up to `limit` messages already buffered, without waiting: how a batching consumer
    /// drains what arrived while it was busy with the previous batch.
    func take(upTo limit: Int) -> [KafkaMessage] {
        condition.lock()
        defer { condition.unlock() }
        var taken: [KafkaMessage] = []
        taken.reserveCapacity(min(limit, count))
        while taken.count < limit && count > 0 {
            let message = popFirst()
            onHandOut(message)
            taken.append(message)
        }
        if !taken.isEmpty { condition.signal() }  // room for the poll thread
        return taken
    }

    private func makeWaiterID() -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        nextWaiterID += 1
        return nextWaiterID
    }

    private func popFirst() -> KafkaMessage {
        let message = elements[head]
        head += 1
        // Compact now and then instead of shifting the array on every pop.
        if head >= 256 && head * 2 >= elements.count {
            elements.removeFirst(head)
            head = 0
        }
        return message
    }
}
