import Foundation
import SynthCommon
import SynthHTTPClient

/// Google Gemini's `models/{model}:generateContent` and
/// `:streamGenerateContent?alt=sse`: systemInstruction, contents with
/// functionCall / functionResponse parts, finishReason and usageMetadata.
struct GeminiAdapter: ProviderAdapter {
    func makeRequest(_ request: [String: JSONValue], deployment: ModelDeployment, stream: Bool, timeout: Duration) throws -> HTTPClientRequest {
        var system: [String] = []
        var contents: [JSONValue] = []
        /// Gemini's functionResponse names the function, OpenAI's tool message only its call id.
        var functionNames: [String: String] = [:]

        func append(role: String, parts: [JSONValue]) {
            if case .object(var last) = contents.last, last["role"]?.stringValue == role, case .array(var existing) = last["parts"] ?? .null {
                existing += parts
                last["parts"] = .array(existing)
                contents[contents.count - 1] = .object(last)
            } else {
                contents.append(.object(["role": .string(role), "parts": .array(parts)]))
            }
        }

        for message in request["messages"]?.arrayValue ?? [] {
            switch message["role"]?.stringValue ?? "user" {
            case "system", "developer":
                system.append(Adapters.text(of: message["content"]))
            case "assistant":
                var parts: [JSONValue] = []
                let text = Adapters.text(of: message["content"])
                if !text.isEmpty { parts.append(.object(["text": .string(text)])) }
                for call in message["tool_calls"]?.arrayValue ?? [] {
                    let name = call["function"]?["name"]?.stringValue ?? ""
                    if let id = call["id"]?.stringValue { functionNames[id] = name }
                    let arguments = call["function"]?["arguments"]?.stringValue ?? "{}"
                    let args = (try? JSONValue(parsing: Array(arguments.utf8))) ?? .object([:])
                    parts.append(.object(["functionCall": .object(["name": .string(name), "args": args])]))
                }
                if !parts.isEmpty { append(role: "model", parts: parts) }
            case "tool":
                let text = Adapters.text(of: message["content"])
                var response = (try? JSONValue(parsing: Array(text.utf8))) ?? .string(text)
                if response.objectValue == nil { response = .object(["content": response]) }  // must be an object
                let name = functionNames[message["tool_call_id"]?.stringValue ?? ""] ?? message["name"]?.stringValue ?? ""
                append(role: "user", parts: [.object(["functionResponse": .object(["name": .string(name), "response": response])])])
            default:
                append(role: "user", parts: Self.userParts(message["content"]))
            }
        }
        var body: [String: JSONValue] = ["contents": .array(contents)]
        if !system.isEmpty { body["systemInstruction"] = .object(["parts": .array([.object(["text": .string(system.joined(separator: "\n\n"))])])]) }
        var generation: [String: JSONValue] = [:]
        if let value = request["temperature"], !value.isNull { generation["temperature"] = value }
        if let value = request["top_p"], !value.isNull { generation["topP"] = value }
        if let value = request["max_completion_tokens"] ?? request["max_tokens"], !value.isNull { generation["maxOutputTokens"] = value }
        if let value = request["n"], !value.isNull { generation["candidateCount"] = value }
        if let value = request["seed"], !value.isNull { generation["seed"] = value }
        switch request["stop"] {
        case .string(let stop): generation["stopSequences"] = .array([.string(stop)])
        case .array(let stops): generation["stopSequences"] = .array(stops)
        default: break
        }
        if request["response_format"]?["type"]?.stringValue == "json_object" { generation["responseMimeType"] = .string("application/json") }
        if !generation.isEmpty { body["generationConfig"] = .object(generation) }
        if let tools = request["tools"]?.arrayValue, !tools.isEmpty {
            body["tools"] = .array([.object(["functionDeclarations": .array(tools.map { tool in
                let function = tool["function"] ?? .object([:])
                var out: [String: JSONValue] = ["name": function["name"] ?? .string("")]
                if let description = function["description"], !description.isNull { out["description"] = description }
                if let parameters = function["parameters"], !parameters.isNull { out["parameters"] = Self.schema(parameters) }
                return .object(out)
            })])])
        }
        switch request["tool_choice"] {
        case .string("auto"): body["toolConfig"] = .object(["functionCallingConfig": .object(["mode": .string("AUTO")])])
        case .string("required"): body["toolConfig"] = .object(["functionCallingConfig": .object(["mode": .string("ANY")])])
        case .string("none"): body["toolConfig"] = .object(["functionCallingConfig": .object(["mode": .string("NONE")])])
        case .object(let choice):
            if let name = choice["function"]?["name"] {
                body["toolConfig"] = .object(["functionCallingConfig": .object(["mode": .string("ANY"), "allowedFunctionNames": .array([name])])])
            }
        default: break
        }

        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let key = deployment.apiKey { headers.add(name: "x-goog-api-key", value: key) }
        let model = deployment.wireModel.hasPrefix("models/") ? deployment.wireModel : "models/" + deployment.wireModel
        let base = deployment.baseURL.contains("/v1") ? deployment.baseURL : Adapters.join(deployment.baseURL, "/v1beta")
        let url = Adapters.join(base, "/" + model + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"))
        return HTTPClientRequest(method: .post, url: url, headers: headers, body: JSONValue.object(body).serializedBytes, timeout: timeout)
    }

    static func userParts(_ content: JSONValue?) -> [JSONValue] {
        guard case .array(let parts) = content else { return [.object(["text": .string(Adapters.text(of: content))])] }
        return parts.compactMap { part in
            switch part["type"]?.stringValue {
            case "text": return .object(["text": part["text"] ?? .string("")])
            case "image_url":
                let url = part["image_url"]?["url"]?.stringValue ?? ""
                if url.hasPrefix("data:"), let comma = url.firstIndex(of: ","), let semicolon = url.firstIndex(of: ";") {
                    return .object(["inlineData": .object([
                        "mimeType": .string(String(url[url.index(url.startIndex, offsetBy: 5)..<semicolon])),
                        "data": .string(String(url[url.index(after: comma)...])),
                    ])])
                }
                return .object(["fileData": .object(["fileUri": .string(url)])])
            default: return nil
            }
        }
    }

    /// Gemini takes an OpenAPI subset of JSON Schema and rejects keywords outside it.
    static func schema(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var out: [String: JSONValue] = [:]
            for (key, child) in object where !["$schema", "additionalProperties", "strict", "$id", "$defs", "examples"].contains(key) {
                out[key] = key == "properties" ? .object((child.objectValue ?? [:]).mapValues(schema)) : schema(child)
            }
            return .object(out)
        case .array(let values): return .array(values.map(schema))
        default: return value
        }
    }

