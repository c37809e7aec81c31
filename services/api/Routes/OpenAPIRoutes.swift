import Foundation
import Hummingbird
import SynthCommon

/// Serves the hand-written OpenAPI 3.1 document (OpenAPI/OpenAPIDocument.swift).
struct OpenAPIRoutes: Sendable {
    func register(on router: Router<BasicRequestContext>) {
        let document = Data(OpenAPIDocument.json.utf8)
        router.get("/api/v1/openapi.json") { _, _ in HTTPResponses.raw(document) }
    }
}
