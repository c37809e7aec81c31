import Foundation
import Hummingbird
import SynthCommon

/// `POST /api/v1/trajectories/export` queues a dataset export for the
/// exporter; `GET /api/v1/exports/{id}` reports where it went.
struct ExportRoutes: Sendable {
    let store: TaskStore

    struct ExportBody: Decodable {
        var verifiedOnly: Bool?
        var minReward: Double?
        enum CodingKeys: String, CodingKey { case verifiedOnly = "verified_only", minReward = "min_reward" }
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

    func register(on router: Router<BasicRequestContext>) {
        router.post("/api/v1/trajectories/export") { request, _ in
            let body = try await request.body.collect(upTo: 64 * 1024)
            var options = ExportBody(verifiedOnly: nil, minReward: nil)
            if body.readableBytes > 0 {
                do {
                    options = try SynthJSON.decoder.decode(ExportBody.self, from: Data(body.readableBytesView))
                } catch let error as DecodingError {
                    let field = error.fieldError
                    return HTTPResponses.error(.badRequest, code: "invalid_export", message: "\(field.field): \(field.message)", field: field.field)
                }
            }
            let exportID = UUID().uuidString.lowercased()
            try await store.requestExport(ExportRequested(exportID: exportID, verifiedOnly: options.verifiedOnly ?? false,
                                                          minReward: options.minReward))
            return HTTPResponses.json(ExportView(exportID: exportID, status: "requested"), status: .accepted)
        }
        router.get("/api/v1/exports/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let row = try await store.export(id: id) else {
                // Not yet picked up by the exporter (or unknown): both look the same from here.
                return HTTPResponses.json(ExportView(exportID: id, status: "requested"))
            }
            return HTTPResponses.json(ExportView(
                exportID: id, status: row["status"] ?? "unknown", path: row["path"], rows: row.int("rows"),
                summary: try row["summary"].map { try SynthJSON.decode(JSONValue.self, from: Array($0.utf8)) },
                error: row["error"]))
        }
    }
}
