import Foundation
import SynthRedis

/// The Redis priority queue shared by the scheduler (enqueue, reap) and the
/// executors (lease, heartbeat, ack). Each state change is one Lua script, so
/// a process killed at any instant leaves every task either ready or leased.
public struct TaskQueue: Sendable {
    public let redis: RedisClient
    /// How long a finished task's body and meta stay in Redis.
    public var finishedTTLSeconds = 3_600

    public init(redis: RedisClient) {
        self.redis = redis
    }

    /// Adds a task unless it is already known (a redelivered TaskSubmitted is a
    /// no-op). Returns false when it was already there.
    @discardableResult
    public func enqueue(_ task: TaskDefinition, score: Double, now: Date = Date()) async throws -> Bool {
        let body = String(decoding: try SynthJSON.encode(task), as: UTF8.self)
        let reply = try await redis.eval(Self.enqueueScript, keys: [QueueKeys.ready, QueueKeys.task(task.id), QueueKeys.meta(task.id)],
                                         arguments: [task.id, body, String(score), String(Int64(now.timeIntervalSince1970 * 1000))])
        return reply.int == 1
    }

    /// Pops the best task and leases it to `workerID` in one step. Nil when the
    /// queue is empty or `maxInflight` tasks are already leased (0 = no limit).
    public func lease(workerID: String, leaseSeconds: Double, maxInflight: Int = 0, now: Date = Date()) async throws -> TaskLease? {
        let reply = try await redis.eval(Self.leaseScript, keys: [QueueKeys.ready, QueueKeys.inflight],
                                         arguments: [String(Int64(now.timeIntervalSince1970 * 1000)), String(Int64(leaseSeconds * 1000)),
                                                     workerID, String(maxInflight)])
        guard let parts = reply.array, parts.count == 3, let id = parts[0].string else { return nil }
        let task = try parts[1].string.map { try SynthJSON.decode(TaskDefinition.self, from: Array($0.utf8)) }
        return TaskLease(taskID: id, task: task, attempt: Int(parts[2].int ?? 1), workerID: workerID)
    }

    /// Extends a lease; false when the worker no longer holds it (it expired
    /// and the task went to someone else), so the worker must stop.
    public func heartbeat(_ lease: TaskLease, leaseSeconds: Double, now: Date = Date()) async throws -> Bool {
        let reply = try await redis.eval(Self.heartbeatScript, keys: [QueueKeys.inflight, QueueKeys.meta(lease.taskID)],
                                         arguments: [lease.taskID, lease.workerID, String(Int64((now.timeIntervalSince1970 + leaseSeconds) * 1000))])
        return reply.int == 1
    }

    /// Releases a finished task. Only the lease holder can ack.
    @discardableResult
    public func ack(_ lease: TaskLease) async throws -> Bool {
        let reply = try await redis.eval(Self.ackScript, keys: [QueueKeys.inflight, QueueKeys.meta(lease.taskID), QueueKeys.task(lease.taskID)],
                                         arguments: [lease.taskID, lease.workerID, String(finishedTTLSeconds)])
        return reply.int == 1
    }

    /// Gives a lease back after an infrastructure failure: the task returns to
    /// ready with its original score (so it keeps its place) unless it has used
    /// `maxAttempts`. Returns false when it was not requeued (out of attempts,
    /// or the lease was no longer ours).
    public func retry(_ lease: TaskLease, maxAttempts: Int) async throws -> Bool {
        let reply = try await redis.eval(Self.retryScript, keys: [QueueKeys.inflight, QueueKeys.meta(lease.taskID), QueueKeys.ready],
                                         arguments: [lease.taskID, lease.workerID, String(maxAttempts)])
        return reply.int == 1
    }

    public func cancel(taskID: String) async throws {
        _ = try await redis.pipeline([
            ["SET", QueueKeys.cancelled(taskID), "1", "EX", "86400"].map { Array($0.utf8) },
            ["ZREM", QueueKeys.ready, taskID].map { Array($0.utf8) },
        ])
    }

    public func isCancelled(taskID: String) async throws -> Bool {
        try await redis.command("EXISTS", QueueKeys.cancelled(taskID)).int == 1
    }

