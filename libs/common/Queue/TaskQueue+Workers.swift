import Foundation
import SynthRedis

/// Worker heartbeats in Redis: executors report themselves every few seconds,
/// the api lists them and can ask one to stop. Records of workers unseen for
/// a day are dropped, so the registry stays bounded.
extension TaskQueue {
    public static let workerRetentionSeconds: Double = 86_400

    public func reportWorker(workerID: String, status: String, capacity: Int, activeTasks: Int, startedAt: Date,
                             now: Date = Date()) async throws {
        let key = QueueKeys.worker(workerID)
        _ = try await redis.pipeline([
            ["HSET", key, "status", status, "capacity", String(capacity), "active", String(activeTasks),
             "started_at", Self.ms(startedAt), "seen_at", Self.ms(now)],
            ["EXPIRE", key, String(Int(Self.workerRetentionSeconds))],
            ["ZADD", QueueKeys.workers, Self.ms(now), workerID],
            ["ZREMRANGEBYSCORE", QueueKeys.workers, "-inf", Self.ms(now.addingTimeInterval(-Self.workerRetentionSeconds))],
        ].map { $0.map { Array($0.utf8) } })
    }

    /// Workers seen in the last day, most recently seen first. A worker whose
    /// last heartbeat is older than `lostAfterSeconds` is reported as lost.
    public func workers(lostAfterSeconds: Double = 30, now: Date = Date()) async throws -> [WorkerRecord] {
        let ids = try await redis.command("ZREVRANGE", QueueKeys.workers, "0", "999").array?.compactMap(\.string) ?? []
        var records: [WorkerRecord] = []
        for id in ids {
            if let record = try await worker(id: id, lostAfterSeconds: lostAfterSeconds, now: now) { records.append(record) }
        }
        return records
    }

    public func worker(id: String, lostAfterSeconds: Double = 30, now: Date = Date()) async throws -> WorkerRecord? {
        let replies = try await redis.pipeline([
            ["HMGET", QueueKeys.worker(id), "status", "capacity", "active", "started_at", "seen_at"],
            ["HGET", QueueKeys.workerLoad, id],
            ["EXISTS", QueueKeys.workerStop(id)],
        ].map { $0.map { Array($0.utf8) } })
        guard let fields = replies[0].array, fields.count == 5, let seenText = fields[4].string, let seen = Double(seenText) else {
            return nil
        }
        let lastSeen = Date(timeIntervalSince1970: seen / 1000)
        var status = fields[0].string ?? "active"
        if status != "stopped" && now.timeIntervalSince(lastSeen) > lostAfterSeconds { status = "lost" }
        return WorkerRecord(
            workerID: id, status: status, capacity: Int(fields[1].string ?? "") ?? 0, activeTasks: Int(fields[2].string ?? "") ?? 0,
            leases: Int(replies[1].string ?? "") ?? 0, lastSeen: lastSeen,
            startedAt: fields[3].string.flatMap(Double.init).map { Date(timeIntervalSince1970: $0 / 1000) },
            stopRequested: replies[2].int == 1)
    }

    /// Asks a worker to stop taking tasks; it finishes what it runs and exits its slots.
    public func requestStop(workerID: String) async throws {
        _ = try await redis.command("SET", QueueKeys.workerStop(workerID), "1", "EX", String(Int(Self.workerRetentionSeconds)))
    }

    public func isStopRequested(workerID: String) async throws -> Bool {
        try await redis.command("EXISTS", QueueKeys.workerStop(workerID)).int == 1
    }
}
