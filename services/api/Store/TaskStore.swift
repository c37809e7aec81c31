import Foundation
import SynthCommon
import SynthPostgres

/// The api's Postgres access to the tasks it owns, and reads of the status
/// projection the collector maintains.
struct TaskStore: Sendable {
    let database: PostgresClient
    let publisher: EventPublisher

    /// One task to store: its definition, the client's idempotency key, and
    /// the template version it came from.
    struct Submission: Sendable {
        var task: TaskDefinition
        var idempotencyKey: String?
        var template: (name: String, version: Int)?
    }

    /// What became of one submission: its task id (the original one when the
    /// id or idempotency key was seen before) and whether it is new.
    struct Stored: Sendable, Equatable {
        var id: String
        var created: Bool
    }

    /// Inserts the tasks and their TaskSubmitted events in one transaction
    /// (outbox), each table in one bulk statement whatever the batch size. A
    /// repeated id or idempotency key returns the original task instead of a
    /// second one.
    func submit(_ submissions: [Submission]) async throws -> [Stored] {
        guard !submissions.isEmpty else { return [] }
        var tasks = PostgresBinaryCopy(reservingCapacity: submissions.count * 700)
        var definitions: [[UInt8]] = []
        definitions.reserveCapacity(submissions.count)
        // One TaskSubmitted per submission; a repeated id's extra one is never written.
        var events: [EncodedEvent] = []
        events.reserveCapacity(submissions.count)
        for submission in submissions {
            let task = submission.task
            // Encoded once: the same bytes are the definition and TaskSubmitted's payload.
            let definition = try task.json()
            definitions.append(definition)
            tasks.row(fields: Self.taskColumns.count)
            tasks.text(task.id)
            tasks.text(task.externalID)
            tasks.text(task.category)
            tasks.text(task.difficulty.rawValue)
            tasks.jsonb(definition)
            tasks.text(submission.idempotencyKey)
            tasks.timestamp(unixMicros: Self.storedMicros(task.createdAt))
            tasks.text(submission.template?.name)
            tasks.int32(submission.template.map { Int32(clamping: $0.version) })
            tasks.textArray(task.tags)
            events.append(try publisher.encodeTaskSubmitted(taskID: task.id, taskJSON: definition))
        }
        let copy = tasks.finished()
        return try await database.transaction { connection in
            let inserted = try await insert(copy, fallback: (submissions, definitions), on: connection)
            // In submission order: the first submission of each new id (with COPY, every one).
            var outbox = PostgresBinaryCopy(reservingCapacity: copy.count + submissions.count * 200), written: Set<String> = []
            for (index, submission) in submissions.enumerated() {
                if let inserted, !(inserted.contains(submission.task.id) && written.insert(submission.task.id).inserted) { continue }
                outbox.row(fields: 3)
                outbox.text(events[index].topic)
                outbox.text(events[index].key)
                outbox.bytes(events[index].value)
            }
            if inserted.map({ !$0.isEmpty }) ?? true {
                try await connection.copy("COPY outbox (topic, key, payload) FROM STDIN (FORMAT binary)", data: outbox.finished())
            }
            // COPY stored them all, and a batch it accepted repeats no id.
            guard let newIDs = inserted else { return submissions.map { Stored(id: $0.task.id, created: true) } }
            // The rest collided with an earlier task: by idempotency key first, else by id.
            let missing = submissions.filter { !newIDs.contains($0.task.id) }
            var byKey: [String: String] = [:], byID: Set<String> = []
            if !missing.isEmpty {
                let rows = try await connection.query(
                    "SELECT id, idempotency_key FROM tasks WHERE id = ANY($1::text[]) OR idempotency_key = ANY($2::text[])",
                    [PostgresArray.literal(missing.map(\.task.id)), PostgresArray.literal(missing.compactMap(\.idempotencyKey))])
                for row in rows {
                    guard let id = row["id"] else { continue }
                    byID.insert(id)
                    if let key = row["idempotency_key"] { byKey[key] = id }
                }
            }
            var claimed: Set<String> = []
            return submissions.map { submission in
                if let key = submission.idempotencyKey, let original = byKey[key], original != submission.task.id || !newIDs.contains(original) {
                    return Stored(id: original, created: false)
                }
                let id = submission.task.id
                // The first submission of a new id in this batch created it; later ones are repeats.
                if newIDs.contains(id), claimed.insert(id).inserted { return Stored(id: id, created: true) }
                return Stored(id: id, created: false)
            }
        }
    }

    static let taskColumns = ["id", "external_id", "category", "difficulty", "definition", "idempotency_key", "created_at",
                              "template_name", "template_version", "tags"]

