import Foundation
import SynthCommon
import SynthPostgres

/// The api's Postgres access: tasks it owns, and reads of the status and
/// export projections other services maintain.
struct TaskStore: Sendable {
    let database: PostgresClient
    let publisher: EventPublisher

    /// Inserts the task and its TaskSubmitted event atomically. Returns the
    /// stored task and whether it was new (a repeated idempotency key or id
    /// returns the original).
    func submit(_ task: TaskDefinition, idempotencyKey: String?) async throws -> (TaskDefinition, created: Bool) {
        let event = try publisher.encode(TaskSubmitted(task: task))
        let definition = String(decoding: try SynthJSON.encode(task), as: UTF8.self)
        return try await database.transaction { connection in
            let inserted = try await connection.query("""
                INSERT INTO tasks (id, external_id, category, difficulty, definition, idempotency_key, created_at)
                VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::timestamptz)
                ON CONFLICT DO NOTHING
                """, [task.id, task.externalID, task.category, task.difficulty.rawValue, definition, idempotencyKey,
                      SynthJSON.formatTimestamp(task.createdAt)])
            if inserted.affectedRows == 0 {
                let existing = try await connection.query(
                    "SELECT definition FROM tasks WHERE id = $1 OR ($2::text IS NOT NULL AND idempotency_key = $2)",
                    [task.id, idempotencyKey])
                guard let text = existing.first?["definition"] else { throw PostgresError("conflicting task vanished") }
                return (try SynthJSON.decode(TaskDefinition.self, from: Array(text.utf8)), false)
            }
            try await connection.query("INSERT INTO outbox (topic, key, payload) VALUES ($1, $2, $3::bytea)",
                                       [event.topic, event.key, Self.byteaHex(event.value)])
            try await connection.query("NOTIFY synth_outbox")
            return (task, true)
        }
    }

    func task(id: String) async throws -> TaskView? {
        let rows = try await database.query("""
            SELECT t.definition, t.created_at, s.status, s.reason, s.attempts, s.worker_id, s.final_trajectory_id, s.result,
                   s.updated_at
            FROM tasks t LEFT JOIN task_status s ON s.task_id = t.id WHERE t.id = $1
            """, [id])
        guard let row = rows.first, let definition = row["definition"] else { return nil }
        let task = try SynthJSON.decode(TaskDefinition.self, from: Array(definition.utf8))
        return TaskView(
            id: task.id, externalID: task.externalID, status: row["status"] ?? TaskStatus.submitted.rawValue,
            reason: row["reason"], attempts: row.int("attempts") ?? 0, workerID: row["worker_id"],
            trajectoryID: row["final_trajectory_id"],
            result: try row["result"].map { try SynthJSON.decode(JSONValue.self, from: Array($0.utf8)) },
            category: task.category, difficulty: task.difficulty.rawValue, llmModel: task.llmModel, scaffold: task.scaffold,
            createdAt: task.createdAt, updatedAt: row["updated_at"].flatMap(Self.parsePostgresTimestamp))
    }

    /// Queues an export request through the outbox, like a task.
    func requestExport(_ request: ExportRequested) async throws {
        let event = try publisher.encode(request)
        try await database.transaction { connection in
            try await connection.query("INSERT INTO outbox (topic, key, payload) VALUES ($1, $2, $3::bytea)",
                                       [event.topic, event.key, Self.byteaHex(event.value)])
            try await connection.query("NOTIFY synth_outbox")
        }
    }

    func export(id: String) async throws -> PostgresRow? {
        try await database.query("SELECT export_id, status, path, rows, summary, error FROM exports WHERE export_id = $1", [id]).first
    }

    static func byteaHex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]("\\x".utf8)
        text.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Postgres prints timestamptz as `2026-11-28 18:14:06.123+00`.
    static func parsePostgresTimestamp(_ text: String) -> Date? {
        var iso = text.replacingOccurrences(of: " ", with: "T")
        if iso.hasSuffix("+00") { iso = String(iso.dropLast(3)) + "Z" }
        return SynthJSON.parseTimestamp(iso)
    }
}

/// What `GET /api/v1/tasks/{id}` returns.
struct TaskView: Encodable {
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
    var llmModel: String
    var scaffold: String
    var createdAt: Date
    var updatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, status, reason, attempts, result, category, difficulty, scaffold
        case externalID = "external_id", workerID = "worker_id", trajectoryID = "trajectory_id", llmModel = "llm_model"
        case createdAt = "created_at", updatedAt = "updated_at"
    }
}
