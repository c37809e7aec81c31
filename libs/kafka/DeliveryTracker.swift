/// Collects the delivery reports of one `send` / `sendAll` call and wakes its caller when the
/// last one has arrived.
///
/// Reports may arrive (on the poll thread) before the caller starts waiting, so results are
/// stored and the continuation is only resumed once both sides are ready.
final class DeliveryTracker: Sendable {
    typealias Delivery = (partition: Int32, offset: Int64)

    private struct State {
        var results: [Result<Delivery, any Error>?]
        var outstanding: Int
        var waiter: CheckedContinuation<[Result<Delivery, any Error>], Never>?
    }

    private let state: LockedState<State>

    init(count: Int) {
        state = LockedState(State(results: Array(repeating: nil, count: count), outstanding: count))
    }

    func complete(index: Int, with result: Result<Delivery, any Error>) {
        let wake = state.withLock { state -> (CheckedContinuation<[Result<Delivery, any Error>], Never>, [Result<Delivery, any Error>])? in
            guard state.results[index] == nil else { return nil }
            state.results[index] = result
            state.outstanding -= 1
            guard state.outstanding == 0, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, state.results.map { $0! })
        }
        if let (waiter, results) = wake { waiter.resume(returning: results) }
    }

    /// Marks the records from `index` on as failed without sending them (e.g. the producer was
    /// shut down or the task cancelled half-way through a batch).
    func failRemaining(from index: Int, with error: any Error) {
        let count = state.withLock { $0.results.count }
        for remaining in index..<count {
            complete(index: remaining, with: .failure(error))
        }
    }

    /// Waits for every record's outcome, in the order the records were given.
    func results() async -> [Result<Delivery, any Error>] {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [Result<Delivery, any Error>]? in
                if state.outstanding == 0 { return state.results.map { $0! } }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Maps the per-message opaque that travels through librdkafka to the tracker awaiting it.
///
/// The opaque is a plain integer id rather than a retained object pointer so that shutdown can
/// find and fail every record whose delivery report never came, instead of leaking its
/// continuation (and hanging its caller) forever.
final class DeliveryRegistry: Sendable {
    private struct State {
        var nextID: UInt = 1  // 0 would be a null opaque pointer
        var pending: [UInt: (tracker: DeliveryTracker, index: Int)] = [:]
    }

    private let state = LockedState(State())

    func register(_ tracker: DeliveryTracker, index: Int) -> UInt {
        state.withLock { state in
            let id = state.nextID
            state.nextID &+= 1
            if state.nextID == 0 { state.nextID = 1 }
            state.pending[id] = (tracker, index)
            return id
        }
    }

    /// Forgets a record that librdkafka refused to enqueue (no report will come for it).
    func unregister(_ id: UInt) {
        _ = state.withLock { $0.pending.removeValue(forKey: id) }
    }

    func complete(id: UInt, with result: Result<DeliveryTracker.Delivery, any Error>) {
        guard let entry = state.withLock({ $0.pending.removeValue(forKey: id) }) else { return }
        entry.tracker.complete(index: entry.index, with: result)
    }

    func failAll(with error: any Error) {
        let entries = state.withLock { state in
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        for entry in entries { entry.tracker.complete(index: entry.index, with: .failure(error)) }
    }
}
