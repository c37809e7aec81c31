import Foundation
import Hummingbird
import SynthCommon

/// Workers, from the heartbeats executors write to Redis.
struct WorkerRoutes: Sendable {
    let queue: TaskQueue

    struct WorkerList: Encodable {
        var items: [WorkerRecord]
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/v1/workers") { request, _ in
            try await guarded {
                let status = try QueryParameters(request).oneOf("status", ["active", "draining", "stopped", "lost"])
                let workers = try await queue.workers().filter { status == nil || $0.status == status }
                return HTTPResponses.json(WorkerList(items: workers))
            }
        }
        router.get("/api/v1/workers/:id") { _, context in
            try await guarded {
                let id = try context.parameters.id("id")
                guard let worker = try await queue.worker(id: id) else { throw APIError.notFound("worker", id: id) }
                return HTTPResponses.json(worker)
            }
        }
        // Drains the worker: it finishes its running episodes and takes no new task.
        router.post("/api/v1/workers/:id/stop") { _, context in
            try await guarded {
                let id = try context.parameters.id("id")
                guard try await queue.worker(id: id) != nil else { throw APIError.notFound("worker", id: id) }
                try await queue.requestStop(workerID: id)
                guard let worker = try await queue.worker(id: id) else { throw APIError.notFound("worker", id: id) }
                return HTTPResponses.json(worker, status: .accepted)
            }
        }
    }
}
