import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import SynthCommon

/// `POST /api/v1/tasks` and `GET /api/v1/tasks/{id}`.
struct TaskRoutes: Sendable {
    let store: TaskStore
    let logger: Logger
    static let maxBodyBytes = 16 * 1024 * 1024

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/v1/health") { _, _ in HTTPResponses.json(["status": "ok"]) }
        router.post("/api/v1/tasks") { request, _ in try await submit(request) }
        router.get("/api/v1/tasks/:id") { _, context in
            guard let id = context.parameters.get("id") else {
                return HTTPResponses.error(.badRequest, code: "invalid_path", message: "task id missing", field: "id")
            }
            guard let view = try await store.task(id: id) else {
                return HTTPResponses.error(.notFound, code: "task_not_found", message: "no task with id '\(id)'", field: "id")
            }
            return HTTPResponses.json(view)
        }
    }

    func submit(_ request: Request) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBodyBytes)
        } catch {
            return HTTPResponses.error(.contentTooLarge, code: "body_too_large", message: "the body exceeds \(Self.maxBodyBytes) bytes", field: "body")
        }
        let task: TaskDefinition
        do {
            task = try SynthJSON.decoder.decode(TaskDefinition.self, from: Data(body.readableBytesView))
        } catch let error as DecodingError {
            let field = error.fieldError
            return HTTPResponses.error(.badRequest, code: "invalid_task", message: "\(field.field): \(field.message)", field: field.field)
        }
        let problems = task.validationErrors()
        if let first = problems.first {
            return HTTPResponses.error(.badRequest, code: "invalid_task", message: "\(first.field): \(first.message)",
                                       field: first.field, details: problems)
        }
        let key = request.headers[HTTPField.Name("Idempotency-Key")!]
        let (stored, created) = try await store.submit(task, idempotencyKey: key)
        if created {
            Counter(label: "synth_tasks_submitted_total", dimensions: [("category", stored.category)]).increment()
            logger.info("task_submitted", metadata: ["task_id": "\(stored.id)", "category": "\(stored.category)"])
        }
        guard let view = try await store.task(id: stored.id) else {
            return HTTPResponses.error(.internalServerError, code: "task_missing", message: "stored task not found")
        }
        return HTTPResponses.json(view, status: created ? .created : .ok)
    }
}
