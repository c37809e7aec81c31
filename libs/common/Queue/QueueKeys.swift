/// Redis keys of the task queue (ARCHITECTURE.md "The queue").
///
/// A task's data lives in shared hashes keyed by task id, one hash per kind
/// of field, so a batch of tasks is written or read with one variadic
/// HSET/HMGET per hash instead of one call per task. Finished, cancelled and
/// dead tasks leave their data until `expiry` says it is due; a bounded sweep
/// (in ack and reap) then deletes it (Redis 7.0 has no per-field TTL).
public enum QueueKeys {
    /// Sorted set of task ids; the lowest score pops first.
    public static let ready = "synth:queue:ready"
    /// Sorted set of the enqueue times (ms, member and score) of ready
    /// tasks, for the oldest-waiting age: one member per distinct time, not
    /// per task (a batch shares its enqueue time), so enqueue and lease
    /// touch it once per batch, not once per task.
    public static let readyTimes = "synth:queue:ready_times"
    /// Hash enqueue time (ms) -> how many ready tasks have it; a time leaves
    /// readyTimes when its count reaches 0.
    public static let readyCounts = "synth:queue:ready_counts"
    /// Before 2026-11-29 13:00: a sorted set of every ready task id by its
    /// enqueue time. `TaskQueue.migrateLegacyLayout` turns it into readyTimes and readyCounts.
    public static let legacyReadySince = "synth:queue:ready_since"
    /// Sorted set of task ids waiting out a retry backoff, scored by when they become ready (ms).
    public static let delayed = "synth:queue:delayed"
    /// Sorted set of task ids scored by their lease deadline (ms since epoch).
    public static let inflight = "synth:queue:inflight"
    /// List of dead-lettered task ids, newest last, trimmed to a bound.
    public static let dead = "synth:queue:dead"
    /// Hash worker id -> leases it holds now (per-worker capacity).
    public static let workerLoad = "synth:queue:worker_load"
    /// Hash task id -> the definition's JSON (written by the scheduler),
    /// while the task is queued, leased, or cancelled or dead until its data
    /// is swept: ack deletes it at once.
    public static let body = "synth:queue:body"
    /// Hash task id -> "<score> <enqueued_at ms> <category>", written once at
    /// enqueue. Present while the task is known, so it answers "is this id
    /// known" for a redelivered TaskSubmitted until the task's data is swept.
    /// Empty for an id cancelled before it was queued, so that one read also
    /// turns away a TaskSubmitted that arrives after its cancellation.
    public static let info = "synth:queue:info"
    /// Hash task id -> leases taken so far, written only from the second
    /// lease on and by retry and reap. Absent: 0 while queued, 1 while
    /// leased or once finished (a first lease writes nothing).
    public static let attempts = "synth:queue:attempts"
    /// Hash task id -> the worker holding its lease; present only while the
    /// task is in inflight, so it is the holder check of heartbeat, ack and retry.
    public static let holder = "synth:queue:holder"
    /// Hash task id -> the last infrastructure error (retry, expired lease).
    public static let lastError = "synth:queue:last_error"
    /// Hash task id -> "cancelled" or "dead"; absent for a finished task.
    public static let outcome = "synth:queue:outcome"
    /// Hash task id -> why it was dead-lettered.
    public static let deadReason = "synth:queue:dead_reason"
    /// Sorted set of cancelled, dead and migrated ended task ids scored by
    /// when their data is deleted (ms since epoch). The sweep deletes from
    /// every per-task hash above (TaskQueue.sweepFunction lists them).
    public static let expiry = "synth:queue:expiry"
    /// Sorted set of acked batches scored by when their data is deleted (ms):
    /// each member is one ack call's task ids joined by NUL bytes, so an ack
    /// adds one entry per batch, not one per task (a sorted-set insert and a
    /// parsed score per task were a third of the ack's cost).
    public static let expiryBatches = "synth:queue:expiry_batches"
    /// A field kept in info, attempts and holder, written by every HSET to
    /// them. Its value is longer than hash-max-listpack-value (64), so Redis
    /// makes the hash a hash table at once and keeps it one: the values are
    /// short, and a hash below hash-max-listpack-entries (512 here) would
    /// otherwise be a listpack, searched linearly for every field (a lease
    /// batch into a 500-entry holder listpack cost more than the per-task
    /// calls it replaced). Task ids never start with a colon.
    public static let hashtableField = ":hashtable"
    static let hashtableValue = "keeps this hash a hash table: a value over 64 bytes turns off the listpack encoding"
    /// The queue layout version the data is in (`TaskQueue.layoutVersion`),
    /// written once `migrateLegacyLayout` has converted everything older.
    public static let layout = "synth:queue:layout"
    /// Hash category -> finished trajectories, for the under-representation weight.
    public static let finishedByCategory = "synth:stats:finished_by_category"
    /// Sorted set of worker ids by last heartbeat (ms).
    public static let workers = "synth:workers"
    /// The layout before 2026-11-29 10:00: one hash per task (body, attempts,
    /// worker, enqueued_at, score, category, finished, cancelled, dead,
    /// dead_reason, last_error). Only `TaskQueue.migrateLegacyLayout` reads it.
    public static func legacyTask(_ id: String) -> String { "synth:task:\(id)" }
    /// Set when a task is cancelled (for a day); executors poll it while running.
    public static func cancelled(_ id: String) -> String { "synth:task:\(id):cancelled" }
    /// A worker's last heartbeat: capacity, active, status, started_at (expires).
    public static func worker(_ id: String) -> String { "synth:worker:\(id)" }
    /// Set when an operator asked the worker to stop (drain).
    public static func workerStop(_ id: String) -> String { "synth:worker:\(id):stop" }
}
