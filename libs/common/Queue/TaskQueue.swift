import Foundation
import SynthRedis

/// The Redis priority queue shared by the scheduler (enqueue, reap) and the
/// executors (lease, heartbeat, ack, retry). Each state change is one Lua
/// script, so a process killed at any instant leaves every task in exactly one
/// of ready, delayed, inflight, dead, or finished.
public struct TaskQueue: Sendable {
    public let redis: RedisClient
    /// How long a finished (or cancelled) task's body and meta stay in Redis.
    public var finishedTTLSeconds = 3_600
    /// How long a dead-lettered task's body and meta stay, for inspection.
    public var deadTTLSeconds = 7 * 86_400
    /// The dead letter list keeps only the newest this many ids.
    public var maxDeadLetters = 10_000

    public init(redis: RedisClient) {
        self.redis = redis
    }

    static func ms(_ date: Date) -> String { String(Int64((date.timeIntervalSince1970 * 1000).rounded())) }
    static func msBytes(_ date: Date) -> [UInt8] { Array(ms(date).utf8) }

    /// Adds a task unless it is already known or was cancelled (a redelivered
    /// TaskSubmitted is a no-op). Returns false when it was not added.
    @discardableResult
    public func enqueue(_ task: TaskDefinition, score: Double, now: Date = Date()) async throws -> Bool {
        try await enqueue([QueueEntry(task: task, score: score, enqueuedAt: now)]).first ?? false
    }

    /// Pops the best task and leases it to `workerID` in one step. Nil when the
    /// queue is empty, `maxInflight` tasks are leased in total, or this worker
    /// already holds `workerCapacity` leases (0 = no limit for either). Retries
    /// whose backoff has passed are promoted to ready first, so a queue keeps
    /// moving even while no scheduler runs.
    public func lease(workerID: String, leaseSeconds: Double, maxInflight: Int = 0, workerCapacity: Int = 0,
                      now: Date = Date()) async throws -> TaskLease? {
        try await lease(workerID: workerID, upTo: 1, leaseSeconds: leaseSeconds, maxInflight: maxInflight,
                        workerCapacity: workerCapacity, now: now).first
    }

    /// Extends a lease; false when the worker no longer holds it (it expired
    /// and the task went to someone else), so the worker must stop.
    public func heartbeat(_ lease: TaskLease, leaseSeconds: Double, now: Date = Date()) async throws -> Bool {
        let reply = try await redis.eval(Self.heartbeatScript, keys: [QueueKeys.inflight, QueueKeys.task(lease.taskID)],
                                         arguments: [lease.taskID, lease.workerID, Self.ms(now.addingTimeInterval(leaseSeconds))])
        return reply.int == 1
    }

    /// Releases a finished task. Only the lease holder can ack.
    @discardableResult
    public func ack(_ lease: TaskLease) async throws -> Bool {
        try await ack([lease]).first ?? false
    }

    /// Gives a lease back after an infrastructure failure. The task waits out
    /// the policy's backoff in the delayed set, then returns to ready with its
    /// original score (it keeps its place); past `maxAttempts` it is
    /// dead-lettered with `reason`.
    public func retry(_ lease: TaskLease, policy: RetryPolicy, reason: String, now: Date = Date()) async throws -> RetryOutcome {
        let readyAt = now.addingTimeInterval(policy.delay(afterAttempt: lease.attempt))
        let reply = try await redis.eval(Self.retryScript,
                                         keys: [QueueKeys.inflight, QueueKeys.task(lease.taskID), QueueKeys.delayed, QueueKeys.dead,
                                                QueueKeys.workerLoad],
                                         arguments: [lease.taskID, lease.workerID, String(policy.maxAttempts), Self.ms(readyAt), reason,
                                                     String(deadTTLSeconds), String(maxDeadLetters)])
        switch reply.int {
        case 1: return .retried(readyAt: readyAt)
        case 2: return .deadLettered
        default: return .notHeld
        }
    }

    /// The walking skeleton's form: true when the task was requeued.
    public func retry(_ lease: TaskLease, maxAttempts: Int) async throws -> Bool {
        if case .retried = try await retry(lease, policy: RetryPolicy(maxAttempts: maxAttempts), reason: "infrastructure failure") {
            return true
        }
        return false
    }

    /// Cancels a task: flags it (a running episode polls the flag) and takes it
    /// out of ready or delayed. Returns true when it was still waiting there.
    @discardableResult
    public func cancel(taskID: String) async throws -> Bool {
        let reply = try await redis.eval(Self.cancelScript,
                                         keys: [QueueKeys.ready, QueueKeys.delayed, QueueKeys.readySince, QueueKeys.task(taskID),
                                                QueueKeys.cancelled(taskID)],
                                         arguments: [taskID, String(finishedTTLSeconds)])
        return reply.int == 1
    }