    public func depth() async throws -> (ready: Int, inflight: Int) {
        let replies = try await redis.pipeline([["ZCARD", QueueKeys.ready], ["ZCARD", QueueKeys.inflight]].map { $0.map { Array($0.utf8) } })
        return (Int(replies[0].int ?? 0), Int(replies[1].int ?? 0))
    }

    /// Expired leases go back to ready (attempts so far are kept in meta) or,
    /// past `maxAttempts`, to the dead letter list. Returns both id lists.
    public func reapExpired(maxAttempts: Int, now: Date = Date()) async throws -> (requeued: [String], dead: [String]) {
        let reply = try await redis.eval(Self.reapScript, keys: [QueueKeys.inflight, QueueKeys.ready, QueueKeys.dead],
                                         arguments: [String(Int64(now.timeIntervalSince1970 * 1000)), String(maxAttempts)])
        let parts = reply.array ?? []
        func ids(_ value: RedisValue?) -> [String] { value?.array?.compactMap(\.string) ?? [] }
        return (ids(parts.first), ids(parts.count > 1 ? parts[1] : nil))
    }

    // Scripts build per-task keys from the id (synth:task:<id>:meta), so this
    // queue needs one Redis node (or a cluster with all keys in one slot).
    static let enqueueScript = RedisScript("""
        if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
        redis.call('SET', KEYS[2], ARGV[2])
        redis.call('HSET', KEYS[3], 'attempts', 0, 'enqueued_at', ARGV[4], 'score', ARGV[3])
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        return 1
        """)

    static let leaseScript = RedisScript("""
        local limit = tonumber(ARGV[4])
        if limit > 0 and redis.call('ZCARD', KEYS[2]) >= limit then return nil end
        while true do
          local popped = redis.call('ZPOPMIN', KEYS[1])
          if #popped == 0 then return nil end
          local id = popped[1]
          local body = redis.call('GET', 'synth:task:' .. id)
          if body then
            redis.call('ZADD', KEYS[2], tonumber(ARGV[1]) + tonumber(ARGV[2]), id)
            local meta = 'synth:task:' .. id .. ':meta'
            local attempts = redis.call('HINCRBY', meta, 'attempts', 1)
            redis.call('HSET', meta, 'worker', ARGV[3], 'leased_at', ARGV[1])
            return {id, body, attempts}
          end
        end
        """)

    static let heartbeatScript = RedisScript("""
        if redis.call('HGET', KEYS[2], 'worker') ~= ARGV[2] then return 0 end
        if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
        redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
        return 1
        """)

    static let ackScript = RedisScript("""
        if redis.call('HGET', KEYS[2], 'worker') ~= ARGV[2] then return 0 end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HSET', KEYS[2], 'finished', 1)
        redis.call('EXPIRE', KEYS[2], tonumber(ARGV[3]))
        redis.call('EXPIRE', KEYS[3], tonumber(ARGV[3]))
        return 1
        """)

    static let retryScript = RedisScript("""
        if redis.call('HGET', KEYS[2], 'worker') ~= ARGV[2] then return 0 end
        if tonumber(redis.call('HGET', KEYS[2], 'attempts') or '0') >= tonumber(ARGV[3]) then return 0 end
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], 'worker')
        redis.call('ZADD', KEYS[3], redis.call('HGET', KEYS[2], 'score') or 0, ARGV[1])
        return 1
        """)

    static let reapScript = RedisScript("""
        local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
        local requeued, dead = {}, {}
        for _, id in ipairs(expired) do
          redis.call('ZREM', KEYS[1], id)
          local meta = 'synth:task:' .. id .. ':meta'
          local attempts = tonumber(redis.call('HGET', meta, 'attempts') or '0')
          if attempts >= tonumber(ARGV[2]) then
            redis.call('RPUSH', KEYS[3], id)
            redis.call('HSET', meta, 'dead', 1)
            table.insert(dead, id)
          else
            redis.call('HDEL', meta, 'worker')
            redis.call('ZADD', KEYS[2], redis.call('HGET', meta, 'score') or 0, id)
            table.insert(requeued, id)
          end
        end
        return {requeued, dead}
        """)
}
