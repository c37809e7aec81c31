import Foundation
import SynthCommon
import SynthPostgres

/// Builds monitor snapshots from the same sources as `/api/v1/stats`, plus
/// the pass-rate breakdowns and recent failures only the page shows.
struct MonitorReader: Sendable {
    let database: PostgresClient
    let stats: StatsReader
    let queue: TaskQueue
    let alerts: AlertEvaluator

    func snapshot(now: Date = Date()) async throws -> MonitorSnapshot {
        async let summary = stats.stats(windowHours: 24, bucketMinutes: 60, now: now)
        async let workers = queue.workers(now: now)
        async let breakdown = database.aggregate("""
            SELECT t.category, tr.llm_model, tr.scaffold, count(*) AS n,
                   count(*) FILTER (WHERE tr.verification_passed) AS passed, avg(tr.total_reward) AS reward
            FROM task_status s JOIN trajectories tr ON tr.trajectory_id = s.final_trajectory_id JOIN tasks t ON t.id = s.task_id
            GROUP BY 1, 2, 3
            """)
        async let failures = database.query("""
            SELECT s.task_id, s.status, s.reason, t.category, to_char(s.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
            FROM task_status s JOIN tasks t ON t.id = s.task_id
            WHERE s.status IN ('failed', 'error', 'timeout') ORDER BY s.updated_at DESC LIMIT 20
            """)
        let rows = try await breakdown
        return MonitorSnapshot(
            generatedAt: now, stats: try await summary,
            byCategory: Self.group(rows, by: "category"), byModel: Self.group(rows, by: "llm_model"),
            byScaffold: Self.group(rows, by: "scaffold"), workers: try await workers,
            recentFailures: try await failures.map { row in
                MonitorSnapshot.Failure(taskID: row["task_id"] ?? "", status: row["status"] ?? "", reason: row["reason"],
                                        category: row["category"] ?? "", updatedAt: row["at"] ?? "")
            },
            alerts: alerts.states())
    }

    /// Sums the (category, model, scaffold) rows over one of the three keys.
    static func group(_ rows: PostgresRows, by column: String) -> [MonitorSnapshot.Breakdown] {
        var totals: [String: (count: Int, passed: Int, rewardSum: Double)] = [:]
        for row in rows {
            let key = row[column] ?? "", count = row.int("n") ?? 0
            var entry = totals[key] ?? (0, 0, 0)
            entry.count += count
            entry.passed += row.int("passed") ?? 0
            entry.rewardSum += (row.double("reward") ?? 0) * Double(count)
            totals[key] = entry
        }
        return totals.sorted { $0.key < $1.key }.map { key, entry in
            MonitorSnapshot.Breakdown(key: key, trajectories: entry.count, passed: entry.passed,
                                      passRate: entry.count > 0 ? Double(entry.passed) / Double(entry.count) : nil,
                                      meanReward: entry.count > 0 ? entry.rewardSum / Double(entry.count) : nil)
        }
    }
}
