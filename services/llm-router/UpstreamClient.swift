import Foundation
import SynthCommon
import SynthHTTPClient

/// Forwards a chat completion to an OpenAI-compatible upstream.
struct UpstreamClient: Sendable {
    let http: HTTPClient

    init() throws {
        http = try HTTPClient()
    }

    func forward(body: [UInt8], to model: ModelCatalog.Model) async throws -> HTTPClientResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let keyName = model.apiKeyEnv, let key = ProcessInfo.processInfo.environment[keyName], !key.isEmpty {
            headers = ["Content-Type": "application/json", "Authorization": "Bearer \(key)"]
        }
        let base = model.baseURL.hasSuffix("/") ? String(model.baseURL.dropLast()) : model.baseURL
        return try await http.execute(HTTPClientRequest(method: .post, url: base + "/chat/completions", headers: headers,
                                                        body: body, timeout: .seconds(600)))
    }
}
