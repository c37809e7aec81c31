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
    /// How long a cancel flag and a cancelled task's data stay: a
    /// TaskSubmitted redelivered within this time is turned away.
    static let cancelledTTLSeconds = 86_400
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
        let reply = try await redis.eval(Self.heartbeatScript, keys: [QueueKeys.inflight, QueueKeys.holder],
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
                                         keys: [QueueKeys.inflight, QueueKeys.delayed, QueueKeys.dead, QueueKeys.workerLoad],
                                         arguments: [lease.taskID, lease.workerID, String(policy.maxAttempts), Self.ms(readyAt), reason,
                                                     Self.ms(now.addingTimeInterval(Double(deadTTLSeconds))), String(maxDeadLetters)])
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
    public func cancel(taskID: String, now: Date = Date()) async throws -> Bool {
        let reply = try await redis.eval(Self.cancelScript,
                                         keys: [QueueKeys.ready, QueueKeys.delayed, QueueKeys.cancelled(taskID), QueueKeys.info],
                                         arguments: [taskID, Self.ms(now.addingTimeInterval(Double(Self.cancelledTTLSeconds)))])
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
                                                     Self.ms(now.addingTimeInterval(Double(deadTTLSeconds))), String(maxDeadLetters)])
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
        let reply = try await redis.eval(Self.promoteScript, keys: [QueueKeys.delayed, QueueKeys.ready],
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
            ["ZRANGE", QueueKeys.readyTimes, "0", "0", "WITHSCORES"],
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

    /// The newest dead letters, newest first, in one round trip: one HMGET
    /// per hash for all of them. An id whose data has expired (or that an
    /// older queue layout left) is listed without details.
    public func deadLetters(limit: Int = 100) async throws -> [DeadLetter] {
        let ids = try await redis.command("LRANGE", QueueKeys.dead, String(-max(1, limit)), "-1").array?.compactMap(\.string) ?? []
        let newestFirst = Array(ids.reversed())
        guard !newestFirst.isEmpty else { return [] }
        let replies = try await redis.pipeline([QueueKeys.attempts, QueueKeys.deadReason].map { hash in
            (["HMGET", hash] + newestFirst).map { Array($0.utf8) }
        })
        let attempts = replies[0].array ?? [], reasons = replies[1].array ?? []
        return newestFirst.enumerated().map { index, id in
            DeadLetter(taskID: id, attempts: index < attempts.count ? Int(attempts[index].int ?? 0) : 0,
                       reason: index < reasons.count ? reasons[index].string ?? "" : "")
        }
    }

    /// The queue-side state of one task, for the api, the scheduler and
    /// tests, with the field names of the one-hash-per-task layout: score,
    /// enqueued_at, category, attempts (leases so far), worker (the holder, while leased),
    /// last_error, finished / cancelled / dead ("1") and dead_reason. Empty
    /// when the task is unknown or its data has expired.
    public func meta(taskID: String) async throws -> [String: String] {
        let replies = try await redis.pipeline([
            ["HGET", QueueKeys.info, taskID], ["HGET", QueueKeys.attempts, taskID], ["HGET", QueueKeys.holder, taskID],
            ["HGET", QueueKeys.lastError, taskID], ["HGET", QueueKeys.outcome, taskID], ["HGET", QueueKeys.deadReason, taskID],
            ["ZSCORE", QueueKeys.ready, taskID], ["ZSCORE", QueueKeys.delayed, taskID], ["ZSCORE", QueueKeys.inflight, taskID],
        ].map { $0.map { Array($0.utf8) } })
        var result: [String: String] = [:]
        // Empty info: cancelled before it was queued (only the outcome says more).
        if let info = replies[0].string, !info.isEmpty {
            let parts = info.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            result["score"] = parts[0]
            if parts.count > 1 { result["enqueued_at"] = parts[1] }
            if parts.count > 2 { result["category"] = parts[2] }
        }
        for (index, field) in [(1, "attempts"), (2, "worker"), (3, "last_error"), (5, "dead_reason")] {
            if let value = replies[index].string { result[field] = value }
        }
        if let outcome = replies[4].string {
            result[outcome] = "1"
        } else if !result.isEmpty, replies[6...8].allSatisfy({ $0.string == nil }) {
            // Known, not ended otherwise, and in none of the sets: acked (ack leaves no per-task mark).
            result["finished"] = "1"
        }
        // A first lease writes no attempts entry: a leased or finished task without one has had one attempt.
        if result["attempts"] == nil && (result["worker"] != nil || result["finished"] != nil) { result["attempts"] = "1" }
        return result
    }

    /// Moves tasks stored in the one-hash-per-task layout (`synth:task:<id>`,
    /// before 2026-11-29 10:00) into the shared hashes, each task in one
    /// atomic step, a batch per script call; the old hash is deleted in the
    /// same step, so running it twice (or from two processes at once) moves
    /// each task once. The scheduler and every executor run it at startup,
    /// before they touch the queue. A cancel flag whose id info does not know
    /// (cancelled before it was queued, before 2026-11-29 12:30) gets the
    /// empty info cancel writes now. The `:meta` hashes of the still older
    /// layout (drained before upgrading, per ARCHITECTURE.md) are left
    /// alone. The per-task ready_since set of the layout before 13:00 becomes
    /// counts per enqueue time. Returns how many tasks it moved.
    ///
    /// Once done it records `layoutVersion` in QueueKeys.layout, and later
    /// starts return at once: the SCAN reads the whole keyspace, seconds on
    /// a Redis with millions of keys, for every executor that starts.
    @discardableResult
    public func migrateLegacyLayout(now: Date = Date()) async throws -> Int {
        if try await redis.command("GET", QueueKeys.layout).string == Self.layoutVersion { return 0 }
        var cursor = "0", moved = 0
        repeat {
            let reply = try await redis.command("SCAN", cursor, "MATCH", "synth:task:*", "COUNT", "1000").array ?? []
            guard reply.count == 2 else { break }
            cursor = reply[0].string ?? "0"
            let keys = (reply[1].array ?? []).compactMap(\.string)
            let ids = keys.filter { !$0.hasSuffix(":cancelled") && !$0.hasSuffix(":meta") }.map { String($0.dropFirst("synth:task:".count)) }
            for start in stride(from: 0, to: ids.count, by: Self.maxBatch) {
                let arguments = [Self.ms(now), String(finishedTTLSeconds * 1000)] + ids[start..<min(start + Self.maxBatch, ids.count)]
                moved += Int(try await redis.eval(Self.migrateScript, keys: [QueueKeys.inflight], arguments: arguments).int ?? 0)
            }
            // Before 2026-11-29 12:30 enqueue read the cancel flags; now a cancelled id must be known in info.
            let cancelled = keys.filter { $0.hasSuffix(":cancelled") }
                .map { String($0.dropFirst("synth:task:".count).dropLast(":cancelled".count)) }
            for start in stride(from: 0, to: cancelled.count, by: Self.maxBatch) {
                let arguments = [Self.ms(now)] + cancelled[start..<min(start + Self.maxBatch, cancelled.count)]
                _ = try await redis.eval(Self.migrateCancelFlagsScript, keys: [QueueKeys.info], arguments: arguments)
            }
        } while cursor != "0"
        // Before 2026-11-29 13:00 every ready id had its own entry in ready_since: count them by enqueue time.
        while Int(try await redis.eval(Self.migrateReadySinceScript, keys: [QueueKeys.legacyReadySince, QueueKeys.ready, QueueKeys.info],
                                       arguments: [String]()).int ?? 0) > 0 {}
        try await redis.command("SET", QueueKeys.layout, Self.layoutVersion)
        return moved
    }

    /// The queue layout this code writes (QueueKeys.layout): 2 was shared
    /// hashes (2026-11-29 10:00), 3 counts ready tasks per enqueue time and
    /// knows cancelled ids through info (13:00). Before 2 nothing was recorded.
    public static let layoutVersion = "3"

    // Scripts name the shared hashes themselves (and build cancel flag keys
    // from ids), so this queue needs one Redis node (or a cluster with all
    // keys in one slot).
    static let releaseFunction = """
        local function release(load, worker)
          if not worker then return end
          if redis.call('HINCRBY', load, worker, -1) <= 0 then redis.call('HDEL', load, worker) end
        end
        local function bury(dead, id, reason, expires, keep)
          redis.call('RPUSH', dead, id)
          redis.call('LTRIM', dead, -tonumber(keep), -1)
          redis.call('HSET', '\(QueueKeys.outcome)', id, 'dead')
          redis.call('HSET', '\(QueueKeys.deadReason)', id, reason)
          redis.call('ZADD', '\(QueueKeys.expiry)', expires, id)
        end

        """

    // KEYS: inflight, holder. ARGV: id, worker, new deadline.
    static let heartbeatScript = RedisScript("""
        if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
        if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
        redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
        return 1
        """)

    // KEYS: inflight, delayed, dead, worker_load. ARGV: id, worker, max
    // attempts, ready at ms, reason, dead data expiry ms, dead letters kept.
    static let retryScript = RedisScript(releaseFunction + """
        local id = ARGV[1]
        if redis.call('HGET', '\(QueueKeys.holder)', id) ~= ARGV[2] then return 0 end
        if redis.call('ZREM', KEYS[1], id) == 0 then return 0 end
        release(KEYS[4], ARGV[2])
        redis.call('HDEL', '\(QueueKeys.holder)', id)
        redis.call('HSET', '\(QueueKeys.lastError)', id, ARGV[5])
        -- Absent while leased means a first lease; written so the next lease counts on from it.
        local attempts = tonumber(redis.call('HGET', '\(QueueKeys.attempts)', id) or '1')
        redis.call('HSET', '\(QueueKeys.attempts)', id, tostring(attempts))
        if attempts >= tonumber(ARGV[3]) then
          bury(KEYS[3], id, 'gave up after ' .. attempts .. ' attempts: ' .. ARGV[5], ARGV[6], ARGV[7])
          return 2
        end
        redis.call('ZADD', KEYS[2], ARGV[4], id)
        return 1
        """)

    // KEYS: inflight, delayed, dead, worker_load. ARGV: now ms, max attempts,
    // jitter start, base delay ms, delay cap ms, dead data expiry ms, dead
    // letters kept. Also sweeps expired data of ended tasks, so it expires
    // while no ack runs.
    static let reapScript = RedisScript(releaseFunction + sweepFunction + """
        local now = tonumber(ARGV[1])
        local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1000)
        local requeued, dead = {}, {}
        local base, cap = tonumber(ARGV[4]), tonumber(ARGV[5])
        for index, id in ipairs(expired) do
          redis.call('ZREM', KEYS[1], id)
          local worker = redis.call('HGET', '\(QueueKeys.holder)', id)
          release(KEYS[4], worker)
          redis.call('HDEL', '\(QueueKeys.holder)', id)
          local attempts = tonumber(redis.call('HGET', '\(QueueKeys.attempts)', id) or '1')
          redis.call('HSET', '\(QueueKeys.attempts)', id, tostring(attempts))
          local why = 'lease expired: worker ' .. tostring(worker) .. ' stopped heartbeating'
          redis.call('HSET', '\(QueueKeys.lastError)', id, why)
          if attempts >= tonumber(ARGV[2]) then
            bury(KEYS[3], id, 'gave up after ' .. attempts .. ' attempts: ' .. why, ARGV[6], ARGV[7])
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
        sweep(ARGV[1], 1000, 10)
        return {requeued, dead}
        """)

    // KEYS: delayed, ready. ARGV: now ms.
    static let promoteScript = RedisScript(promoteFunction + """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
        if #due > 0 then promote(KEYS[1], KEYS[2], due) end
        return #due
        """)

    // KEYS: ready, delayed, the cancel flag, info. ARGV: id, data expiry ms
    // (now + cancelledTTLSeconds). The flag is what a running episode
    // polls. An id not known yet gets an empty info entry, so the enqueue
    // script's one read of info turns away a TaskSubmitted that arrives
    // later; a queued task's data (info included) is kept as long as the
    // flag, so a redelivery within that day is turned away too.
    static let cancelScript = RedisScript(shiftFunction + """
        redis.call('SET', KEYS[3], '1', 'EX', \(cancelledTTLSeconds))
        local queued = redis.call('ZREM', KEYS[1], ARGV[1])
        if queued > 0 then shift(tally({redis.call('HGET', KEYS[4], ARGV[1])}, {}, -1)) end
        local removed = queued + redis.call('ZREM', KEYS[2], ARGV[1])
        local unknown = redis.call('HSETNX', KEYS[4], ARGV[1], '') == 1
        if removed > 0 or unknown then
          redis.call('HSET', '\(QueueKeys.outcome)', ARGV[1], 'cancelled')
          redis.call('ZADD', '\(QueueKeys.expiry)', ARGV[2], ARGV[1])
        end
        return removed > 0 and 1 or 0
        """)

    // KEYS: the legacy ready_since, ready, info. Moves up to 500 of its ids
    // (those still ready) into readyCounts and readyTimes, by the enqueue
    // time in their infos, and deletes them from it. Returns how many it took.
    static let migrateReadySinceScript = RedisScript(shiftFunction + """
        local ids = redis.call('ZRANGE', KEYS[1], 0, 499)
        if #ids == 0 then return 0 end
        redis.call('ZREM', KEYS[1], unpack(ids))
        local infos = {}
        for k, id in ipairs(ids) do
          infos[k] = redis.call('ZSCORE', KEYS[2], id) and redis.call('HGET', KEYS[3], id)
        end
        shift(tally(infos, {}, 1))
        return #ids
        """)

    // KEYS: info. ARGV: now ms, then ids with a cancel flag. An id unknown
    // to info gets what cancel writes now: an empty info, the outcome, and
    // an expiry when its flag expires.
    static let migrateCancelFlagsScript = RedisScript("""
        local now = tonumber(ARGV[1])
        for i = 2, #ARGV do
          local id = ARGV[i]
          local ttl = redis.call('PTTL', 'synth:task:' .. id .. ':cancelled')
          if ttl > 0 and redis.call('HSETNX', KEYS[1], id, '') == 1 then
            redis.call('HSET', '\(QueueKeys.outcome)', id, 'cancelled')
            redis.call('ZADD', '\(QueueKeys.expiry)', now + ttl, id)
          end
        end
        return 0
        """)

    // KEYS: inflight. ARGV: now ms, finished TTL ms (for an ended task whose
    // hash had no TTL), then ids. Each old hash becomes its entries in the
    // shared hashes and is deleted; a key that is not a hash is left alone.
    // An ended task keeps the rest of its TTL in expiry; the holder is kept
    // only for a task still in inflight and not ended (the old ack kept the
    // last holder).
    static let migrateScript = RedisScript("""
        local now = tonumber(ARGV[1])
        local moved = 0
        for i = 3, #ARGV do
          local id = ARGV[i]
          local key = 'synth:task:' .. id
          if redis.call('TYPE', key).ok == 'hash' then
            local flat = redis.call('HGETALL', key)
            local f = {}
            for j = 1, #flat, 2 do f[flat[j]] = flat[j + 1] end
            if f.body then redis.call('HSET', '\(QueueKeys.body)', id, f.body) end
            redis.call('HSET', '\(QueueKeys.info)', id, (f.score or '0') .. ' ' .. (f.enqueued_at or ARGV[1]) .. ' ' .. (f.category or ''))
            if f.attempts and f.attempts ~= '0' then redis.call('HSET', '\(QueueKeys.attempts)', id, f.attempts) end
            if f.last_error then redis.call('HSET', '\(QueueKeys.lastError)', id, f.last_error) end
            if f.dead then
              redis.call('HSET', '\(QueueKeys.outcome)', id, 'dead')
              redis.call('HSET', '\(QueueKeys.deadReason)', id, f.dead_reason or '')
            elseif f.cancelled then
              redis.call('HSET', '\(QueueKeys.outcome)', id, 'cancelled')
            end
            if f.finished or f.cancelled or f.dead then
              local ttl = redis.call('PTTL', key)
              if ttl <= 0 then ttl = tonumber(ARGV[2]) end
              redis.call('ZADD', '\(QueueKeys.expiry)', now + ttl, id)
            elseif f.worker and redis.call('ZSCORE', KEYS[1], id) then
              redis.call('HSET', '\(QueueKeys.holder)', id, f.worker)
            end
            redis.call('DEL', key)
            moved = moved + 1
          end
        end
        return moved
        """)
}
