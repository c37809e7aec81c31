import Foundation
import SynthCommon
import SynthHTTPClient

/// Anthropic's Messages API (`POST /v1/messages`, anthropic-version
/// 2023-06-01): system prompt, tool_use / tool_result blocks, stop reasons,
/// cache token usage, and its SSE event stream.
struct AnthropicAdapter: ProviderAdapter {
    static let version = "2023-06-01"

    func makeRequest(_ request: [String: JSONValue], deployment: ModelDeployment, stream: Bool, timeout: Duration) throws -> HTTPClientRequest {
        var body: [String: JSONValue] = ["model": .string(deployment.wireModel)]
        var system: [String] = []
        var messages: [JSONValue] = []

        func append(role: String, blocks: [JSONValue]) {
            // Anthropic wants alternating roles: merge consecutive turns of one role.
            if case .object(var last) = messages.last, last["role"]?.stringValue == role,
               case .array(var existing) = last["content"] ?? .null {
                existing += blocks
                last["content"] = .array(existing)
                messages[messages.count - 1] = .object(last)
            } else {
                messages.append(.object(["role": .string(role), "content": .array(blocks)]))
            }
        }

        for message in request["messages"]?.arrayValue ?? [] {
            let role = message["role"]?.stringValue ?? "user"
            switch role {
            case "system", "developer":
                system.append(Adapters.text(of: message["content"]))
            case "tool":
                append(role: "user", blocks: [.object([
                    "type": .string("tool_result"), "tool_use_id": .string(message["tool_call_id"]?.stringValue ?? ""),
                    "content": .string(Adapters.text(of: message["content"])),
                ])])
            case "assistant":
                var blocks: [JSONValue] = []
                let text = Adapters.text(of: message["content"])
                if !text.isEmpty { blocks.append(.object(["type": .string("text"), "text": .string(text)])) }
                for call in message["tool_calls"]?.arrayValue ?? [] {
                    let arguments = call["function"]?["arguments"]?.stringValue ?? "{}"
                    let input = (try? JSONValue(parsing: Array(arguments.utf8))) ?? .object([:])
                    blocks.append(.object([
                        "type": .string("tool_use"), "id": .string(call["id"]?.stringValue ?? ""),
                        "name": .string(call["function"]?["name"]?.stringValue ?? ""), "input": input,
                    ]))
                }
                if !blocks.isEmpty { append(role: "assistant", blocks: blocks) }
            default:
                append(role: "user", blocks: Self.userBlocks(message["content"]))
            }
        }
        if !system.isEmpty { body["system"] = .string(system.joined(separator: "\n\n")) }
        body["messages"] = .array(messages)
        let maxTokens = request["max_completion_tokens"]?.intValue ?? request["max_tokens"]?.intValue ?? deployment.maxOutputTokens ?? 4096
        body["max_tokens"] = .int(maxTokens)
        for key in ["temperature", "top_p"] { if let value = request[key], !value.isNull { body[key] = value } }
        switch request["stop"] {
        case .string(let stop): body["stop_sequences"] = .array([.string(stop)])
        case .array(let stops): body["stop_sequences"] = .array(stops)
        default: break
        }
        if let tools = request["tools"]?.arrayValue, !tools.isEmpty {
            body["tools"] = .array(tools.map { tool in
                let function = tool["function"] ?? .object([:])
                var out: [String: JSONValue] = ["name": function["name"] ?? .string(""),
                                                "input_schema": function["parameters"] ?? .object(["type": .string("object")])]
                if let description = function["description"], !description.isNull { out["description"] = description }
                return .object(out)
            })
        }
        switch request["tool_choice"] {
        case .string("auto"): body["tool_choice"] = .object(["type": .string("auto")])
        case .string("required"): body["tool_choice"] = .object(["type": .string("any")])
        case .string("none"): body["tool_choice"] = .object(["type": .string("none")])
        case .object(let choice):
            if let name = choice["function"]?["name"] { body["tool_choice"] = .object(["type": .string("tool"), "name": name]) }
        default: break
        }
        if let user = request["user"]?.stringValue { body["metadata"] = .object(["user_id": .string(user)]) }
        if stream { body["stream"] = .bool(true) }

        var headers: HTTPHeaders = ["Content-Type": "application/json", "anthropic-version": Self.version]
        if stream { headers.add(name: "Accept", value: "text/event-stream") }
        if let key = deployment.apiKey { headers.add(name: "x-api-key", value: key) }
        let base = deployment.baseURL.hasSuffix("/v1") || deployment.baseURL.hasSuffix("/v1/") ? deployment.baseURL
            : Adapters.join(deployment.baseURL, "/v1")
        return HTTPClientRequest(method: .post, url: Adapters.join(base, "/messages"), headers: headers,
                                 body: JSONValue.object(body).serializedBytes, timeout: timeout)
    }

