import Foundation
import SynthCommon
import SynthPostgres

/// Read-only access to the collector's trajectories and transitions.
struct TrajectoryReader: Sendable {
    let database: PostgresClient

    static let columns = """
        trajectory_id, task_id, worker_id, attempt, llm_model, scaffold, seed, started_at, completed_at, final_result,
        total_steps, total_tokens, total_reward, reward_breakdown, verification_passed, execution_time_seconds,
        (extract(epoch FROM started_at) * 1000000)::bigint AS started_us
        """

    func trajectory(id: String) async throws -> TrajectoryDetail? {
        let rows = try await database.query(
            "SELECT \(Self.columns), prompt_messages, tools, final_patch FROM trajectories WHERE trajectory_id = $1", [id])
        guard let row = rows.first else { return nil }
        let steps = try await database.query(
            "SELECT transition FROM transitions WHERE trajectory_id = $1 ORDER BY step_number", [id])
        return TrajectoryDetail(
            summary: try TrajectorySummary(row: row),
            promptMessages: try row["prompt_messages"].map(Self.json),
            tools: try row["tools"].map(Self.json),
            finalPatch: row["final_patch"],
            transitions: try steps.compactMap { try $0["transition"].map(Self.json) })
    }

    func list(_ filter: TrajectoryFilter) async throws -> (items: [TrajectorySummary], next: Cursor?) {
        var conditions: [String] = [], parameters: [String?] = []
        func bind(_ value: String) -> String { parameters.append(value); return "$\(parameters.count)" }
        if let taskID = filter.taskID { conditions.append("task_id = \(bind(taskID))") }
        if let model = filter.model { conditions.append("llm_model = \(bind(model))") }
        if let worker = filter.workerID { conditions.append("worker_id = \(bind(worker))") }
        if let verified = filter.verified { conditions.append("verification_passed IS \(verified ? "TRUE" : "NOT TRUE")") }
        if let completed = filter.completed { conditions.append("completed_at IS \(completed ? "NOT NULL" : "NULL")") }
        if let minReward = filter.minReward { conditions.append("total_reward >= \(bind(String(minReward)))::double precision") }
        if let after = filter.startedAfter { conditions.append("started_at >= \(bind(SynthJSON.formatTimestamp(after)))::timestamptz") }
        if let before = filter.startedBefore { conditions.append("started_at < \(bind(SynthJSON.formatTimestamp(before)))::timestamptz") }
        if let cursor = filter.cursor {
            conditions.append("(started_at, trajectory_id) < (timestamptz 'epoch' + \(bind(String(cursor.micros)))::bigint * interval '1 microsecond', \(bind(cursor.id)))")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try await database.query("""
            SELECT \(Self.columns) FROM trajectories \(whereClause) ORDER BY started_at DESC, trajectory_id DESC LIMIT \(filter.limit + 1)
            """, parameters)
        var items: [TrajectorySummary] = [], last: Cursor?
        for (index, row) in rows.enumerated() where index < filter.limit {
            items.append(try TrajectorySummary(row: row))
            last = Cursor(micros: Int64(row["started_us"] ?? "") ?? 0, id: row["trajectory_id"] ?? "")
        }
        return (items, rows.count > filter.limit ? last : nil)
    }

    static func json(_ text: String) throws -> JSONValue {
        try SynthJSON.decode(JSONValue.self, from: Array(text.utf8))
    }
}

struct TrajectoryFilter: Sendable {
    var taskID: String?
    var model: String?
    var workerID: String?
    var verified: Bool?
    var completed: Bool?
    var minReward: Double?
    var startedAfter: Date?
    var startedBefore: Date?
    var cursor: Cursor?
    var limit = 50
}

struct TrajectorySummary: Encodable, Sendable {
    var trajectoryID: String
    var taskID: String
    var workerID: String
    var attempt: Int
    var llmModel: String
    var scaffold: String
    var seed: String
    var startedAt: Date?
    var completedAt: Date?
    var finalResult: JSONValue?
    var totalSteps: Int?
    var totalTokens: Int?
    var totalReward: Double?
    var rewardBreakdown: JSONValue?
    var verificationPassed: Bool?
    var executionTimeSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case attempt, scaffold, seed
        case trajectoryID = "trajectory_id", taskID = "task_id", workerID = "worker_id", llmModel = "llm_model"
        case startedAt = "started_at", completedAt = "completed_at", finalResult = "final_result", totalSteps = "total_steps"
        case totalTokens = "total_tokens", totalReward = "total_reward", rewardBreakdown = "reward_breakdown"
        case verificationPassed = "verification_passed", executionTimeSeconds = "execution_time_seconds"
    }

    init(row: PostgresRow) throws {
        trajectoryID = row["trajectory_id"] ?? ""
        taskID = row["task_id"] ?? ""
        workerID = row["worker_id"] ?? ""
        attempt = row.int("attempt") ?? 0
        llmModel = row["llm_model"] ?? ""
        scaffold = row["scaffold"] ?? ""
        // Seeds are unsigned 64-bit: a string, so JSON readers keep every digit.
        seed = row["seed"] ?? "0"
        startedAt = row["started_at"].flatMap(TaskStore.parsePostgresTimestamp)
        completedAt = row["completed_at"].flatMap(TaskStore.parsePostgresTimestamp)
        finalResult = try row["final_result"].map(TrajectoryReader.json)
        totalSteps = row.int("total_steps")
        totalTokens = row.int("total_tokens")
        totalReward = row.double("total_reward")
        rewardBreakdown = try row["reward_breakdown"].map(TrajectoryReader.json)
        verificationPassed = row.bool("verification_passed")
        executionTimeSeconds = row.double("execution_time_seconds")
    }
}

struct TrajectoryDetail: Encodable, Sendable {
    var summary: TrajectorySummary
    var promptMessages: JSONValue?
    var tools: JSONValue?
    var finalPatch: String?
    var transitions: [JSONValue]

    enum CodingKeys: String, CodingKey {
        case tools, transitions
        case promptMessages = "prompt_messages", finalPatch = "final_patch"
    }

    func encode(to encoder: Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(promptMessages, forKey: .promptMessages)
        try container.encode(tools, forKey: .tools)
        try container.encode(finalPatch, forKey: .finalPatch)
        try container.encode(transitions, forKey: .transitions)
    }
}
