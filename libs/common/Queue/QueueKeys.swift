/// Redis keys of the task queue (ARCHITECTURE.md "The queue").
public enum QueueKeys {
    /// Sorted set of task ids; the lowest score pops first.
    public static let ready = "synth:queue:ready"
    /// Sorted set of task ids scored by their lease deadline (ms since epoch).
    public static let inflight = "synth:queue:inflight"
    /// List of dead-lettered task ids.
    public static let dead = "synth:queue:dead"
    /// The task's JSON definition, written by the scheduler.
    public static func task(_ id: String) -> String { "synth:task:\(id)" }
    /// attempts, worker, leased_at, enqueued_at.
    public static func meta(_ id: String) -> String { "synth:task:\(id):meta" }
    /// Set when a task is cancelled; executors poll it while running.
    public static func cancelled(_ id: String) -> String { "synth:task:\(id):cancelled" }
}
