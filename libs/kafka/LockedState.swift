import Foundation

/// A value guarded by a lock.
///
/// `Synchronization.Mutex` would do, but it is only available from macOS 15 and the package
/// still declares macOS 14, so this small wrapper over `NSLock` is used instead.
final class LockedState<State>: @unchecked Sendable {
    // Safe to share: `state` is only read or written while `lock` is held.
    private let lock = NSLock()
    private var state: State

    init(_ initial: State) {
        self.state = initial
    }

    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
