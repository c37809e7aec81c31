/// How hard a task is; also an input to its scheduling priority.
public enum Difficulty: String, Codable, Sendable, CaseIterable {
    case easy, medium, hard, expert

    /// 1...4, used by the scheduler's difficulty weight.
    public var level: Double {
        switch self {
        case .easy: 1
        case .medium: 2
        case .hard: 3
        case .expert: 4
        }
    }
}
