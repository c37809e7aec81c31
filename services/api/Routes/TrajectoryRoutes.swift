import Foundation
import Hummingbird
import SynthCommon

/// Trajectories (read-only, from the collector's tables) and dataset exports.
struct TrajectoryRoutes: Sendable {
    let reader: TrajectoryReader
    let store: TaskStore

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/v1/trajectories") { request, _ in
            try await guarded {
                let query = QueryParameters(request)
                var filter = TrajectoryFilter()
                filter.taskID = try query.string("task_id")
                filter.model = try query.string("llm_model")
                filter.workerID = try query.string("worker_id")
                filter.verified = try query.bool("verified")
                filter.completed = try query.bool("completed")
                filter.minReward = try query.double("min_reward")
                filter.startedAfter = try query.date("started_after")
                filter.startedBefore = try query.date("started_before")
                filter.cursor = try query.cursor()
                filter.limit = try query.int("limit", default: 50, range: 1...1000)
                let (items, next) = try await reader.list(filter)
                return HTTPResponses.json(TaskRoutes.Page(items: items, nextCursor: next?.encoded))
            }
        }
        router.get("/api/v1/trajectories/:id") { _, context in
            try await guarded {
                let id = try context.parameters.id("id")
                guard let trajectory = try await reader.trajectory(id: id) else { throw APIError.notFound("trajectory", id: id) }
                return HTTPResponses.json(trajectory)
            }
        }
        router.post("/api/v1/trajectories/export") { request, _ in
            try await guarded {
                let options = try await request.decodeJSON(ExportBody.self, limit: 64 * 1024, emptyDefault: ExportBody())
                if let minReward = options.minReward, !minReward.isFinite {
                    throw APIError.invalid("min_reward", "must be a finite number", code: "invalid_export")
                }
                let exportID = UUID().uuidString.lowercased()
                var export = ExportRequested(exportID: exportID, verifiedOnly: options.verifiedOnly ?? false, minReward: options.minReward)
                try options.applyFilters(to: &export)
                try await store.requestExport(export)
                return HTTPResponses.json(ExportView(exportID: exportID, status: "requested"), status: .accepted)
            }
        }
        router.get("/api/v1/exports/:id") { _, context in
            try await guarded {
                let id = try context.parameters.id("id")
                guard let row = try await store.export(id: id) else {
                    // Not yet picked up by the exporter (or unknown): both look the same from here.
                    return HTTPResponses.json(ExportView(exportID: id, status: "requested"))
                }
                return HTTPResponses.json(ExportView(
                    exportID: id, status: row["status"] ?? "unknown", path: row["path"], rows: row.int("rows"),
                    summary: try row["summary"].map(TrajectoryReader.json), error: row["error"]))
            }
        }
    }

    struct ExportBody: Decodable {
        var verifiedOnly: Bool?
        var minReward: Double?
        // Issue 6 filters (the exporter owns their meaning; docs/DATASET.md).
        var categories: [String]?
        var models: [String]?
        var completedAfter: String?
        var completedBefore: String?
        var incremental: Bool?
        var scheduleName: String?
        enum CodingKeys: String, CodingKey {
            case verifiedOnly = "verified_only", minReward = "min_reward", categories, models, incremental
            case completedAfter = "completed_after", completedBefore = "completed_before", scheduleName = "schedule_name"
        }

        func applyFilters(to export: inout ExportRequested) throws {
            for (field, values) in [("categories", categories), ("models", models)] {
                if let index = values?.firstIndex(where: { $0.isEmpty }) {
                    throw APIError.invalid("\(field)[\(index)]", "must not be empty", code: "invalid_export")
                }
            }
            func date(_ field: String, _ text: String?) throws -> Date? {
                guard let text else { return nil }
                guard let parsed = SynthJSON.parseTimestamp(text) else {
                    throw APIError.invalid(field, "must be an RFC 3339 timestamp", code: "invalid_export")
                }
                return parsed
            }
            export.categories = categories
            export.models = models
            export.completedAfter = try date("completed_after", completedAfter)
            export.completedBefore = try date("completed_before", completedBefore)
            if let after = export.completedAfter, let before = export.completedBefore, after >= before {
                throw APIError.invalid("completed_before", "must be after completed_after", code: "invalid_export")
            }
            if let scheduleName, scheduleName.isEmpty || scheduleName.count > 100 {
                throw APIError.invalid("schedule_name", "must be 1 to 100 characters", code: "invalid_export")
            }
            export.incremental = incremental
            export.scheduleName = incremental == true ? (scheduleName ?? "api") : scheduleName
        }
    }

    struct ExportView: Encodable {
        var exportID: String
        var status: String
        var path: String?
        var rows: Int?
        var summary: JSONValue?
        var error: String?
        enum CodingKeys: String, CodingKey { case status, path, rows, summary, error, exportID = "export_id" }
    }
}
