/// One tool call of a reference solution: which tool, with which arguments.
public struct ToolCallSpec: Codable, Sendable, Equatable {
    public var tool: String
    public var arguments: [String: JSONValue]

    public init(tool: String, arguments: [String: JSONValue]) {
        self.tool = tool
        self.arguments = arguments
    }
}
