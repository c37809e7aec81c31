/// Redis keys of the task queue (ARCHITECTURE.md "The queue").
public enum QueueKeys {
    /// Sorted set of task ids; the lowest score pops first.
    public static let ready = "synth:queue:ready"
    /// Sorted set of ready task ids by enqueue time (ms), for the oldest-waiting age.
    public static let readySince = "synth:queue:ready_since"
    /// Sorted set of task ids waiting out a retry backoff, scored by when they become ready (ms).
    public static let delayed = "synth:queue:delayed"
    /// Sorted set of task ids scored by their lease deadline (ms since epoch).
    public static let inflight = "synth:queue:inflight"
    /// List of dead-lettered task ids, newest last, trimmed to a bound.
    public static let dead = "synth:queue:dead"
    /// Hash worker id -> leases it holds now (per-worker capacity).
    public static let workerLoad = "synth:queue:worker_load"
    /// Hash category -> finished trajectories, for the under-representation weight.
    public static let finishedByCategory = "synth:stats:finished_by_category"
    /// Sorted set of worker ids by last heartbeat (ms).
    public static let workers = "synth:workers"
    /// Hash of one task: `body` (the definition's JSON, written by the
    /// scheduler) and its queue state: attempts (absent until the first
    /// lease: 0), worker (the lease holder; once finished, the last one),
    /// enqueued_at, score, category, finished, cancelled, dead, dead_reason,
    /// last_error. One key per task, so a state change touches one key.
    public static func task(_ id: String) -> String { "synth:task:\(id)" }
    /// Set when a task is cancelled; executors poll it while running.
    public static func cancelled(_ id: String) -> String { "synth:task:\(id):cancelled" }
    /// A worker's last heartbeat: capacity, active, status, started_at (expires).
    public static func worker(_ id: String) -> String { "synth:worker:\(id)" }
    /// Set when an operator asked the worker to stop (drain).
    public static func workerStop(_ id: String) -> String { "synth:worker:\(id):stop" }
}
