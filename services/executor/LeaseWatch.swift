import Foundation
import Synchronization

/// Why a running episode was stopped from outside: the task was cancelled,
/// ran past its timeout, or its lease was lost to another worker. Set by the
/// heartbeat watchdog, read by the slot when the episode ends.
final class LeaseWatch: Sendable {
    enum Stop: Sendable, Equatable {
        case cancelled
        case timedOut(seconds: Int)
        case leaseLost
    }

    private let state = Mutex<Stop?>(nil)

    var stop: Stop? { state.withLock { $0 } }

    /// Records the first reason only.
    func record(_ stop: Stop) -> Bool {
        state.withLock { current in
            guard current == nil else { return false }
            current = stop
            return true
        }
    }
}
