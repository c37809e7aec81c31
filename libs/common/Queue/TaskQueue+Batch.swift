import Foundation
import SynthRedis

/// Batched forms of enqueue, lease and ack: one script call (one round trip,
/// one atomic step) for many tasks, with the same guarantees as one task at a
/// time. The single-task methods are these with a batch of one, so there is
/// one implementation of each state change.
///
/// Each script makes a fixed number of Redis calls per batch, none per task:
/// task data sits in shared hashes (QueueKeys), written and read with one
/// variadic HSET/HMGET per hash. Each `redis.call` costs Redis a command
/// lookup, argument objects, a reply and an AOF record of its own, which is
/// what the per-task calls of the one-hash-per-task layout spent.
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
            arguments.reserveCapacity(chunk.count * 4)
            for entry in chunk {
                let score = String(entry.score), since = Self.ms(entry.enqueuedAt)
                // The info value is built here, not in Lua: a Lua concatenation allocates and hashes a new string.
                arguments += [Array(entry.task.id.utf8), try entry.encoded ?? entry.task.json(), Array(score.utf8), Array(since.utf8),
                              Array("\(score) \(since) \(entry.task.category)".utf8)]
            }
            let reply = try await redis.eval(Self.enqueueBatchScript,
                                             keys: [QueueKeys.ready, QueueKeys.readySince, QueueKeys.body, QueueKeys.info],
                                             arguments: arguments)
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
                                                QueueKeys.workerLoad, QueueKeys.body, QueueKeys.attempts, QueueKeys.holder, QueueKeys.info],
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
    public func ack(_ leases: [TaskLease], now: Date = Date()) async throws -> [Bool] {
        var acked: [Bool] = []
        acked.reserveCapacity(leases.count)
        for start in stride(from: 0, to: leases.count, by: Self.maxBatch) {
            let chunk = leases[start..<min(start + Self.maxBatch, leases.count)]
            var arguments: [[UInt8]] = [Self.msBytes(now), Self.msBytes(now.addingTimeInterval(Double(finishedTTLSeconds)))]
            arguments.reserveCapacity(2 + chunk.count * 2)
            for lease in chunk { arguments += [Array(lease.taskID.utf8), Array(lease.workerID.utf8)] }
            let reply = try await redis.eval(Self.ackBatchScript, keys: [QueueKeys.inflight, QueueKeys.workerLoad, QueueKeys.holder, QueueKeys.expiryBatches],
                                             arguments: arguments)
            acked += (reply.array ?? []).map { $0.int == 1 }
        }
        return acked
    }

    /// Lua arguments that add QueueKeys.hashtableField to a variadic HSET.
    static let hashtable = "'\(QueueKeys.hashtableField)', '\(QueueKeys.hashtableValue)'"

    /// Lua: `sweep(now, limit, batches)` deletes the data of up to `limit`
    /// ended tasks of `expiry` and `batches` ack batches of `expiry_batches`
    /// (at most maxBatch ids each) whose time has passed, with one HDEL per
    /// hash. Ack sweeps two batches (it adds one), reap ten and 1,000 single
    /// ids (so data expires while nothing is acked): at most 6,000 ids, under
    /// the 8,000 values Lua's unpack takes.
    static let sweepFunction = """
        local function sweep(now, limit, batches)
          local ids = redis.call('ZRANGEBYSCORE', '\(QueueKeys.expiry)', '-inf', now, 'LIMIT', 0, limit)
          local single = #ids
          local due = redis.call('ZRANGEBYSCORE', '\(QueueKeys.expiryBatches)', '-inf', now, 'LIMIT', 0, batches)
          for _, batch in ipairs(due) do
            for id in string.gmatch(batch, '%Z+') do ids[#ids + 1] = id end
          end
          if #ids == 0 then return 0 end
          for _, hash in ipairs({'\(QueueKeys.body)', '\(QueueKeys.info)', '\(QueueKeys.attempts)', '\(QueueKeys.holder)',
                                 '\(QueueKeys.lastError)', '\(QueueKeys.outcome)', '\(QueueKeys.deadReason)'}) do
            redis.call('HDEL', hash, unpack(ids))
          end
          if single > 0 then redis.call('ZREM', '\(QueueKeys.expiry)', unpack(ids, 1, single)) end
          if #due > 0 then redis.call('ZREM', '\(QueueKeys.expiryBatches)', unpack(due)) end
          return #ids
        end

        """

    /// Lua: `promote(ids)` moves delayed ids back to ready with the score and
    /// enqueue time they were first queued with (so a retry keeps its place).
    static let promoteFunction = """
        local function promote(delayed, ready, since, ids)
          redis.call('ZREM', delayed, unpack(ids))
          local infos = redis.call('HMGET', '\(QueueKeys.info)', unpack(ids))
          local scores, times = {}, {}
          for k, id in ipairs(ids) do
            if infos[k] then
              local score, at = string.match(infos[k], '^(%S+) (%S+)')
              scores[#scores + 1] = score; scores[#scores + 1] = id
              times[#times + 1] = at; times[#times + 1] = id
            end
          end
          if #scores > 0 then
            redis.call('ZADD', ready, unpack(scores))
            redis.call('ZADD', since, unpack(times))
          end
        end

        """

    // KEYS: ready, ready_since, body, info. ARGV: (id, body, score, enqueued_at
    // ms, info) per task. Known ids are one HMGET of info over the batch,
    // cancel flags one EXISTS (the usual answer is none, then no task needs a
    // check of its own); bodies and infos are one HSET each, ready and
    // ready_since one ZADD each. `attempts` is not written: absent reads as 0.
    static let enqueueBatchScript = RedisScript("""
        local ids, flags = {}, {}
        for i = 1, #ARGV, 5 do
          ids[#ids + 1] = ARGV[i]
          flags[#flags + 1] = 'synth:task:' .. ARGV[i] .. ':cancelled'
        end
        local known = redis.call('HMGET', KEYS[4], unpack(ids))
        local check = redis.call('EXISTS', unpack(flags)) > 0
        local added, ready, since, bodies, infos, seen = {}, {}, {}, {}, {}, {}
        for k, id in ipairs(ids) do
          local i = k * 5 - 4
          -- An id repeated in the batch was unknown before it, so the batch
          -- check alone would pass it twice.
          if not known[k] and not seen[id] and (not check or redis.call('EXISTS', flags[k]) == 0) then
            seen[id] = true
            bodies[#bodies + 1] = id; bodies[#bodies + 1] = ARGV[i + 1]
            infos[#infos + 1] = id; infos[#infos + 1] = ARGV[i + 4]
            ready[#ready + 1] = ARGV[i + 2]; ready[#ready + 1] = id
            since[#since + 1] = ARGV[i + 3]; since[#since + 1] = id
            added[k] = 1
          else
            added[k] = 0
          end
        end
        if #ready > 0 then
          redis.call('HSET', KEYS[3], unpack(bodies))
          redis.call('HSET', KEYS[4], \(Self.hashtable), unpack(infos))
          redis.call('ZADD', KEYS[1], unpack(ready))
          redis.call('ZADD', KEYS[2], unpack(since))
        end
        return added
        """)

    // KEYS: ready, inflight, delayed, ready_since, worker_load, body,
    // attempts, holder, info. ARGV: now ms, lease deadline ms, worker, max
    // inflight, worker capacity, count. Returns id, body, attempt per leased
    // task, flat, best first. Per popped batch: one HMGET of bodies, one of
    // attempts, one HSET of holders, one ZADD to inflight. A first lease
    // writes no attempts entry (absent while leased or finished means 1:
    // retry and reap write the count when they take a task out of
    // inflight), so attempts are written only for the few re-leased tasks.
    // Every value handed to redis.call is a string already (the deadline from
    // the caller, small attempt counts from a table): a Lua number would be
    // formatted with printf for each task, and ZRANGE + ZREMRANGEBYRANK pop
    // without the scores ZPOPMIN would format.
    static let leaseBatchScript = RedisScript(promoteFunction + """
        local due = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1], 'LIMIT', 0, 100)
        if #due > 0 then promote(KEYS[3], KEYS[1], KEYS[4], due) end
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
          local bodies = redis.call('HMGET', KEYS[6], unpack(ids))
          local before = redis.call('HMGET', KEYS[7], unpack(ids))
          local inflight, attempts, holders = {}, {}, {}
          for k, id in ipairs(ids) do
            -- A ready id without a body (deleted by hand) is dropped.
            if bodies[k] then
              local n = '1'
              if before[k] then
                n = counts[tonumber(before[k]) + 1] or tostring(tonumber(before[k]) + 1)
                attempts[#attempts + 1] = id; attempts[#attempts + 1] = n
              end
              holders[#holders + 1] = id; holders[#holders + 1] = worker
              inflight[#inflight + 1] = deadline; inflight[#inflight + 1] = id
              leased[#leased + 1] = id; leased[#leased + 1] = bodies[k]; leased[#leased + 1] = n
              want = want - 1
            end
          end
          if #attempts > 0 then redis.call('HSET', KEYS[7], \(Self.hashtable), unpack(attempts)) end
          if #inflight > 0 then
            redis.call('HSET', KEYS[8], \(Self.hashtable), unpack(holders))
            redis.call('ZADD', KEYS[2], unpack(inflight))
            total = total + #inflight / 2
          end
        end
        if total > 0 then redis.call('HINCRBY', KEYS[5], worker, total) end
        return leased
        """)

    // KEYS: inflight, worker_load, holder, expiry_batches. ARGV: now ms, when
    // a finished task's data expires (ms), then (id, worker) per lease. The
    // holder hash has an id only while it is in inflight, so holder = caller
    // is the whole check. Per batch: one HMGET and one HDEL of holders, one
    // ZREM from inflight, one entry in expiry_batches (the acked ids joined
    // by NUL), one HINCRBY per worker, and the sweep of expired data.
    static let ackBatchScript = RedisScript(sweepFunction + """
        local ids = {}
        for i = 3, #ARGV, 2 do ids[#ids + 1] = ARGV[i] end
        local holders = redis.call('HMGET', KEYS[3], unpack(ids))
        local acked, released, done, seen = {}, {}, {}, {}
        for k, id in ipairs(ids) do
          local worker = ARGV[k * 2 + 2]
          if holders[k] == worker and not seen[id] then
            seen[id] = true
            released[worker] = (released[worker] or 0) + 1
            done[#done + 1] = id
            acked[k] = 1
          else
            acked[k] = 0
          end
        end
        if #done > 0 then
          redis.call('HDEL', KEYS[3], unpack(done))
          redis.call('ZREM', KEYS[1], unpack(done))
          redis.call('ZADD', KEYS[4], ARGV[2], table.concat(done, string.char(0)))
        end
        for worker, n in pairs(released) do
          if redis.call('HINCRBY', KEYS[2], worker, -n) <= 0 then redis.call('HDEL', KEYS[2], worker) end
        end
        sweep(ARGV[1], 16, 2)
        return acked
        """)
}
