import Foundation
import SynthRedis

/// Batched forms of enqueue, lease and ack: one script call (one round trip,
/// one atomic step) for many tasks, with the same guarantees as one task at a
/// time. The single-task methods are these with a batch of one, so there is
/// one implementation of each state change.
extension TaskQueue {
    /// Tasks per script call. A script blocks Redis while it runs, so a large
    /// batch is split to keep each step short; every chunk is atomic on its own.
    public static let maxBatch = 500

    /// Adds each task unless it is already known or was cancelled (a
    /// redelivered TaskSubmitted is a no-op), in one script per chunk. Returns,
    /// in order, whether each entry was added; a repeated id within the batch
    /// is added once, the first time.
    public func enqueue(_ entries: [QueueEntry]) async throws -> [Bool] {
        var added: [Bool] = []
        added.reserveCapacity(entries.count)
        for start in stride(from: 0, to: entries.count, by: Self.maxBatch) {
            let chunk = entries[start..<min(start + Self.maxBatch, entries.count)]
            var arguments: [[UInt8]] = []
            arguments.reserveCapacity(chunk.count * 5)
            for entry in chunk {
                arguments += [Array(entry.task.id.utf8), try entry.encoded ?? entry.task.json(), Array(String(entry.score).utf8),
                              Self.msBytes(entry.enqueuedAt), Array(entry.task.category.utf8)]
            }
            let reply = try await redis.eval(Self.enqueueBatchScript, keys: [QueueKeys.ready, QueueKeys.readySince], arguments: arguments)
            added += (reply.array ?? []).map { $0.int == 1 }
        }
        return added
    }

    /// Leases up to `count` of the best tasks to `workerID` in one step, as
    /// many as the queue holds and the caps allow: `maxInflight` leases in
    /// total and `workerCapacity` held by this worker (0 = no limit for
    /// either). A worker with k free slots asks for k. Retries whose backoff
    /// has passed are promoted to ready first.
    public func lease(workerID: String, upTo count: Int, leaseSeconds: Double, maxInflight: Int = 0, workerCapacity: Int = 0,
                      now: Date = Date()) async throws -> [TaskLease] {
        guard count > 0 else { return [] }
        let reply = try await redis.eval(Self.leaseBatchScript,
                                         keys: [QueueKeys.ready, QueueKeys.inflight, QueueKeys.delayed, QueueKeys.readySince,
                                                QueueKeys.workerLoad],
                                         arguments: [Self.ms(now), Self.ms(now.addingTimeInterval(leaseSeconds)), workerID, String(maxInflight),
                                                     String(workerCapacity), String(min(count, Self.maxBatch))])
        // The reply is flat, (id, body, attempt) per task: no nested array to build per task.
        let flat = reply.array ?? []
        var leases: [TaskLease] = []
        leases.reserveCapacity(flat.count / 3)
        for index in stride(from: 0, to: flat.count - 2, by: 3) {
            guard let id = flat[index].string else { continue }
            let task: TaskDefinition? = if case .bulk(let body) = flat[index + 1] { try TaskDefinition(json: body) } else { nil }
            leases.append(TaskLease(taskID: id, task: task, attempt: Int(flat[index + 2].int ?? 1), workerID: workerID))
        }
        return leases
    }

    /// Releases finished tasks; only each lease's holder can ack it. Returns,
    /// in order, whether each ack took effect (false: the lease expired and
    /// went to someone else, or it was acked already).
    public func ack(_ leases: [TaskLease]) async throws -> [Bool] {
        var acked: [Bool] = []
        acked.reserveCapacity(leases.count)
        for start in stride(from: 0, to: leases.count, by: Self.maxBatch) {
            let chunk = leases[start..<min(start + Self.maxBatch, leases.count)]
            var arguments: [[UInt8]] = [Array(String(finishedTTLSeconds).utf8)]
            arguments.reserveCapacity(1 + chunk.count * 2)
            for lease in chunk { arguments += [Array(lease.taskID.utf8), Array(lease.workerID.utf8)] }
            let reply = try await redis.eval(Self.ackBatchScript, keys: [QueueKeys.inflight, QueueKeys.workerLoad], arguments: arguments)
            acked += (reply.array ?? []).map { $0.int == 1 }
        }
        return acked
    }

