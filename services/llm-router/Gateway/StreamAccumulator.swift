import SynthCommon

/// Rebuilds a whole `chat.completion` from the OpenAI chunks sent to the
/// client, for the call record: content, reasoning, tool calls (arguments
/// concatenated per index), finish reason, usage, token ids and logprobs.
struct StreamAccumulator: Sendable {
    var id: String?
    var model: String?
    var created: JSONValue?
    var content = ""
    var reasoning = ""
    var sawContent = false
    var toolCalls: [Int: (id: String?, name: String, arguments: String)] = [:]
    var finishReason: String?
    var usage: JSONValue?
    var promptTokenIDs: [Int]?
    var tokenIDs: [Int] = []
    var logprobs: [JSONValue] = []
    var chunks = 0

    mutating func add(_ chunk: JSONValue) {
        chunks += 1
        if id == nil { id = chunk["id"]?.stringValue }
        if model == nil { model = chunk["model"]?.stringValue }
        if created == nil { created = chunk["created"] }
        if let value = chunk["usage"], !value.isNull { usage = value }
        if let ids = chunk["prompt_token_ids"]?.arrayValue { promptTokenIDs = ids.compactMap(\.intValue) }
        guard let choice = chunk["choices"]?.arrayValue?.first else { return }
        let delta = choice["delta"] ?? .null
        if let text = delta["content"]?.stringValue {
            content += text
            sawContent = true
        }
        if let text = delta["reasoning_content"]?.stringValue ?? delta["reasoning"]?.stringValue { reasoning += text }
        for call in delta["tool_calls"]?.arrayValue ?? [] {
            let index = call["index"]?.intValue ?? 0
            var entry = toolCalls[index] ?? (nil, "", "")
            if let id = call["id"]?.stringValue { entry.id = id }
            if let name = call["function"]?["name"]?.stringValue { entry.name += name }
            if let arguments = call["function"]?["arguments"]?.stringValue { entry.arguments += arguments }
            toolCalls[index] = entry
        }
        if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
        if let ids = choice["token_ids"]?.arrayValue { tokenIDs += ids.compactMap(\.intValue) }
        if let entries = choice["logprobs"]?["content"]?.arrayValue { logprobs += entries }
    }

    var completion: JSONValue {
        var message: [String: JSONValue] = ["role": .string("assistant"), "content": sawContent ? .string(content) : .null]
        if !reasoning.isEmpty { message["reasoning_content"] = .string(reasoning) }
        if !toolCalls.isEmpty {
            message["tool_calls"] = .array(toolCalls.keys.sorted().map { index in
                let call = toolCalls[index]!
                return .object(["id": call.id.map(JSONValue.string) ?? .null, "type": .string("function"),
                                "function": .object(["name": .string(call.name), "arguments": .string(call.arguments)])])
            })
        }
        var choice: [String: JSONValue] = ["index": .int(0), "message": .object(message),
                                           "finish_reason": finishReason.map(JSONValue.string) ?? .null]
        choice["logprobs"] = logprobs.isEmpty ? .null : .object(["content": .array(logprobs)])
        if !tokenIDs.isEmpty { choice["token_ids"] = .array(tokenIDs.map(JSONValue.int)) }
        var object: [String: JSONValue] = [
            "id": id.map(JSONValue.string) ?? .null, "object": .string("chat.completion"), "created": created ?? .null,
            "model": model.map(JSONValue.string) ?? .null, "choices": .array([.object(choice)]), "usage": usage ?? .null,
        ]
        if let promptTokenIDs { object["prompt_token_ids"] = .array(promptTokenIDs.map(JSONValue.int)) }
        return .object(object)
    }
}
