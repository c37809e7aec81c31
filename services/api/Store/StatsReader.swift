import Foundation
import SynthCommon
import SynthPostgres

/// Aggregates for `GET /api/v1/stats`, from the api's tasks and the
/// collector's projections, plus the queue's shape from Redis.
struct StatsReader: Sendable {
    let database: PostgresClient
    let queue: TaskQueue
    let weights: PriorityWeights

    struct CategoryStats: Encodable {
        var total = 0
        var byStatus: [String: Int] = [:]
        enum CodingKeys: String, CodingKey { case total, byStatus = "by_status" }
    }

    struct ModelStats: Encodable {
        var trajectories: Int
        var tokens: Int
        var costDollars: Double?
        enum CodingKeys: String, CodingKey { case trajectories, tokens, costDollars = "cost_dollars" }
    }

    struct Bucket: Encodable {
        var start: Date
        var completed: Int
        var submitted: Int
    }

    struct QueueView: Encodable {
        var ready: Int
        var delayed: Int
        var inflight: Int
        var dead: Int
        var oldestWaitingSeconds: Double
        var readyByBand: [String: Int]
        enum CodingKeys: String, CodingKey {
            case ready, delayed, inflight, dead
            case oldestWaitingSeconds = "oldest_waiting_seconds", readyByBand = "ready_by_band"
        }
    }

    struct Stats: Encodable {
        var tasksTotal: Int
        var byStatus: [String: Int]
        var byCategory: [String: CategoryStats]
        var trajectoriesCompleted: Int
        var passRate: Double?
        var meanReward: Double?
        var byModel: [String: ModelStats]
        var windowHours: Int
        var bucketMinutes: Int
        var throughput: [Bucket]
        var queue: QueueView?

        enum CodingKeys: String, CodingKey {
            case throughput, queue
            case tasksTotal = "tasks_total", byStatus = "by_status", byCategory = "by_category"
            case trajectoriesCompleted = "trajectories_completed", passRate = "pass_rate", meanReward = "mean_reward"
            case byModel = "by_model", windowHours = "window_hours", bucketMinutes = "bucket_minutes"
        }
    }

    func stats(windowHours: Int, bucketMinutes: Int, now: Date = Date()) async throws -> Stats {
        var byStatus: [String: Int] = [:], byCategory: [String: CategoryStats] = [:], total = 0
        for row in try await database.aggregate("""
            SELECT t.category, COALESCE(s.status, 'submitted') AS status, count(*) AS n
            FROM tasks t LEFT JOIN task_status s ON s.task_id = t.id GROUP BY 1, 2
            """) {
            let count = row.int("n") ?? 0, status = row["status"] ?? "submitted", category = row["category"] ?? ""
            total += count
            byStatus[status, default: 0] += count
            byCategory[category, default: CategoryStats()].total += count
            byCategory[category, default: CategoryStats()].byStatus[status, default: 0] += count
        }
        // Pass rate and reward over each task's final (first completed) trajectory.
        let outcome = try await database.aggregate("""
            SELECT count(*) AS n, avg(CASE WHEN tr.verification_passed THEN 1.0 ELSE 0.0 END) AS pass_rate, avg(tr.total_reward) AS reward
            FROM task_status s JOIN trajectories tr ON tr.trajectory_id = s.final_trajectory_id
            """).first
        var byModel: [String: ModelStats] = [:]
        for row in try await database.query("""
            SELECT llm_model, count(*) AS n, COALESCE(sum(total_tokens), 0) AS tokens FROM trajectories GROUP BY llm_model
            """) {
            byModel[row["llm_model"] ?? ""] = ModelStats(trajectories: row.int("n") ?? 0, tokens: row.int("tokens") ?? 0, costDollars: nil)
        }
        // Cost comes from the router's call records, when a collector has stored them.
        if try await database.query("SELECT to_regclass('llm_calls') IS NOT NULL AS present").first?.bool("present") == true,
           let rows = try? await database.query("SELECT model, sum(cost_dollars) AS cost FROM llm_calls GROUP BY model") {
            for row in rows {
                let model = row["model"] ?? ""
                byModel[model, default: ModelStats(trajectories: 0, tokens: 0, costDollars: nil)].costDollars = row.double("cost") ?? 0
            }
        }
        let since = now.addingTimeInterval(-Double(windowHours) * 3600)
        let bucketSeconds = bucketMinutes * 60
        var buckets: [Int64: Bucket] = [:]
        let start = Int64(since.timeIntervalSince1970) / Int64(bucketSeconds) * Int64(bucketSeconds)
        var cursor = start
        while Double(cursor) <= now.timeIntervalSince1970 {
            buckets[cursor] = Bucket(start: Date(timeIntervalSince1970: Double(cursor)), completed: 0, submitted: 0)
            cursor += Int64(bucketSeconds)
        }
        func bucketed(_ sql: String) async throws -> [(Int64, Int)] {
            try await database.query(sql, [SynthJSON.formatTimestamp(since), String(bucketSeconds)]).map {
                (Int64($0["bucket"] ?? "") ?? 0, $0.int("n") ?? 0)
            }
        }
        for (bucket, count) in try await bucketed("""
            SELECT (floor(extract(epoch FROM completed_at) / $2::int) * $2::int)::bigint AS bucket, count(*) AS n
            FROM trajectories WHERE completed_at >= $1::timestamptz GROUP BY 1
            """) { buckets[bucket]?.completed += count }
        for (bucket, count) in try await bucketed("""
            SELECT (floor(extract(epoch FROM created_at) / $2::int) * $2::int)::bigint AS bucket, count(*) AS n
            FROM tasks WHERE created_at >= $1::timestamptz GROUP BY 1
            """) { buckets[bucket]?.submitted += count }
        let queueStats = try? await queue.stats(weights: weights, now: now)
        return Stats(
            tasksTotal: total, byStatus: byStatus, byCategory: byCategory, trajectoriesCompleted: outcome?.int("n") ?? 0,
            passRate: outcome?.double("pass_rate"), meanReward: outcome?.double("reward"), byModel: byModel,
            windowHours: windowHours, bucketMinutes: bucketMinutes, throughput: buckets.keys.sorted().compactMap { buckets[$0] },
            queue: queueStats.map {
                QueueView(ready: $0.ready, delayed: $0.delayed, inflight: $0.inflight, dead: $0.dead,
                          oldestWaitingSeconds: $0.oldestWaitingSeconds, readyByBand: $0.readyByBand)
            })
    }
}
