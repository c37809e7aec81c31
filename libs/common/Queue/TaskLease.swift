/// A task a worker holds: its definition and which attempt this is.
public struct TaskLease: Sendable {
    public let taskID: String
    public let task: TaskDefinition?
    public let attempt: Int
    public let workerID: String

    public init(taskID: String, task: TaskDefinition?, attempt: Int, workerID: String) {
        self.taskID = taskID
        self.task = task
        self.attempt = attempt
        self.workerID = workerID
    }
}