    /// OpenAI user content (string or parts) → Anthropic content blocks.
    static func userBlocks(_ content: JSONValue?) -> [JSONValue] {
        guard case .array(let parts) = content else { return [.object(["type": .string("text"), "text": .string(Adapters.text(of: content))])] }
        return parts.compactMap { part in
            switch part["type"]?.stringValue {
            case "text": return .object(["type": .string("text"), "text": part["text"] ?? .string("")])
            case "image_url":
                let url = part["image_url"]?["url"]?.stringValue ?? ""
                if url.hasPrefix("data:"), let comma = url.firstIndex(of: ","), let semicolon = url.firstIndex(of: ";") {
                    let mediaType = String(url[url.index(url.startIndex, offsetBy: 5)..<semicolon])
                    return .object(["type": .string("image"), "source": .object([
                        "type": .string("base64"), "media_type": .string(mediaType), "data": .string(String(url[url.index(after: comma)...])),
                    ])])
                }
                return .object(["type": .string("image"), "source": .object(["type": .string("url"), "url": .string(url)])])
            default: return nil
            }
        }
    }

    static func finishReason(_ stopReason: String?) -> String? {
        switch stopReason {
        case nil: return nil
        case "end_turn", "stop_sequence", "pause_turn": return "stop"
        case "max_tokens": return "length"
        case "tool_use": return "tool_calls"
        case "refusal": return "content_filter"
        default: return "stop"
        }
    }

    static func usage(_ usage: JSONValue?) -> NormalizedUsage {
        var normalized = NormalizedUsage()
        let input = usage?["input_tokens"]?.intValue ?? 0
        normalized.cachedTokens = usage?["cache_read_input_tokens"]?.intValue ?? 0
        normalized.cacheCreationTokens = usage?["cache_creation_input_tokens"]?.intValue ?? 0
        // Anthropic's input_tokens excludes cached and cache-written tokens; OpenAI's prompt_tokens includes them.
        normalized.promptTokens = input + normalized.cachedTokens + normalized.cacheCreationTokens
        normalized.completionTokens = usage?["output_tokens"]?.intValue ?? 0
        return normalized
    }

    func translateResponse(_ body: JSONValue, deployment: ModelDeployment) throws -> JSONValue {
        guard body["type"]?.stringValue == "message", let content = body["content"]?.arrayValue else {
            throw AdapterError.unreadable("the reply is not an Anthropic message (no type 'message' with 'content')")
        }
        var text = "", reasoning = ""
        var toolCalls: [JSONValue] = []
        for block in content {
            switch block["type"]?.stringValue {
            case "text": text += block["text"]?.stringValue ?? ""
            case "thinking": reasoning += block["thinking"]?.stringValue ?? ""
            case "tool_use":
                toolCalls.append(.object([
                    "id": block["id"] ?? .string(""), "type": .string("function"),
                    "function": .object(["name": block["name"] ?? .string(""), "arguments": .string((block["input"] ?? .object([:])).jsonText)]),
                ]))
            default: break
            }
        }
        var message: [String: JSONValue] = ["role": .string("assistant"), "content": toolCalls.isEmpty || !text.isEmpty ? .string(text) : .null]
        if !toolCalls.isEmpty { message["tool_calls"] = .array(toolCalls) }
        if !reasoning.isEmpty { message["reasoning_content"] = .string(reasoning) }
        return .object([
            "id": body["id"] ?? .string("msg"), "object": .string("chat.completion"), "created": .int(Int(Date().timeIntervalSince1970)),
            "model": body["model"] ?? .string(deployment.wireModel),
            "choices": .array([.object([
                "index": .int(0), "message": .object(message), "logprobs": .null,
                "finish_reason": .string(Self.finishReason(body["stop_reason"]?.stringValue) ?? "stop"),
            ])]),
            "usage": Self.usage(body["usage"]).openAIObject,
        ])
    }

