import Foundation
import SynthCommon
import SynthHTTPClient

/// The api over HTTP, with errors turned into sentences.
struct APIClient: Sendable {
    let baseURL: String
    let apiKey: String?
    let http: HTTPClient

    init(baseURL: String, apiKey: String?) throws {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.http = try HTTPClient()
    }

    func get(_ path: String) async throws -> JSONValue {
        try await send(.get, path, body: nil)
    }

    func post(_ path: String, body: [UInt8], contentType: String = "application/json") async throws -> JSONValue {
        try await send(.post, path, body: body, contentType: contentType)
    }

    private func send(_ method: HTTPMethod, _ path: String, body: [UInt8]?, contentType: String = "application/json") async throws -> JSONValue {
        var headers: HTTPHeaders = ["Content-Type": contentType, "Accept": "application/json"]
        if let apiKey { headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(HTTPClientRequest(method: method, url: baseURL + path, headers: headers, body: body,
                                                                timeout: .seconds(300)))
        } catch let error as HTTPClientError {
            throw CLIError("cannot reach the synth api at \(baseURL): \(error.message)")
        }
        let json = try? SynthJSON.decode(JSONValue.self, from: response.body)
        switch response.status {
        case 200..<300:
            return json ?? .null
        case 401, 403:
            throw CLIError("the api refused the API key (\(response.status)): set SYNTH_API_KEY or pass --api-key"
                           + (json?["error"]?["message"]?.stringValue.map { " (\($0))" } ?? ""))
        default:
            let message = json?["error"]?["message"]?.stringValue ?? String(decoding: response.body.prefix(500), as: UTF8.self)
            throw CLIError("\(method) \(path) failed with \(response.status): \(message)")
        }
    }
}
