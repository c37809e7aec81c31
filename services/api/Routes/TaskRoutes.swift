import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import SynthCommon

/// Tasks: submit one or a batch, get, list with filters, cancel.
struct TaskRoutes: Sendable {
    let store: TaskStore
    let queue: TaskQueue
    let logger: Logger
    static let maxBodyBytes = 16 * 1024 * 1024
    static let maxBatchBodyBytes = 256 * 1024 * 1024
    static let maxBatchItems = 10_000
    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/v1/health") { _, _ in HTTPResponses.json(["status": "ok"]) }
        router.post("/api/v1/tasks") { request, _ in try await guarded { try await submit(request) } }
        router.post("/api/v1/tasks/batch") { request, _ in try await guarded { try await submitBatch(request) } }
        router.get("/api/v1/tasks") { request, _ in try await guarded { try await list(request) } }
        router.get("/api/v1/tasks/:id") { _, context in
            try await guarded {
                let id = try context.parameters.id("id")
                guard let view = try await store.task(id: id) else { throw APIError.notFound("task", id: id) }
                return HTTPResponses.json(view)
            }
        }
        router.delete("/api/v1/tasks/:id") { _, context in try await guarded { try await cancel(try context.parameters.id("id")) } }
    }

    static func idempotencyKey(_ request: Request) throws -> String? {
        guard let key = request.headers[idempotencyHeader] else { return nil }
        guard !key.isEmpty, key.utf8.count <= 200 else {
            throw APIError(status: .badRequest, code: "invalid_header", field: "Idempotency-Key",
                           message: "Idempotency-Key: must be 1 to 200 characters")
        }
        return key
    }

    func submit(_ request: Request) async throws -> Response {
        let key = try Self.idempotencyKey(request)
        let body = try await request.collectBody(upTo: Self.maxBodyBytes)
        let task = try Self.decodeTask(Data(body.readableBytesView), prefix: nil)
        let stored = try await store.submit([.init(task: task, idempotencyKey: key)])[0]
        if stored.created { submitted(task) }
        guard let view = try await store.task(id: stored.id) else {
            throw APIError(status: .conflict, code: "task_missing", field: "id", message: "the stored task could not be read back")
        }
        return HTTPResponses.json(view, status: stored.created ? .created : .ok)
    }

    func submitted(_ task: TaskDefinition) {
        Counter(label: "synth_tasks_submitted_total", dimensions: [("category", task.category)]).increment()
        logger.info("task_submitted", metadata: ["task_id": "\(task.id)", "category": "\(task.category)"])
    }

    /// Decodes and validates one task; errors name the field, prefixed for a batch item.
    /// `parsed` is `data` already parsed by JSONSerialization (a batch array's
    /// element), so it is not parsed a second time.
    static func decodeTask(_ data: Data, parsed: Any? = nil, prefix: String?) throws -> TaskDefinition {
        func named(_ field: String) -> String { prefix.map { field == "body" ? $0 : "\($0).\(field)" } ?? field }
        guard let object = (parsed ?? (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))) as? [String: Any] else {
            throw APIError(status: .badRequest, code: "invalid_task", field: named("body"), message: "\(named("body")): must be a JSON object")
        }
        try JSONGuards.rejectNUL(object, prefix: prefix)
        let task: TaskDefinition
        do {
            task = try SynthJSON.decoder.decode(TaskDefinition.self, from: data)
        } catch let error as DecodingError {
            let field = error.fieldError
            throw APIError(status: .badRequest, code: "invalid_task", field: named(field.field), message: "\(named(field.field)): \(field.message)")
        }
        return try checked(task, prefix: prefix)
    }

    /// The checks JSONDecoder cannot make: a created_at Postgres can store and
    /// TaskDefinition's own validation.
    static func checked(_ task: TaskDefinition, prefix: String?) throws -> TaskDefinition {
        func named(_ field: String) -> String { prefix.map { field == "body" ? $0 : "\($0).\(field)" } ?? field }
        // Postgres stores timestamps from 4713 BC to 294276 AD; a task is made now-ish.
        guard (0...253_402_300_799).contains(task.createdAt.timeIntervalSince1970) else {
            throw APIError(status: .badRequest, code: "invalid_task", field: named("created_at"),
                           message: "\(named("created_at")): must be between 1970 and 9999")
        }
        let problems = task.validationErrors()
        if let first = problems.first {
            throw APIError(status: .badRequest, code: "invalid_task", field: named(first.field), message: "\(named(first.field)): \(first.message)",
                           details: problems)
        }
        return task
    }

    struct BatchItemResult: Encodable {
        var index: Int
        var status: String
        var id: String?
        var error: ErrorDetail?
    }

    struct ErrorDetail: Encodable {
        var code: String
        var field: String?
        var message: String
    }

    struct BatchReply: Encodable {
        var accepted: Int
        var created: Int
        var rejected: Int
        var results: [BatchItemResult]
    }

    /// A JSON array, or JSON Lines (Content-Type application/x-ndjson or
    /// application/jsonl), of up to 10,000 tasks. Each item is accepted or
    /// rejected on its own; the valid ones are stored in one transaction. With
    /// an Idempotency-Key, item i gets the key "<key>/<i>", so a retried batch
    /// returns the original tasks.
    func submitBatch(_ request: Request) async throws -> Response {
        let key = try Self.idempotencyKey(request)
        let body = try await request.collectBody(upTo: Self.maxBatchBodyBytes)
        let contentType = request.headers[.contentType]?.lowercased() ?? "application/json"
        let jsonLines = contentType.hasPrefix("application/x-ndjson") || contentType.hasPrefix("application/jsonl")
            || contentType.hasPrefix("application/json-lines")
        let items = try BatchBody(Data(body.readableBytesView), jsonLines: jsonLines)
        guard items.count > 0 else {
            throw APIError(status: .badRequest, code: "invalid_batch", field: "body", message: "body: the batch is empty")
        }
        guard items.count <= Self.maxBatchItems else {
            throw APIError(status: .contentTooLarge, code: "batch_too_large", field: "body",
                           message: "body: a batch holds at most \(Self.maxBatchItems) tasks, this one has \(items.count)")
        }
        var results = [BatchItemResult?](repeating: nil, count: items.count)
        var submissions: [TaskStore.Submission] = [], positions: [Int] = []
        for index in 0..<items.count {
            do {
                let task = try items.task(at: index)
                submissions.append(.init(task: task, idempotencyKey: key.map { "\($0)/\(index)" }))
                positions.append(index)
            } catch let error as APIError {
                results[index] = BatchItemResult(index: index, status: "rejected", id: nil,
                                                 error: ErrorDetail(code: error.code, field: error.field, message: error.message))
            }
        }
        let stored = try await store.submit(submissions)
        var created = 0, createdByCategory: [String: Int] = [:]
        for (offset, outcome) in stored.enumerated() {
            results[positions[offset]] = BatchItemResult(index: positions[offset], status: outcome.created ? "created" : "existing", id: outcome.id)
            if outcome.created {
                created += 1
                createdByCategory[submissions[offset].task.category, default: 0] += 1
            }
        }
        // One metrics lookup per category, not per task.
        for (category, count) in createdByCategory {
            Counter(label: "synth_tasks_submitted_total", dimensions: [("category", category)]).increment(by: count)
        }
        let rejected = items.count - stored.count
        logger.info("task_batch_submitted", metadata: ["items": "\(items.count)", "created": "\(created)", "rejected": "\(rejected)"])
        let reply = BatchReply(accepted: stored.count, created: created, rejected: rejected, results: results.compactMap { $0 })
        return Response(status: stored.isEmpty ? .badRequest : .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try BatchReplyWriter.bytes(reply))))
    }

    /// A page of a list; next_cursor is null on the last page.
    struct Page<Item: Encodable>: Encodable {
        var items: [Item]
        var nextCursor: String?
        enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(items, forKey: .items)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }

    func list(_ request: Request) async throws -> Response {
        let query = QueryParameters(request)
        var filter = TaskFilter()
        filter.status = try query.oneOf("status", TaskStatus.allCases.map(\.rawValue))
        filter.category = try query.string("category")
        filter.difficulty = try query.oneOf("difficulty", Difficulty.allCases.map(\.rawValue))
        filter.tag = try query.string("tag")
        filter.template = try query.string("template")
        filter.createdAfter = try query.date("created_after")
        filter.createdBefore = try query.date("created_before")
        filter.cursor = try query.cursor()
        filter.limit = try query.int("limit", default: 50, range: 1...1000)
        let (items, next) = try await store.list(filter)
        return HTTPResponses.json(Page(items: items, nextCursor: next?.encoded))
    }

    struct CancelReply: Encodable {
        var id: String
        var status: String
    }

    /// Flags the task in Redis at once (a running episode's container is
    /// killed within about a second) and records TaskCancelled through the
    /// outbox for the scheduler and the status projection.
    func cancel(_ id: String) async throws -> Response {
        guard let view = try await store.task(id: id) else { throw APIError.notFound("task", id: id) }
        if view.status == TaskStatus.cancelled.rawValue { return HTTPResponses.json(CancelReply(id: id, status: view.status)) }
        if let status = TaskStatus(rawValue: view.status), status.isTerminal {
            throw APIError(status: .conflict, code: "task_finished", field: "id", message: "task '\(id)' already finished as \(view.status)")
        }
        try await queue.cancel(taskID: id)
        try await store.requestCancel(taskID: id)
        logger.info("task_cancel_requested", metadata: ["task_id": "\(id)"])
        return HTTPResponses.json(CancelReply(id: id, status: "cancelling"), status: .accepted)
    }
}
