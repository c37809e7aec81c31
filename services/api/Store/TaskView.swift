import Foundation
import SynthCommon
import SynthPostgres

/// A task as the api shows it: its definition's headline fields and its
/// status from the collector's projection.
struct TaskView: Encodable, Sendable {
    var id: String
    var externalID: String?
    var status: String
    var reason: String?
    var attempts: Int
    var workerID: String?
    var trajectoryID: String?
    var result: JSONValue?
    var category: String
    var difficulty: String
    var tags: [String]
    var llmModel: String
    var scaffold: String
    var templateName: String?
    var templateVersion: Int?
    var createdAt: Date
    var updatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, status, reason, attempts, result, category, difficulty, scaffold, tags
        case externalID = "external_id", workerID = "worker_id", trajectoryID = "trajectory_id", llmModel = "llm_model"
        case templateName = "template_name", templateVersion = "template_version"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    init(row: PostgresRow) throws {
        let task = try SynthJSON.decode(TaskDefinition.self, from: Array((row["definition"] ?? "{}").utf8))
        id = task.id
        externalID = task.externalID
        status = row["status"] ?? TaskStatus.submitted.rawValue
        reason = row["reason"]
        attempts = row.int("attempts") ?? 0
        workerID = row["worker_id"]
        trajectoryID = row["final_trajectory_id"]
        result = try row["result"].map { try SynthJSON.decode(JSONValue.self, from: Array($0.utf8)) }
        category = task.category
        difficulty = task.difficulty.rawValue
        tags = task.tags
        llmModel = task.llmModel
        scaffold = task.scaffold
        templateName = row["template_name"]
        templateVersion = row.int("template_version")
        createdAt = task.createdAt
        updatedAt = row["updated_at"].flatMap(TaskStore.parsePostgresTimestamp)
    }
}
