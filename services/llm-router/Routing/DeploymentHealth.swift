import Foundation
import Synchronization

/// Consecutive failures per deployment; after `allowedFailures` in a row the
/// deployment cools down for `cooldownSeconds` and is tried only as a last resort.
final class DeploymentHealth: Sendable {
    private struct State {
        var failures = 0
        var coolingUntil: ContinuousClock.Instant?
    }

    private let states = Mutex<[String: State]>([:])
    let allowedFailures: Int
    let cooldown: Duration

    init(allowedFailures: Int, cooldownSeconds: Double) {
        self.allowedFailures = max(1, allowedFailures)
        self.cooldown = .milliseconds(Int64(cooldownSeconds * 1000))
    }

    func isCoolingDown(_ name: String) -> Bool {
        states.withLock { states in
            guard let until = states[name]?.coolingUntil else { return false }
            if ContinuousClock.now >= until {
                states[name] = State()
                return false
            }
            return true
        }
    }

    /// Returns true when this failure started a cooldown.
    @discardableResult
    func recordFailure(_ name: String) -> Bool {
        states.withLock { states in
            var state = states[name] ?? State()
            state.failures += 1
            var started = false
            if state.failures >= allowedFailures, state.coolingUntil == nil {
                state.coolingUntil = ContinuousClock.now + cooldown
                started = true
            }
            states[name] = state
            return started
        }
    }

    func recordSuccess(_ name: String) {
        states.withLock { states in
            if states[name] != nil { states[name] = nil }
        }
    }
}
