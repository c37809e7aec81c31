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

    /// Reads the headline fields from the row's own columns and the rest from the stored
    /// definition leniently: a listing must never fail because one stored row (written by an
    /// older version, or by hand) is not a TaskDefinition this version would accept.
    init(row: PostgresRow) throws {
        let definition = (try? SynthJSON.decode(JSONValue.self, from: Array((row["definition"] ?? "{}").utf8))) ?? .object([:])
        id = row["id"] ?? ""
        externalID = row["external_id"] ?? definition["external_id"]?.stringValue
        status = row["status"] ?? TaskStatus.submitted.rawValue
        reason = row["reason"]
        attempts = row.int("attempts") ?? 0
        workerID = row["worker_id"]
        trajectoryID = row["final_trajectory_id"]
        result = row["result"].flatMap { try? SynthJSON.decode(JSONValue.self, from: Array($0.utf8)) }
        category = row["category"] ?? definition["category"]?.stringValue ?? ""
        difficulty = row["difficulty"] ?? definition["difficulty"]?.stringValue ?? ""
        if case .array(let values)? = definition["tags"] { tags = values.compactMap(\.stringValue) } else { tags = [] }
        llmModel = definition["llm_model"]?.stringValue ?? ""
        scaffold = definition["scaffold"]?.stringValue ?? ""
        templateName = row["template_name"]
        templateVersion = row.int("template_version")
        createdAt = definition["created_at"]?.stringValue.flatMap(SynthJSON.parseTimestamp)
            ?? row["created_at"].flatMap(TaskStore.parsePostgresTimestamp) ?? Date(timeIntervalSince1970: 0)
        updatedAt = row["updated_at"].flatMap(TaskStore.parsePostgresTimestamp)
    }
}
