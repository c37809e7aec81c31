import Foundation

/// A snapshot of the queue for metrics and the api.
public struct QueueStats: Sendable, Equatable {
    public var ready: Int
    public var delayed: Int
    public var inflight: Int
    public var dead: Int
    /// Seconds the longest-waiting ready task has waited (0 when none).
    public var oldestWaitingSeconds: Double
    /// Ready tasks per priority band ("high", "normal", "low") by current priority.
    public var readyByBand: [String: Int]

    public init(ready: Int, delayed: Int, inflight: Int, dead: Int, oldestWaitingSeconds: Double, readyByBand: [String: Int]) {
        self.ready = ready
        self.delayed = delayed
        self.inflight = inflight
        self.dead = dead
        self.oldestWaitingSeconds = oldestWaitingSeconds
        self.readyByBand = readyByBand
    }
}
