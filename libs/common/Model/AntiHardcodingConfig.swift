/// Guards against an agent that games verification instead of solving the task.
public struct AntiHardcodingConfig: Codable, Sendable, Equatable {
    /// Hash the hidden test files before and after running them; a change fails the task.
    public var hashTestFiles: Bool
    /// Copy hidden tests in only after the agent has finished.
    public var hideTestsUntilDone: Bool

    public init(hashTestFiles: Bool = true, hideTestsUntilDone: Bool = true) {
        self.hashTestFiles = hashTestFiles
        self.hideTestsUntilDone = hideTestsUntilDone
    }

    enum CodingKeys: String, CodingKey { case hashTestFiles = "hash_test_files", hideTestsUntilDone = "hide_tests_until_done" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hashTestFiles = try c.decodeIfPresent(Bool.self, forKey: .hashTestFiles) ?? true
        hideTestsUntilDone = try c.decodeIfPresent(Bool.self, forKey: .hideTestsUntilDone) ?? true
    }
}