    /// The ids inserted, nil for all of them. A batch of new tasks (the usual case)
    /// goes in by one binary COPY. COPY cannot skip a row: a repeated id or
    /// idempotency key (a retry, or a repeat inside the batch) fails it with a
    /// unique violation, and the batch then takes INSERT ... ON CONFLICT DO
    /// NOTHING, which stores the new ones and leaves the originals.
    private func insert(_ copy: [UInt8], fallback: (submissions: [Submission], definitions: [[UInt8]]),
                        on connection: PostgresConnection) async throws -> Set<String>? {
        try await connection.query("SAVEPOINT copy_tasks")
        do {
            try await connection.copy("COPY tasks (\(Self.taskColumns.joined(separator: ", "))) FROM STDIN (FORMAT binary)", data: copy)
            try await connection.query("RELEASE SAVEPOINT copy_tasks")
            return nil
        } catch let error as PostgresError where error.sqlState == "23505" {
            try await connection.query("ROLLBACK TO SAVEPOINT copy_tasks")
        }
        let submissions = fallback.submissions
        let inserted = try await connection.query("""
            INSERT INTO tasks (id, external_id, category, difficulty, definition, idempotency_key, created_at, template_name,
                               template_version, tags)
            SELECT i.id, i.external_id, i.category, i.difficulty, i.definition, i.idempotency_key,
                   timestamptz 'epoch' + i.created_us * interval '1 microsecond', i.template_name, i.template_version,
                   ARRAY(SELECT jsonb_array_elements_text(COALESCE(i.definition->'tags', '[]'::jsonb)))
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::bigint[], $8::text[], $9::int[])
                 AS i(id, external_id, category, difficulty, definition, idempotency_key, created_us, template_name, template_version)
            ON CONFLICT DO NOTHING
            RETURNING id
            """, [PostgresArray.literal(submissions.map(\.task.id)), PostgresArray.literal(submissions.map(\.task.externalID)),
                  PostgresArray.literal(submissions.map(\.task.category)), PostgresArray.literal(submissions.map(\.task.difficulty.rawValue)),
                  PostgresArray.literal(utf8: fallback.definitions), PostgresArray.literal(submissions.map(\.idempotencyKey)),
                  PostgresArray.literal(submissions.map { String(Self.storedMicros($0.task.createdAt)) }),
                  PostgresArray.literal(submissions.map(\.template?.name)),
                  PostgresArray.literal(submissions.map { $0.template.map { String($0.version) } })])
        return Set(inserted.compactMap { $0["id"] })
    }

    /// created_at as stored: the milliseconds the definition's JSON carries
    /// (SynthJSON.formatTimestamp truncates), so the column and the JSON agree.
    static func storedMicros(_ date: Date) -> Int64 {
        let seconds = date.timeIntervalSince1970, whole = seconds.rounded(.down)
        return Int64(whole) * 1_000_000 + Int64((seconds - whole) * 1000) * 1000
    }

    static let viewColumns = """
        t.id, t.external_id, t.category, t.difficulty, t.definition, t.created_at, t.template_name, t.template_version,
        (extract(epoch FROM t.created_at) * 1000000)::bigint AS created_us,
        s.status, s.reason, s.attempts, s.worker_id, s.final_trajectory_id, s.result, s.updated_at
        """

    func task(id: String) async throws -> TaskView? {
        let rows = try await database.query(
            "SELECT \(Self.viewColumns) FROM tasks t LEFT JOIN task_status s ON s.task_id = t.id WHERE t.id = $1", [id])
        return try rows.first.map(TaskView.init(row:))
    }

    /// A page of tasks, newest first, and the cursor of the next page.
    func list(_ filter: TaskFilter) async throws -> (items: [TaskView], next: Cursor?) {
        var conditions: [String] = [], parameters: [String?] = []
        func bind(_ value: String) -> String { parameters.append(value); return "$\(parameters.count)" }
        if let status = filter.status { conditions.append("COALESCE(s.status, 'submitted') = \(bind(status))") }
        if let category = filter.category { conditions.append("t.category = \(bind(category))") }
        if let difficulty = filter.difficulty { conditions.append("t.difficulty = \(bind(difficulty))") }
        // @>, not = ANY: the form the GIN index tasks_tags serves.
        if let tag = filter.tag { conditions.append("t.tags @> ARRAY[\(bind(tag))]::text[]") }
        if let template = filter.template { conditions.append("t.template_name = \(bind(template))") }
        if let after = filter.createdAfter { conditions.append("t.created_at >= \(bind(SynthJSON.formatTimestamp(after)))::timestamptz") }
        if let before = filter.createdBefore { conditions.append("t.created_at < \(bind(SynthJSON.formatTimestamp(before)))::timestamptz") }
        if let cursor = filter.cursor {
            conditions.append("(t.created_at, t.id) < (timestamptz 'epoch' + \(bind(String(cursor.micros)))::bigint * interval '1 microsecond', \(bind(cursor.id)))")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try await database.query("""
            SELECT \(Self.viewColumns) FROM tasks t LEFT JOIN task_status s ON s.task_id = t.id
            \(whereClause) ORDER BY t.created_at DESC, t.id DESC LIMIT \(filter.limit + 1)
            """, parameters)
        var items: [TaskView] = [], last: Cursor?
        for (index, row) in rows.enumerated() where index < filter.limit {
            items.append(try TaskView(row: row))
            last = Cursor(micros: Int64(row["created_us"] ?? "") ?? 0, id: row["id"] ?? "")
        }
        return (items, rows.count > filter.limit ? last : nil)
    }

    /// Queues a TaskCancelled event through the outbox.
    func requestCancel(taskID: String) async throws {
        let event = try publisher.encode(TaskCancelled(taskID: taskID))
        try await insertOutbox(event)
    }

    /// Queues an export request through the outbox, like a task.
    func requestExport(_ request: ExportRequested) async throws {
        try await insertOutbox(try publisher.encode(request))
    }

    private func insertOutbox(_ event: EncodedEvent) async throws {
        try await database.query("INSERT INTO outbox (topic, key, payload) VALUES ($1, $2, decode($3, 'hex'))",
                                 [event.topic, event.key, Self.hex(event.value)])
    }

    func export(id: String) async throws -> PostgresRow? {
        try await database.query("SELECT export_id, status, path, rows, summary, error FROM exports WHERE export_id = $1", [id]).first
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
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

/// The filters of `GET /api/v1/tasks`.
struct TaskFilter: Sendable {
    var status: String?
    var category: String?
    var difficulty: String?
    var tag: String?
    var template: String?
    var createdAfter: Date?
    var createdBefore: Date?
    var cursor: Cursor?
    var limit = 50
}
