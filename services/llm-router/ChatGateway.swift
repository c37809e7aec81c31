import Foundation
import Logging
import Metrics
import SynthCommon

/// One chat completion: validate, answer (oracle) or forward (upstream),
/// record the call. Returns an OpenAI-shaped body and status either way.
struct ChatGateway: Sendable {
    let catalog: ModelCatalog
    let oracle: OracleModel
    let upstream: UpstreamClient
    let recorder: CallRecorder
    let logger: Logger

    struct Tags: Sendable {
        var taskID: String?
        var trajectoryID: String?
        var experiment: String?
    }

    func complete(body: [UInt8], tags: Tags) async -> (status: Int, body: [UInt8]) {
        let started = ContinuousClock.now
        let request: JSONValue
        do {
            request = try SynthJSON.decode(JSONValue.self, from: body)
        } catch {
            return OpenAIError.invalidRequest("the body is not valid JSON", param: nil).response
        }
        if let problem = Self.validate(request) { return problem.response }
        let modelName = request["model"]!.stringValue!
        let messages = request["messages"]?.arrayValue ?? []

        let outcome: (status: Int, body: [UInt8], provider: String, prompt: Int, completion: Int, cost: Double, error: String?)
        if modelName == ModelCatalog.oracleName {
            do {
                let message = try await oracle.complete(messages: messages, taskID: tags.taskID)
                let prompt = Self.estimatedTokens(body), completion = Self.estimatedTokens(try SynthJSON.encode(message))
                let response = ChatCompletionResponse(model: modelName, message: message, promptTokens: prompt, completionTokens: completion)
                outcome = (200, try SynthJSON.encode(response), "oracle", prompt, completion, 0, nil)
            } catch {
                let failure = OpenAIError.invalidRequest("oracle: \(error)", param: "model")
                outcome = (failure.status, failure.body, "oracle", 0, 0, 0, "\(error)")
            }
        } else if let model = catalog.models[modelName] {
            outcome = await forward(request, to: model)
        } else {
            return OpenAIError.modelNotFound(modelName, known: catalog.names).response
        }

        let latency = ContinuousClock.now - started
        let latencyMS = Double(latency.components.seconds) * 1000 + Double(latency.components.attoseconds) / 1e15
        Counter(label: "synth_llm_requests_total", dimensions: [("model", modelName), ("status", String(outcome.status))]).increment()
        Counter(label: "synth_llm_tokens_total", dimensions: [("model", modelName), ("kind", "prompt")]).increment(by: outcome.prompt)
        Counter(label: "synth_llm_tokens_total", dimensions: [("model", modelName), ("kind", "completion")]).increment(by: outcome.completion)
        FloatingPointCounter(label: "synth_llm_cost_dollars_total", dimensions: [("model", modelName)]).increment(by: outcome.cost)
        Timer(label: "synth_llm_latency_seconds", dimensions: [("model", modelName)]).recordNanoseconds(Int64(latencyMS * 1_000_000))
        let callID = UUID().uuidString.lowercased()
        await recorder.record(LLMCallRecorded(
            callID: callID, taskID: tags.taskID, trajectoryID: tags.trajectoryID, experiment: tags.experiment, model: modelName,
            provider: outcome.provider, status: outcome.status, promptTokens: outcome.prompt, completionTokens: outcome.completion,
            costDollars: outcome.cost, latencyMS: latencyMS, request: request,
            response: try? SynthJSON.decode(JSONValue.self, from: outcome.body), error: outcome.error))
        return (outcome.status, outcome.body)
    }

    private func forward(_ request: JSONValue, to model: ModelCatalog.Model)
        async -> (status: Int, body: [UInt8], provider: String, prompt: Int, completion: Int, cost: Double, error: String?) {
        var forwarded = request
        if case .object(var object) = request, let upstreamName = model.upstreamModel {
            object["model"] = .string(upstreamName)
            forwarded = .object(object)
        }
        do {
            let response = try await upstream.forward(body: try SynthJSON.encode(forwarded), to: model)
            guard let parsed = try? SynthJSON.decode(JSONValue.self, from: response.body) else {
                let failure = OpenAIError.upstream("the upstream for '\(model.name)' returned a body that is not JSON (status \(response.status))")
                return (failure.status, failure.body, model.provider, 0, 0, 0, failure.message)
            }
            let usage = parsed["usage"]
            let prompt = usage?["prompt_tokens"]?.intValue ?? 0, completion = usage?["completion_tokens"]?.intValue ?? 0
            return (response.status, response.body, model.provider, prompt, completion,
                    catalog.cost(model, promptTokens: prompt, completionTokens: completion), response.isSuccess ? nil : "upstream status \(response.status)")
        } catch {
            let failure = OpenAIError.upstream("the upstream for '\(model.name)' failed: \(error)")
            return (failure.status, failure.body, model.provider, 0, 0, 0, failure.message)
        }
    }

    static func validate(_ request: JSONValue) -> OpenAIError? {
        guard case .object(let object) = request else { return .invalidRequest("the body must be a JSON object", param: nil) }
        guard let model = object["model"] else { return .invalidRequest("'model' is required", param: "model") }
        guard case .string(let name) = model, !name.isEmpty else { return .invalidRequest("'model' must be a non-empty string", param: "model") }
        guard let messages = object["messages"] else { return .invalidRequest("'messages' is required", param: "messages") }
        guard case .array(let list) = messages, !list.isEmpty else {
            return .invalidRequest("'messages' must be a non-empty array", param: "messages")
        }
        for (index, message) in list.enumerated() {
            guard case .object(let fields) = message, case .string = fields["role"] else {
                return .invalidRequest("messages[\(index)] must be an object with a string 'role'", param: "messages[\(index)].role")
            }
        }
        if case .bool(true) = object["stream"] ?? .null {
            return .invalidRequest("streaming is not supported by this router version; send stream=false", param: "stream")
        }
        if let tools = object["tools"], !(tools.arrayValue != nil || tools == .null) {
            return .invalidRequest("'tools' must be an array", param: "tools")
        }
        return nil
    }

    /// The oracle is not a tokenizer-backed model: its usage is estimated as
    /// one token per four bytes, which keeps cost and length metrics sane.
    static func estimatedTokens(_ bytes: [UInt8]) -> Int { (bytes.count + 3) / 4 }
}

extension JSONValue {
    var arrayValue: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    var intValue: Int? {
        if case .number(let value) = self { return Int(value) }
        return nil
    }
}
