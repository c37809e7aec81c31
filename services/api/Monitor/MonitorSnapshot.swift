import Foundation
import SynthCommon

/// Everything the Quality Monitor page shows, computed once per tick and sent
/// to every open page as one server-sent event.
struct MonitorSnapshot: Encodable, Sendable {
    struct Breakdown: Encodable, Sendable {
        var key: String
        var trajectories: Int
        var passed: Int
        var passRate: Double?
        var meanReward: Double?
        enum CodingKeys: String, CodingKey { case key, trajectories, passed, passRate = "pass_rate", meanReward = "mean_reward" }
    }

    struct Failure: Encodable, Sendable {
        var taskID: String
        var status: String
        var reason: String?
        var category: String
        var updatedAt: String
        enum CodingKeys: String, CodingKey { case status, reason, category, taskID = "task_id", updatedAt = "updated_at" }
    }

    var generatedAt: Date
    var stats: StatsReader.Stats
    var byCategory: [Breakdown]
    var byModel: [Breakdown]
    var byScaffold: [Breakdown]
    var workers: [WorkerRecord]
    var recentFailures: [Failure]
    var alerts: [AlertState]

    enum CodingKeys: String, CodingKey {
        case stats, workers, alerts
        case generatedAt = "generated_at", byCategory = "by_category", byModel = "by_model", byScaffold = "by_scaffold"
        case recentFailures = "recent_failures"
    }
}
