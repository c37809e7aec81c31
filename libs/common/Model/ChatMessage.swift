/// A message in OpenAI chat format, as sent to and returned by the router and
/// as exported in the dataset's `messages` column.
public struct ChatMessage: Codable, Sendable, Equatable {
    public var role: String
    public var content: String?
    public var toolCalls: [ToolCall]?
    public var toolCallID: String?
    public var name: String?

    public init(role: String, content: String?, toolCalls: [ToolCall]? = nil, toolCallID: String? = nil, name: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case role, content, name
        case toolCalls = "tool_calls", toolCallID = "tool_call_id"
    }
}

/// An assistant's request to call a function (OpenAI `tool_calls[i]`).
public struct ToolCall: Codable, Sendable, Equatable {
    public var id: String
    public var type: String
    public var function: FunctionCall

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.type = "function"
        self.function = FunctionCall(name: name, arguments: arguments)
    }

    public struct FunctionCall: Codable, Sendable, Equatable {
        public var name: String
        /// JSON text, exactly as the model produced it.
        public var arguments: String
    }
}
