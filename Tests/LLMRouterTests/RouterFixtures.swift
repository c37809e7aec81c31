import Foundation
import SynthCommon
import SynthHTTPClient
@testable import synth_llm_router

/// Builders for the router's config types from the same JSON an operator
/// writes, so the tests exercise the real decoding and validation too.
enum RouterFixtures {
    static func deployment(_ json: String) throws -> ModelDeployment {
        try JSONDecoder().decode(ModelDeployment.self, from: Data(json.utf8))
    }

    static func config(_ json: String) throws -> RouterConfig {
        let file = try JSONDecoder().decode(RouterConfig.File.self, from: Data(json.utf8))
        return try RouterConfig(file, path: "test.json")
    }

    static func json(_ text: String) throws -> JSONValue {
        try SynthJSON.decode(JSONValue.self, from: Array(text.utf8))
    }

    static func object(_ text: String) throws -> [String: JSONValue] {
        guard case .object(let object) = try json(text) else { throw FixtureError.notAnObject(text) }
        return object
    }

    /// The JSON body an adapter would send upstream.
    static func body(of request: HTTPClientRequest) throws -> JSONValue {
        try SynthJSON.decode(JSONValue.self, from: request.body ?? [])
    }

    static func event(_ data: String, name: String? = nil) -> SSEEvent {
        SSEEvent(event: name, data: data)
    }

    static func context(prompt: Int = 100, maxTokens: Int? = nil, trajectory: String? = nil, taskType: String? = nil) -> CallContext {
        CallContext(taskID: nil, trajectoryID: trajectory, experiment: nil, taskType: taskType, apiKeyHash: nil,
                    estimatedPromptTokens: prompt, maxTokens: maxTokens)
    }

    enum FixtureError: Error {
        case notAnObject(String)
    }
}
