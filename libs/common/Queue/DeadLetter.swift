/// A dead-lettered task and why it was given up.
public struct DeadLetter: Sendable, Equatable {
    public var taskID: String
    public var attempts: Int
    public var reason: String

    public init(taskID: String, attempts: Int, reason: String) {
        self.taskID = taskID
        self.attempts = attempts
        self.reason = reason
    }
}
