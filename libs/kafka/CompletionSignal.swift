/// A one-shot event that async code can await, fired from a dedicated (non-cooperative) thread.
///
/// Used to let `shutdown()` / `close()` callers wait for a poll thread to finish tearing the
/// librdkafka handle down, without blocking a thread of Swift's cooperative pool.
final class CompletionSignal: Sendable {
    private struct State {
        var isFired = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = LockedState(State())

    var isFired: Bool { state.withLock { $0.isFired } }

    func fire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.isFired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyFired = state.withLock { state -> Bool in
                if state.isFired { return true }
                state.waiters.append(continuation)
                return false
            }
            if alreadyFired { continuation.resume() }
        }
    }
}
