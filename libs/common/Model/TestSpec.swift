/// One hidden verification suite: files copied into the workspace after the
/// agent is done, and the command that runs them (exit 0 = passed).
public struct TestSpec: Codable, Sendable, Equatable {
    public var name: String
    public var command: String
    public var files: [String: String]

    public init(name: String, command: String, files: [String: String] = [:]) {
        self.name = name
        self.command = command
        self.files = files
    }

    enum CodingKeys: String, CodingKey { case name, command, files }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        command = try c.decode(String.self, forKey: .command)
        files = try c.decodeIfPresent([String: String].self, forKey: .files) ?? [:]
    }
}