    public func isCancelled(taskID: String) async throws -> Bool {
        try await redis.command("EXISTS", QueueKeys.cancelled(taskID)).int == 1
    }

    public func depth() async throws -> (ready: Int, inflight: Int) {
        let replies = try await redis.pipeline([["ZCARD", QueueKeys.ready], ["ZCARD", QueueKeys.inflight]].map { $0.map { Array($0.utf8) } })
        return (Int(replies[0].int ?? 0), Int(replies[1].int ?? 0))
    }

    /// Expired leases go to the delayed set with a backoff capped at
    /// `policy.maxDelaySeconds` (attempts so far are kept in meta) or, past
    /// `policy.maxAttempts`, to the dead letter list. Returns both id lists.
    public func reapExpired(policy: RetryPolicy, now: Date = Date()) async throws -> (requeued: [String], dead: [String]) {
        let reply = try await redis.eval(Self.reapScript,
                                         keys: [QueueKeys.inflight, QueueKeys.delayed, QueueKeys.dead, QueueKeys.workerLoad],
                                         arguments: [Self.ms(now), String(policy.maxAttempts), String(Double.random(in: 0..<1)),
                                                     String(Int64(policy.baseDelaySeconds * 1000)), String(Int64(policy.maxDelaySeconds * 1000)),
                                                     String(deadTTLSeconds), String(maxDeadLetters)])
        let parts = reply.array ?? []
        func ids(_ value: RedisValue?) -> [String] { value?.array?.compactMap(\.string) ?? [] }
        return (ids(parts.first), ids(parts.count > 1 ? parts[1] : nil))
    }

    /// The skeleton's form: expired leases return at once (no backoff).
    public func reapExpired(maxAttempts: Int, now: Date = Date()) async throws -> (requeued: [String], dead: [String]) {
        let result = try await reapExpired(policy: RetryPolicy(maxAttempts: maxAttempts, baseDelaySeconds: 0, maxDelaySeconds: 0), now: now)
        _ = try await promoteDue(now: now)
        return result
    }

    /// Moves delayed tasks whose backoff has passed to ready. Returns how many.
    public func promoteDue(now: Date = Date()) async throws -> Int {
        let reply = try await redis.eval(Self.promoteScript, keys: [QueueKeys.delayed, QueueKeys.ready, QueueKeys.readySince],
                                         arguments: [Self.ms(now)])
        return Int(reply.int ?? 0)
    }

    /// Queue sizes, the oldest waiting age and ready tasks per priority band,
    /// banded by the priority they have now (ageing included).
    public func stats(weights: PriorityWeights, now: Date = Date()) async throws -> QueueStats {
        let offset = weights.age * now.timeIntervalSince1970
        // priority(now) = -score + offset, so priority >= p  <=>  score <= offset - p.
        let replies = try await redis.pipeline([
            ["ZCARD", QueueKeys.ready], ["ZCARD", QueueKeys.delayed], ["ZCARD", QueueKeys.inflight], ["LLEN", QueueKeys.dead],
            ["ZRANGE", QueueKeys.readySince, "0", "0", "WITHSCORES"],
            ["ZCOUNT", QueueKeys.ready, "-inf", String(offset - PriorityBand.highThreshold)],
            ["ZCOUNT", QueueKeys.ready, "(" + String(offset - PriorityBand.highThreshold), String(offset - PriorityBand.normalThreshold)],
            ["ZCOUNT", QueueKeys.ready, "(" + String(offset - PriorityBand.normalThreshold), "+inf"],
        ].map { $0.map { Array($0.utf8) } })
        let oldest = replies[4].array.flatMap { $0.count == 2 ? $0[1].string.flatMap(Double.init) : nil }
        return QueueStats(
            ready: Int(replies[0].int ?? 0), delayed: Int(replies[1].int ?? 0), inflight: Int(replies[2].int ?? 0),
            dead: Int(replies[3].int ?? 0),
            oldestWaitingSeconds: oldest.map { max(0, now.timeIntervalSince1970 - $0 / 1000) } ?? 0,
            readyByBand: ["high": Int(replies[5].int ?? 0), "normal": Int(replies[6].int ?? 0), "low": Int(replies[7].int ?? 0)])
    }

    /// The newest dead letters, newest first, in one round trip. A pipeline
    /// hands back a server error per command instead of throwing, so an id
    /// whose key is not a task hash (left by an older queue layout, or written
    /// by hand) is listed without details rather than failing the listing.
    public func deadLetters(limit: Int = 100) async throws -> [DeadLetter] {
        let ids = try await redis.command("LRANGE", QueueKeys.dead, String(-max(1, limit)), "-1").array?.compactMap(\.string) ?? []
        let newestFirst = Array(ids.reversed())
        guard !newestFirst.isEmpty else { return [] }
        let replies = try await redis.pipeline(newestFirst.map { ["HMGET", QueueKeys.task($0), "attempts", "dead_reason"].map { Array($0.utf8) } })
        return zip(newestFirst, replies).map { id, reply in
            let fields = reply.array ?? []
            return DeadLetter(taskID: id, attempts: Int(fields.first?.int ?? 0), reason: fields.count > 1 ? fields[1].string ?? "" : "")
        }
    }