    static func finishReason(_ reason: String?, hasToolCalls: Bool) -> String? {
        guard let reason, reason != "FINISH_REASON_UNSPECIFIED" else { return nil }
        switch reason {
        case "STOP": return hasToolCalls ? "tool_calls" : "stop"
        case "MAX_TOKENS": return "length"
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY": return "content_filter"
        default: return "stop"  // OTHER, LANGUAGE, MALFORMED_FUNCTION_CALL…
        }
    }

    static func usage(_ metadata: JSONValue?) -> NormalizedUsage {
        var usage = NormalizedUsage()
        usage.promptTokens = metadata?["promptTokenCount"]?.intValue ?? 0
        usage.cachedTokens = metadata?["cachedContentTokenCount"]?.intValue ?? 0
        usage.reasoningTokens = metadata?["thoughtsTokenCount"]?.intValue ?? 0
        // candidatesTokenCount excludes thoughts; OpenAI's completion_tokens includes reasoning.
        usage.completionTokens = (metadata?["candidatesTokenCount"]?.intValue ?? 0) + usage.reasoningTokens
        return usage
    }

    /// Text, reasoning and function calls of the first candidate.
    static func parts(_ candidate: JSONValue?, callOffset: Int) -> (text: String, reasoning: String, calls: [JSONValue]) {
        var text = "", reasoning = ""
        var calls: [JSONValue] = []
        for part in candidate?["content"]?["parts"]?.arrayValue ?? [] {
            if let call = part["functionCall"] {
                let id = call["id"]?.stringValue ?? "call_\(UUID().uuidString.prefix(8).lowercased())_\(callOffset + calls.count)"
                calls.append(.object([
                    "index": .int(callOffset + calls.count), "id": .string(id), "type": .string("function"),
                    "function": .object(["name": call["name"] ?? .string(""), "arguments": .string((call["args"] ?? .object([:])).jsonText)]),
                ]))
            } else if let partText = part["text"]?.stringValue {
                if part["thought"] == .bool(true) { reasoning += partText } else { text += partText }
            }
        }
        return (text, reasoning, calls)
    }

