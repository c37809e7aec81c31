import Foundation
import SynthCommon
import SynthHTTPClient

/// Asks the llm-router for the next assistant message, tagging the call with
/// the task and trajectory so the router's record joins the trajectory.
struct RouterClient: Sendable {
    let baseURL: String
    let http: HTTPClient

    init(baseURL: String) throws {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = try HTTPClient()
    }

    struct Completion: Sendable {
        var message: ChatMessage
        var promptTokens: Int
        var completionTokens: Int
        var latencyMS: Int
        /// The router's id for the call (X-Synth-Call-ID): the transition
        /// names it, so the step joins the router's call record.
        var callID: String? = nil
    }

    struct Failure: Error, CustomStringConvertible {
        var status: Int
        var message: String
        var description: String { "llm-router answered \(status): \(message)" }
    }

    func complete(model: String, messages: [ChatMessage], tools: JSONValue, taskID: String, trajectoryID: String) async throws -> Completion {
        struct Body: Encodable {
            var model: String
            var messages: [ChatMessage]
            var tools: JSONValue
        }
        let started = ContinuousClock.now
        let response = try await http.execute(HTTPClientRequest(
            method: .post, url: baseURL + "/chat/completions",
            headers: ["Content-Type": "application/json", "X-Synth-Task-ID": taskID, "X-Synth-Trajectory-ID": trajectoryID],
            body: try SynthJSON.encode(Body(model: model, messages: messages, tools: tools)), timeout: .seconds(600)))
        let elapsed = ContinuousClock.now - started
        guard response.isSuccess else { throw Failure(status: response.status, message: response.bodyText) }
        struct Reply: Decodable {
            struct Choice: Decodable { var message: ChatMessage }
            struct Usage: Decodable {
                var promptTokens: Int?
                var completionTokens: Int?
                enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", completionTokens = "completion_tokens" }
            }
            var choices: [Choice]
            var usage: Usage?
        }
        let reply = try SynthJSON.decode(Reply.self, from: response.body)
        guard let message = reply.choices.first?.message else { throw Failure(status: response.status, message: "no choices") }
        return Completion(message: message, promptTokens: reply.usage?.promptTokens ?? 0,
                          completionTokens: reply.usage?.completionTokens ?? 0,
                          latencyMS: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
                          callID: response.headers["X-Synth-Call-ID"])
    }
}