    /// The queue-side state of one task (its hash without the body), for the api and tests.
    public func meta(taskID: String) async throws -> [String: String] {
        let flat = try await redis.command("HGETALL", QueueKeys.task(taskID)).array ?? []
        var result: [String: String] = [:]
        var index = 0
        while index + 1 < flat.count {
            if let key = flat[index].string, key != "body" { result[key] = flat[index + 1].string }
            index += 2
        }
        return result
    }

    // Scripts build per-task keys from the id (synth:task:<id>), so this
    // queue needs one Redis node (or a cluster with all keys in one slot).
    static let releaseFunction = """
        local function release(load, worker)
          if not worker then return end
          if redis.call('HINCRBY', load, worker, -1) <= 0 then redis.call('HDEL', load, worker) end
        end
        local function bury(dead, key, id, reason, ttl, keep)
          redis.call('RPUSH', dead, id)
          redis.call('LTRIM', dead, -tonumber(keep), -1)
          redis.call('HSET', key, 'dead', 1, 'dead_reason', reason)
          redis.call('EXPIRE', key, tonumber(ttl))
        end

        """

    static let heartbeatScript = RedisScript("""
        if redis.call('HGET', KEYS[2], 'worker') ~= ARGV[2] then return 0 end
        if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
        redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
        return 1
        """)

    static let retryScript = RedisScript(releaseFunction + """
        if redis.call('HGET', KEYS[2], 'worker') ~= ARGV[2] then return 0 end
        if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
        release(KEYS[5], ARGV[2])
        redis.call('HDEL', KEYS[2], 'worker')
        redis.call('HSET', KEYS[2], 'last_error', ARGV[5])
        local attempts = tonumber(redis.call('HGET', KEYS[2], 'attempts') or '0')
        if attempts >= tonumber(ARGV[3]) then
          bury(KEYS[4], KEYS[2], ARGV[1], 'gave up after ' .. attempts .. ' attempts: ' .. ARGV[5], ARGV[6], ARGV[7])
          return 2
        end
        redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
        return 1
        """)

    static let reapScript = RedisScript(releaseFunction + """
        local now = tonumber(ARGV[1])
        local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1000)
        local requeued, dead = {}, {}
        local base, cap = tonumber(ARGV[4]), tonumber(ARGV[5])
        for index, id in ipairs(expired) do
          redis.call('ZREM', KEYS[1], id)
          local key = 'synth:task:' .. id
          local worker = redis.call('HGET', key, 'worker')
          release(KEYS[4], worker)
          redis.call('HDEL', key, 'worker')
          local attempts = tonumber(redis.call('HGET', key, 'attempts') or '0')
          local why = 'lease expired: worker ' .. tostring(worker) .. ' stopped heartbeating'
          redis.call('HSET', key, 'last_error', why)
          if attempts >= tonumber(ARGV[2]) then
            bury(KEYS[3], key, id, 'gave up after ' .. attempts .. ' attempts: ' .. why, ARGV[6], ARGV[7])
            table.insert(dead, id)
          else
            -- Backoff with jitter; the jitter of the n-th task in this batch
            -- walks a golden-ratio sequence from a random start, so a batch of
            -- tasks from one dead worker spreads out.
            local delay = math.min(cap, base * (2 ^ math.max(0, attempts - 1)))
            local unit = (tonumber(ARGV[3]) + index * 0.6180339887) % 1
            redis.call('ZADD', KEYS[2], math.floor(now + delay / 2 + delay / 2 * unit), id)
            table.insert(requeued, id)
          end
        end
        return {requeued, dead}
        """)

    static let promoteScript = RedisScript("""
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
        for _, id in ipairs(due) do
          redis.call('ZREM', KEYS[1], id)
          local m = redis.call('HMGET', 'synth:task:' .. id, 'score', 'enqueued_at')
          if m[1] then
            redis.call('ZADD', KEYS[2], m[1], id)
            redis.call('ZADD', KEYS[3], m[2] or ARGV[1], id)
          end
        end
        return #due
        """)

    static let cancelScript = RedisScript("""
        redis.call('SET', KEYS[5], '1', 'EX', 86400)
        local removed = redis.call('ZREM', KEYS[1], ARGV[1]) + redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        if removed > 0 then
          redis.call('HSET', KEYS[4], 'cancelled', 1)
          redis.call('EXPIRE', KEYS[4], tonumber(ARGV[2]))
          return 1
        end
        return 0
        """)
}