    func makeStreamTranslator(deployment: ModelDeployment, includeUsage: Bool) -> any StreamTranslator {
        Stream(model: deployment.wireModel)
    }

    func errorMessage(_ body: JSONValue) -> String? { body["error"]?["message"]?.stringValue }

    /// message_start, content_block_start/delta/stop, message_delta, message_stop, ping, error.
    struct Stream: StreamTranslator {
        let model: String
        var id = "msg"
        let created = Int(Date().timeIntervalSince1970)
        var usage = NormalizedUsage()
        var inputUsage: JSONValue?
        /// Anthropic content block index → OpenAI tool_calls index.
        var toolIndex: [Int: Int] = [:]
        var isComplete = false

        mutating func translate(_ event: SSEEvent) throws -> [StreamChunk] {
            guard let json = try? JSONValue(parsing: Array(event.data.utf8)) else {
                throw AdapterError.unreadable("a stream event is not JSON: \(event.data.prefix(200))")
            }
            let type = json["type"]?.stringValue ?? event.event ?? ""
            func chunk(_ delta: [String: JSONValue], finish: String? = nil) -> StreamChunk {
                StreamChunk(Adapters.chunk(id: id, model: model, created: created, delta: delta, finishReason: finish))
            }
            switch type {
            case "message_start":
                id = json["message"]?["id"]?.stringValue ?? id
                inputUsage = json["message"]?["usage"]
                usage = AnthropicAdapter.usage(inputUsage)
                return [chunk(["role": .string("assistant"), "content": .string("")])]
            case "content_block_start":
                let block = json["content_block"] ?? .null
                guard block["type"]?.stringValue == "tool_use", let index = json["index"]?.intValue else { return [] }
                let position = toolIndex.count
                toolIndex[index] = position
                return [chunk(["tool_calls": .array([.object([
                    "index": .int(position), "id": block["id"] ?? .string(""), "type": .string("function"),
                    "function": .object(["name": block["name"] ?? .string(""), "arguments": .string("")]),
                ])])])]
            case "content_block_delta":
                let delta = json["delta"] ?? .null
                switch delta["type"]?.stringValue {
                case "text_delta": return [chunk(["content": delta["text"] ?? .string("")])]
                case "thinking_delta": return [chunk(["reasoning_content": delta["thinking"] ?? .string("")])]
                case "input_json_delta":
                    guard let index = json["index"]?.intValue, let position = toolIndex[index] else { return [] }
                    return [chunk(["tool_calls": .array([.object([
                        "index": .int(position), "function": .object(["arguments": delta["partial_json"] ?? .string("")]),
                    ])])])]
                default: return []
                }
            case "message_delta":
                var merged = inputUsage?.objectValue ?? [:]
                for (key, value) in json["usage"]?.objectValue ?? [:] where !value.isNull { merged[key] = value }
                usage = AnthropicAdapter.usage(.object(merged))
                guard let reason = AnthropicAdapter.finishReason(json["delta"]?["stop_reason"]?.stringValue) else { return [] }
                return [chunk([:], finish: reason)]
            case "message_stop":
                isComplete = true
                return []
            case "error":
                throw AdapterError.upstreamStreamError(json["error"]?["message"]?.stringValue ?? json.jsonText)
            default:
                return []  // ping, content_block_stop, and event types added later
            }
        }

        mutating func finish() -> [StreamChunk] {
            [StreamChunk(Adapters.usageChunk(id: id, model: model, created: created, usage: usage))]
        }
    }
}
