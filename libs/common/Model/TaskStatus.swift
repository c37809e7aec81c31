/// Where a task is in its life (ARCHITECTURE.md "A task's life").
public enum TaskStatus: String, Codable, Sendable, CaseIterable {
    case submitted, queued, assigned, running, succeeded, partial, failed, timeout, error, cancelled

    public var isTerminal: Bool {
        switch self {
        case .succeeded, .partial, .failed, .timeout, .error, .cancelled: true
        default: false
        }
    }

    /// Events can arrive out of order; a status only moves forward.
    public var rank: Int {
        switch self {
        case .submitted: 0
        case .queued: 1
        case .assigned: 2
        case .running: 3
        default: 4
        }
    }
}
