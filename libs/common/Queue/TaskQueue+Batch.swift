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
            // ARGV[1]: the runs of equal enqueue times, "ms count ..." (a batch is usually one run).
            var runs: [(ms: String, count: Int)] = []
            var arguments: [[UInt8]] = [[]]
            arguments.reserveCapacity(1 + chunk.count * 4)
            for entry in chunk {
                let score = String(entry.score), since = Self.ms(entry.enqueuedAt)
                if runs.last?.ms == since { runs[runs.count - 1].count += 1 } else { runs.append((since, 1)) }
                // The info value is built here, not in Lua: a Lua concatenation allocates and hashes a new string.
                arguments += [Array(entry.task.id.utf8), try entry.encoded ?? entry.task.json(), Array(score.utf8),
                              Array("\(score) \(since) \(entry.task.category)".utf8)]
            }
            arguments[0] = Array(runs.map { "\($0.ms) \($0.count)" }.joined(separator: " ").utf8)
            let reply = try await redis.eval(Self.enqueueBatchScript, keys: [QueueKeys.ready, QueueKeys.body, QueueKeys.info],
                                             arguments: arguments)
            added += Self.flags(count: chunk.count, falseAt: reply)
        }
        return added
    }

    /// Leases up to `count` of the best tasks to `workerID` in one step, as
    /// many as the queue holds and the caps allow: `maxInflight` leases in
    /// total and `workerCapacity` held by this worker (0 = no limit for
    /// either). A worker with k free slots asks for k. Retries whose backoff
    /// has passed are promoted to ready first.
    ///
    /// The definitions are read in a second round trip, one HMGET, outside
    /// the script: a body read inside Lua is copied into an interned Lua
    /// string and back into the reply, which cost Redis more than the rest of
    /// the lease. Nothing can delete a leased task's body in between (data is
    /// swept only after the task ended). A leased id without a body (deleted
    /// by hand) is acked at once and not returned.
    public func lease(workerID: String, upTo count: Int, leaseSeconds: Double, maxInflight: Int = 0, workerCapacity: Int = 0,
                      now: Date = Date()) async throws -> [TaskLease] {
        guard count > 0 else { return [] }
        let reply = try await redis.eval(Self.leaseBatchScript,
                                         keys: [QueueKeys.ready, QueueKeys.inflight, QueueKeys.delayed, QueueKeys.info,
                                                QueueKeys.workerLoad, QueueKeys.attempts, QueueKeys.holder],
                                         arguments: [Self.ms(now), Self.ms(now.addingTimeInterval(leaseSeconds)), workerID, String(maxInflight),
                                                     String(workerCapacity), String(min(count, Self.maxBatch))])
        // Reply: the leased ids best first, then (index, attempt) for each one leased before (a first lease is attempt 1).
        let parts = reply.array ?? []
        let ids = (parts.first?.array ?? []).compactMap(\.string)
        guard !ids.isEmpty else { return [] }
        var attempts = [Int](repeating: 1, count: ids.count)
        if parts.count > 1, let again = parts[1].array {
            for pair in stride(from: 0, to: again.count - 1, by: 2) {
                if let index = again[pair].int, let attempt = again[pair + 1].int, index >= 1, index <= ids.count {
                    attempts[Int(index) - 1] = Int(attempt)
                }
            }
        }
        let bodies = try await redis.command([Array("HMGET".utf8), Array(QueueKeys.body.utf8)] + ids.map { Array($0.utf8) }).array ?? []
        var leases: [TaskLease] = [], orphans: [TaskLease] = []
        leases.reserveCapacity(ids.count)
        for (index, id) in ids.enumerated() {
            guard index < bodies.count, case .bulk(let body) = bodies[index] else {
                orphans.append(TaskLease(taskID: id, task: nil, attempt: attempts[index], workerID: workerID))
                continue
            }
            leases.append(TaskLease(taskID: id, task: try TaskDefinition(json: body), attempt: attempts[index], workerID: workerID))
        }
        if !orphans.isEmpty { _ = try await ack(orphans, now: now) }
        return leases
    }

    /// Per-item results from a script reply that lists the 1-based indices
    /// whose result is false: the usual reply is empty, so a batch's answer
    /// costs Redis no reply element per item.
    static func flags(count: Int, falseAt reply: RedisValue) -> [Bool] {
        var flags = [Bool](repeating: true, count: count)
        for value in reply.array ?? [] {
            if let index = value.int, index >= 1, index <= count { flags[Int(index) - 1] = false }
        }
        return flags
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
            acked += Self.flags(count: chunk.count, falseAt: reply)
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

    /// Lua: `shift(delta)` applies a table enqueue time (ms) -> change in
    /// ready tasks to readyCounts and readyTimes: a time enters readyTimes
    /// when its count leaves 0 and leaves when it returns to 0. One call per
    /// distinct time, usually one per batch. `tally(infos, delta, step)`
    /// builds such a table from tasks' infos (lease, cancel, migration).
    static let shiftFunction = """
        local function shift(delta)
          for at, n in pairs(delta) do
            if n ~= 0 then
              local left = redis.call('HINCRBY', '\(QueueKeys.readyCounts)', at, n)
              if left <= 0 then
                redis.call('HDEL', '\(QueueKeys.readyCounts)', at)
                redis.call('ZREM', '\(QueueKeys.readyTimes)', at)
              elseif left == n then
                redis.call('ZADD', '\(QueueKeys.readyTimes)', at, at)
              end
            end
          end
        end
        -- Adds `step` per task to delta, by the enqueue times in their infos
        -- ("<score> <ms> <category>"; two plain finds cost less than a pattern).
        local function tally(infos, delta, step)
          for k = 1, #infos do
            local info = infos[k]
            local first = info and string.find(info, ' ', 1, true)
            local second = first and string.find(info, ' ', first + 1, true)
            if second then
              local at = string.sub(info, first + 1, second - 1)
              delta[at] = (delta[at] or 0) + step
            end
          end
          return delta
        end

        """

    /// Lua: `promote(delayed, ready, ids)` moves delayed ids back to ready
    /// with the score and enqueue time they were first queued with (so a
    /// retry keeps its place).
    static let promoteFunction = shiftFunction + """
        local function promote(delayed, ready, ids)
          redis.call('ZREM', delayed, unpack(ids))
          local infos = redis.call('HMGET', '\(QueueKeys.info)', unpack(ids))
          local scores, delta, m = {}, {}, 0
          for k, id in ipairs(ids) do
            if infos[k] then
              local score, at = string.match(infos[k], '^(%S+) (%d+)')
              if score then
                m = m + 2
                scores[m - 1] = score; scores[m] = id
                delta[at] = (delta[at] or 0) + 1
              end
            end
          end
          if m > 0 then
            redis.call('ZADD', ready, unpack(scores))
            shift(delta)
          end
        end

        """

    // KEYS: ready, body, info. ARGV: the runs of equal enqueue times ("ms
    // count ..."), then (id, body, score, info) per task. Known ids are one
    // HMGET of info over the batch; a task cancelled before it was queued is
    // known too (cancel writes an empty info), so that one read is the whole
    // check. Bodies and infos are one HSET each, ready one ZADD, and the
    // enqueue times one shift per run. `attempts` is not written: absent
    // reads as 0. Returns the 1-based indices not added. Tables are filled
    // through counters: Lua 5.1's `#t` is a binary search.
    static let enqueueBatchScript = RedisScript(shiftFunction + """
        local n = (#ARGV - 1) / 4
        local ids = {}
        for k = 1, n do ids[k] = ARGV[k * 4 - 2] end
        local known = redis.call('HMGET', KEYS[3], unpack(ids))
        local runs, ends, last = {}, {}, 0
        for at, count in string.gmatch(ARGV[1], '(%d+) (%d+)') do
          last = last + tonumber(count)
          runs[#runs + 1] = at; ends[#ends + 1] = last
        end
        local rejected, ready, bodies, infos, seen, delta = {}, {}, {}, {}, {}, {}
        local r, a, run = 0, 0, 1
        for k = 1, n do
          local id = ids[k]
          while ends[run] and k > ends[run] do run = run + 1 end
          -- An id repeated in the batch was unknown before it, so the batch
          -- read alone would pass it twice.
          if known[k] or seen[id] then
            r = r + 1
            rejected[r] = k
          else
            seen[id] = true
            local i = k * 4 - 2
            a = a + 2
            bodies[a - 1] = id; bodies[a] = ARGV[i + 1]
            infos[a - 1] = id; infos[a] = ARGV[i + 3]
            ready[a - 1] = ARGV[i + 2]; ready[a] = id
            local at = runs[run]
            delta[at] = (delta[at] or 0) + 1
          end
        end
        if a > 0 then
          redis.call('HSET', KEYS[2], unpack(bodies))
          redis.call('HSET', KEYS[3], \(Self.hashtable), unpack(infos))
          redis.call('ZADD', KEYS[1], unpack(ready))
          shift(delta)
        end
        return rejected
        """)

    // KEYS: ready, inflight, delayed, info, worker_load, attempts, holder.
    // ARGV: now ms, lease deadline ms, worker, max inflight, worker
    // capacity, count. Returns {ids best first, (index, attempt) of each id
    // leased before}. One ZRANGE + ZREMRANGEBYRANK pops (no scores to
    // format, as ZPOPMIN would), one HMGET of infos gives the enqueue times
    // to take out of readyCounts, then one HMGET of attempts, one HSET of
    // holders, one ZADD to inflight. A first lease writes no attempts entry
    // (absent while leased or finished means 1: retry and reap write the
    // count when they take a task out of inflight), so attempts are written
    // only for the few re-leased tasks. Every value handed to redis.call is a
    // string already (the deadline from the caller, small attempt counts
    // from a table): a Lua number would be formatted with printf per task.
    static let leaseBatchScript = RedisScript(promoteFunction + """
        local due = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1], 'LIMIT', 0, 100)
        if #due > 0 then promote(KEYS[3], KEYS[1], due) end
        local want = tonumber(ARGV[6])
        local limit = tonumber(ARGV[4])
        if limit > 0 then want = math.min(want, limit - redis.call('ZCARD', KEYS[2])) end
        local capacity = tonumber(ARGV[5])
        local worker = ARGV[3]
        if capacity > 0 then want = math.min(want, capacity - tonumber(redis.call('HGET', KEYS[5], worker) or '0')) end
        if want <= 0 then return {} end
        local ids = redis.call('ZRANGE', KEYS[1], 0, want - 1)
        local n = #ids
        if n == 0 then return {} end
        redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - 1)
        if n < want then
          -- Ready is empty now: no enqueue time is left (this also clears any count a hand edit left behind).
          redis.call('DEL', '\(QueueKeys.readyCounts)', '\(QueueKeys.readyTimes)')
        else
          shift(tally(redis.call('HMGET', KEYS[4], unpack(ids)), {}, -1))
        end
        -- Attempts are read only when some task has an entry: usually none has (a first lease writes none).
        local size = redis.call('HLEN', KEYS[6])
        local before = {}
        if size > 1 or (size == 1 and redis.call('HEXISTS', KEYS[6], '\(QueueKeys.hashtableField)') == 0) then
          before = redis.call('HMGET', KEYS[6], unpack(ids))
        end
        local counts = {'1', '2', '3', '4', '5', '6', '7', '8', '9', '10'}
        local deadline = ARGV[2]
        local inflight, holders, attempts, again = {}, {}, {}, {}
        local m = 0
        for k = 1, n do
          local id = ids[k]
          if before[k] then
            local count = tonumber(before[k]) + 1
            m = m + 2
            attempts[m - 1] = id; attempts[m] = counts[count] or tostring(count)
            again[m - 1] = k; again[m] = count
          end
          holders[k * 2 - 1] = id; holders[k * 2] = worker
          inflight[k * 2 - 1] = deadline; inflight[k * 2] = id
        end
        if m > 0 then redis.call('HSET', KEYS[6], \(Self.hashtable), unpack(attempts)) end
        redis.call('HSET', KEYS[7], \(Self.hashtable), unpack(holders))
        redis.call('ZADD', KEYS[2], unpack(inflight))
        redis.call('HINCRBY', KEYS[5], worker, n)
        return {ids, again}
        """)

    // KEYS: inflight, worker_load, holder, expiry_batches. ARGV: now ms, when
    // a finished task's data expires (ms), then (id, worker) per lease. The
    // holder hash has an id only while it is in inflight, so holder = caller
    // is the whole check. Per batch: one HMGET and one HDEL of holders, one
    // HDEL of bodies (nothing reads a finished task's body, and it is most
    // of a task's memory: at 46,000 tasks/s an hour of them would be 100 GB,
    // and every AOF rewrite copies what is left), one ZREM from inflight,
    // one entry in expiry_batches (the acked ids joined by NUL), one HINCRBY
    // per worker, and the sweep of expired data.
    // Returns the 1-based indices not acked.
    static let ackBatchScript = RedisScript(sweepFunction + """
        local n = (#ARGV - 2) / 2
        local ids = {}
        for k = 1, n do ids[k] = ARGV[k * 2 + 1] end
        local holders = redis.call('HMGET', KEYS[3], unpack(ids))
        local rejected, released, done, seen = {}, {}, {}, {}
        local r, d = 0, 0
        for k = 1, n do
          local id, worker = ids[k], ARGV[k * 2 + 2]
          if holders[k] == worker and not seen[id] then
            seen[id] = true
            released[worker] = (released[worker] or 0) + 1
            d = d + 1
            done[d] = id
          else
            r = r + 1
            rejected[r] = k
          end
        end
        if d > 0 then
          redis.call('HDEL', KEYS[3], unpack(done))
          redis.call('HDEL', '\(QueueKeys.body)', unpack(done))
          redis.call('ZREM', KEYS[1], unpack(done))
          redis.call('ZADD', KEYS[4], ARGV[2], table.concat(done, string.char(0)))
        end
        for worker, count in pairs(released) do
          if redis.call('HINCRBY', KEYS[2], worker, -count) <= 0 then redis.call('HDEL', KEYS[2], worker) end
        end
        sweep(ARGV[1], 16, 2)
        return rejected
        """)
}
