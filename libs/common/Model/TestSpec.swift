/// One hidden verification suite: files copied into the workspace after the
/// agent is done, and the command that runs them (exit 0 = passed).
public struct TestSpec: Codable, Sendable, Equatable {
    public var name: String
    public var command: String
    public var files: [String: String]
    /// Tests that must fail before the agent's change and pass after it, and
    /// tests that must keep passing (SWE-bench's FAIL_TO_PASS and
    /// PASS_TO_PASS), as pytest node ids or JUnit "classname.name". Empty:
    /// every test the suite runs counts.
    public var failToPass: [String]
    public var passToPass: [String]

    public init(name: String, command: String, files: [String: String] = [:], failToPass: [String] = [], passToPass: [String] = []) {
        self.name = name
        self.command = command
        self.files = files
        self.failToPass = failToPass
        self.passToPass = passToPass
    }

    enum CodingKeys: String, CodingKey {
        case name, command, files
        case failToPass = "fail_to_pass", passToPass = "pass_to_pass"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        command = try c.decode(String.self, forKey: .command)
        files = try c.decodeIfPresent([String: String].self, forKey: .files) ?? [:]
        failToPass = try c.decodeIfPresent([String].self, forKey: .failToPass) ?? []
        passToPass = try c.decodeIfPresent([String].self, forKey: .passToPass) ?? []
    }

    /// Leaves the lists out when empty, so existing tasks encode as before.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(command, forKey: .command)
        try c.encode(files, forKey: .files)
        if !failToPass.isEmpty { try c.encode(failToPass, forKey: .failToPass) }
        if !passToPass.isEmpty { try c.encode(passToPass, forKey: .passToPass) }
    }
}
