import SynthCommon

/// Checks a chat completion request's shape before anything is spent on it,
/// naming the offending field the way OpenAI does (`param`).
enum RequestValidator {
    static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool", "function"]

    static func validate(_ request: JSONValue) -> OpenAIError? {
        guard case .object(let object) = request else { return .invalidRequest("the body must be a JSON object", param: nil) }
        guard let model = object["model"] else { return .invalidRequest("'model' is required", param: "model") }
        guard case .string(let name) = model, !name.isEmpty else { return .invalidRequest("'model' must be a non-empty string", param: "model") }
        guard let messages = object["messages"] else { return .invalidRequest("'messages' is required", param: "messages") }
        guard case .array(let list) = messages, !list.isEmpty else {
            return .invalidRequest("'messages' must be a non-empty array", param: "messages")
        }
        for (index, message) in list.enumerated() {
            guard case .object(let fields) = message, case .string(let role) = fields["role"] ?? .null else {
                return .invalidRequest("messages[\(index)] must be an object with a string 'role'", param: "messages[\(index)].role")
            }
            guard roles.contains(role) else {
                return .invalidRequest("messages[\(index)].role: '\(role)' is not one of \(roles.sorted().joined(separator: ", "))",
                                       param: "messages[\(index)].role")
            }
            switch fields["content"] ?? .null {
            case .string, .null: break
            case .array(let parts):
                for (partIndex, part) in parts.enumerated() where part["type"]?.stringValue == nil {
                    return .invalidRequest("messages[\(index)].content[\(partIndex)] must be an object with a string 'type'",
                                           param: "messages[\(index)].content[\(partIndex)].type")
                }
            default:
                return .invalidRequest("messages[\(index)].content must be a string, an array of content parts or null",
                                       param: "messages[\(index)].content")
            }
            if role == "tool", fields["tool_call_id"]?.stringValue == nil {
                return .invalidRequest("messages[\(index)].tool_call_id is required for role 'tool'", param: "messages[\(index)].tool_call_id")
            }
            if let calls = fields["tool_calls"], !calls.isNull {
                guard let array = calls.arrayValue else {
                    return .invalidRequest("messages[\(index)].tool_calls must be an array", param: "messages[\(index)].tool_calls")
                }
                for (callIndex, call) in array.enumerated() where call["function"]?["name"]?.stringValue == nil {
                    return .invalidRequest("messages[\(index)].tool_calls[\(callIndex)].function.name is required",
                                           param: "messages[\(index)].tool_calls[\(callIndex)].function.name")
                }
            }
        }
        if let problem = check(object, "stream", "a boolean", { if case .bool = $0 { true } else { false } }) { return problem }
        if let problem = check(object, "stream_options", "an object", { $0.objectValue != nil }) { return problem }
        if let problem = check(object, "temperature", "a number", { $0.doubleValue != nil }) { return problem }
        if let problem = check(object, "top_p", "a number", { $0.doubleValue != nil }) { return problem }
        for key in ["max_tokens", "max_completion_tokens", "n"] {
            if let problem = check(object, key, "a positive integer", { ($0.intValue ?? 0) >= 1 && $0.doubleValue == Double($0.intValue ?? 0) }) {
                return problem
            }
        }
        if let tools = object["tools"], !tools.isNull {
            guard let list = tools.arrayValue else { return .invalidRequest("'tools' must be an array", param: "tools") }
            for (index, tool) in list.enumerated() {
                guard tool["type"]?.stringValue == "function", tool["function"]?["name"]?.stringValue != nil else {
                    return .invalidRequest("tools[\(index)] must be {\"type\": \"function\", \"function\": {\"name\": ...}}",
                                           param: "tools[\(index)].function.name")
                }
            }
        }
        return nil
    }

    private static func check(_ object: [String: JSONValue], _ key: String, _ expected: String, _ ok: (JSONValue) -> Bool) -> OpenAIError? {
        guard let value = object[key], !value.isNull, !ok(value) else { return nil }
        return .invalidRequest("'\(key)' must be \(expected)", param: key)
    }
}