    func translateResponse(_ body: JSONValue, deployment: ModelDeployment) throws -> JSONValue {
        guard let candidates = body["candidates"]?.arrayValue else {
            if let reason = body["promptFeedback"]?["blockReason"]?.stringValue {
                return Self.completion(id: "gemini", model: deployment.wireModel, text: "", reasoning: "", calls: [], finish: "content_filter",
                                       usage: Self.usage(body["usageMetadata"]), note: reason)
            }
            throw AdapterError.unreadable("the reply has no 'candidates' array")
        }
        let (text, reasoning, calls) = Self.parts(candidates.first, callOffset: 0)
        let finish = Self.finishReason(candidates.first?["finishReason"]?.stringValue, hasToolCalls: !calls.isEmpty) ?? "stop"
        return Self.completion(id: body["responseId"]?.stringValue ?? "gemini", model: body["modelVersion"]?.stringValue ?? deployment.wireModel,
                               text: text, reasoning: reasoning, calls: calls, finish: finish, usage: Self.usage(body["usageMetadata"]), note: nil)
    }

    static func completion(id: String, model: String, text: String, reasoning: String, calls: [JSONValue], finish: String,
                           usage: NormalizedUsage, note: String?) -> JSONValue {
        var message: [String: JSONValue] = ["role": .string("assistant"), "content": calls.isEmpty || !text.isEmpty ? .string(text) : .null]
        if !calls.isEmpty {
            message["tool_calls"] = .array(calls.map { call in
                var object = call.objectValue ?? [:]
                object["index"] = nil
                return .object(object)
            })
        }
        if !reasoning.isEmpty { message["reasoning_content"] = .string(reasoning) }
        if let note { message["refusal"] = .string("blocked by the provider: \(note)") }
        return .object([
            "id": .string(id), "object": .string("chat.completion"), "created": .int(Int(Date().timeIntervalSince1970)), "model": .string(model),
            "choices": .array([.object(["index": .int(0), "message": .object(message), "logprobs": .null, "finish_reason": .string(finish)])]),
            "usage": usage.openAIObject,
        ])
    }

    func makeStreamTranslator(deployment: ModelDeployment, includeUsage: Bool) -> any StreamTranslator {
        Stream(model: deployment.wireModel)
    }

    func errorMessage(_ body: JSONValue) -> String? {
        body["error"]?["message"]?.stringValue ?? body.arrayValue?.first?["error"]?["message"]?.stringValue
    }

    /// Each SSE event is a whole GenerateContentResponse; the last carries
    /// finishReason and usageMetadata. There is no terminal marker, so a
    /// stream is complete only once a finishReason has arrived.
    struct Stream: StreamTranslator {
        let model: String
        let id = "chatcmpl-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let created = Int(Date().timeIntervalSince1970)
        var usage = NormalizedUsage()
        var sentRole = false
        var toolCalls = 0
        var isComplete = false

        mutating func translate(_ event: SSEEvent) throws -> [StreamChunk] {
            guard let json = try? JSONValue(parsing: Array(event.data.utf8)), case .object = json else {
                throw AdapterError.unreadable("a stream event is not JSON: \(event.data.prefix(200))")
            }
            if let error = json["error"], !error.isNull {
                throw AdapterError.upstreamStreamError(error["message"]?.stringValue ?? error.jsonText)
            }
            if let metadata = json["usageMetadata"] { usage = GeminiAdapter.usage(metadata) }
            let candidate = json["candidates"]?.arrayValue?.first
            let (text, reasoning, calls) = GeminiAdapter.parts(candidate, callOffset: toolCalls)
            toolCalls += calls.count
            var delta: [String: JSONValue] = [:]
            if !sentRole {
                delta["role"] = .string("assistant")
                sentRole = true
            }
            if !text.isEmpty { delta["content"] = .string(text) }
            if !reasoning.isEmpty { delta["reasoning_content"] = .string(reasoning) }
            if !calls.isEmpty { delta["tool_calls"] = .array(calls) }
            var finish = GeminiAdapter.finishReason(candidate?["finishReason"]?.stringValue, hasToolCalls: toolCalls > 0)
            if candidate == nil, json["promptFeedback"]?["blockReason"] != nil { finish = "content_filter" }
            if finish != nil { isComplete = true }
            guard !delta.isEmpty || finish != nil else { return [] }
            return [StreamChunk(Adapters.chunk(id: id, model: model, created: created, delta: delta, finishReason: finish))]
        }

        mutating func finish() -> [StreamChunk] {
            [StreamChunk(Adapters.usageChunk(id: id, model: model, created: created, usage: usage))]
        }
    }
}