    // ARGV: (id, body, score, enqueued_at ms, category) per task. One hash per
    // task holds body and meta, so a task costs an HSET here; whether any id
    // is known or cancelled is one EXISTS over the whole batch (the usual
    // answer is no, then no task needs its own check); ready and ready_since
    // get one ZADD each for the whole batch. `attempts` is not written: absent
    // reads as 0 everywhere, and every field costs Redis an allocation and
    // its AOF bytes.
    static let enqueueBatchScript = RedisScript("""
        local keys = {}
        for i = 1, #ARGV, 5 do
          local key = 'synth:task:' .. ARGV[i]
          keys[#keys + 1] = key; keys[#keys + 1] = key .. ':cancelled'
        end
        local check = redis.call('EXISTS', unpack(keys)) > 0
        local added, ready, since, seen = {}, {}, {}, {}
        for i = 1, #ARGV, 5 do
          local id = ARGV[i]
          local key = keys[(i - 1) / 5 * 2 + 1]
          -- An id repeated in the batch did not exist before it, so the batch
          -- check alone would pass it twice.
          if not seen[id] and (not check or redis.call('EXISTS', key, key .. ':cancelled') == 0) then
            seen[id] = true
            redis.call('HSET', key, 'body', ARGV[i + 1], 'enqueued_at', ARGV[i + 3], 'score', ARGV[i + 2], 'category', ARGV[i + 4])
            ready[#ready + 1] = ARGV[i + 2]; ready[#ready + 1] = id
            since[#since + 1] = ARGV[i + 3]; since[#since + 1] = id
            added[#added + 1] = 1
          else
            added[#added + 1] = 0
          end
        end
        if #ready > 0 then
          redis.call('ZADD', KEYS[1], unpack(ready))
          redis.call('ZADD', KEYS[2], unpack(since))
        end
        return added
        """)

    // ARGV: now ms, lease deadline ms, worker, max inflight, worker capacity,
    // count. Returns id, body, attempt per leased task, flat, best first. A
    // task costs an HMGET and an HSET; the sets and the worker's load are
    // updated once per batch. Every value handed to redis.call is a string
    // already (the deadline from the caller, small attempt counts from a
    // table): a Lua number would be formatted with printf for each call, and
    // ZRANGE + ZREMRANGEBYRANK pop without the scores ZPOPMIN would format.
    static let leaseBatchScript = RedisScript("""
        local now = tonumber(ARGV[1])
        local due = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 100)
        for _, id in ipairs(due) do
          redis.call('ZREM', KEYS[3], id)
          local m = redis.call('HMGET', 'synth:task:' .. id, 'score', 'enqueued_at')
          if m[1] then
            redis.call('ZADD', KEYS[1], m[1], id)
            redis.call('ZADD', KEYS[4], m[2] or ARGV[1], id)
          end
        end
        local want = tonumber(ARGV[6])
        local limit = tonumber(ARGV[4])
        if limit > 0 then want = math.min(want, limit - redis.call('ZCARD', KEYS[2])) end
        local capacity = tonumber(ARGV[5])
        local worker = ARGV[3]
        if capacity > 0 then want = math.min(want, capacity - tonumber(redis.call('HGET', KEYS[5], worker) or '0')) end
        local counts = {'1', '2', '3', '4', '5', '6', '7', '8', '9', '10'}
        local leased = {}
        local deadline = ARGV[2]
        local total = 0
        while want > 0 do
          local ids = redis.call('ZRANGE', KEYS[1], 0, want - 1)
          if #ids == 0 then break end
          redis.call('ZREMRANGEBYRANK', KEYS[1], 0, #ids - 1)
          redis.call('ZREM', KEYS[4], unpack(ids))
          local inflight = {}
          for _, id in ipairs(ids) do
            local key = 'synth:task:' .. id
            -- A ready id whose hash is gone (expired or deleted by hand) is dropped.
            local m = redis.call('HMGET', key, 'body', 'attempts')
            if m[1] then
              local before = tonumber(m[2] or '0')
              local attempts = counts[before + 1] or tostring(before + 1)
              redis.call('HSET', key, 'attempts', attempts, 'worker', worker)
              inflight[#inflight + 1] = deadline; inflight[#inflight + 1] = id
              leased[#leased + 1] = id; leased[#leased + 1] = m[1]; leased[#leased + 1] = attempts
              want = want - 1
            end
          end
          if #inflight > 0 then
            redis.call('ZADD', KEYS[2], unpack(inflight))
            total = total + #inflight / 2
          end
        end
        if total > 0 then redis.call('HINCRBY', KEYS[5], worker, total) end
        return leased
        """)

    // ARGV: finished TTL, then (id, worker) per lease. The holder check is the
    // hash's worker field: every script that takes a task out of inflight
    // clears it, except ack, which keeps the last holder and sets finished in
    // the same step (one write instead of two); so worker = the caller and
    // no finished means the id is in inflight, leased to the caller.
    // Inflight loses all acked ids in one ZREM. Each worker's load is
    // decremented once by how many of its leases were released. Values are
    // passed as strings (a Lua number is printf-formatted on every call).
    static let ackBatchScript = RedisScript("""
        local ttl = ARGV[1]
        local acked, released, done = {}, {}, {}
        for i = 2, #ARGV, 2 do
          local id, worker = ARGV[i], ARGV[i + 1]
          local key = 'synth:task:' .. id
          local m = redis.call('HMGET', key, 'worker', 'finished')
          if m[1] == worker and not m[2] then
            released[worker] = (released[worker] or 0) + 1
            done[#done + 1] = id
            redis.call('HSET', key, 'finished', '1')
            redis.call('EXPIRE', key, ttl)
            acked[#acked + 1] = 1
          else
            acked[#acked + 1] = 0
          end
        end
        if #done > 0 then redis.call('ZREM', KEYS[1], unpack(done)) end
        for worker, n in pairs(released) do
          if redis.call('HINCRBY', KEYS[2], worker, -n) <= 0 then redis.call('HDEL', KEYS[2], worker) end
        end
        return acked
        """)
}
