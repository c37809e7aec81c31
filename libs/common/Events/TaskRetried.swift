import Foundation

/// A task given back after an infrastructure failure (its container did not
/// start, its worker died, the LLM provider was down): it waits out a backoff
/// and runs again. Published by the executor and the scheduler's reaper.
public struct TaskRetried: SystemEventPayload {
    public static let eventType = "TaskRetried"
    public static let topic = Topic.tasks
    public var taskID: String
    /// The attempt that failed.
    public var attempt: Int
    public var reason: String
    public var retryAt: Date
    public var partitionKey: String { taskID }

    public init(taskID: String, attempt: Int, reason: String, retryAt: Date) {
        self.taskID = taskID
        self.attempt = attempt
        self.reason = reason
        self.retryAt = retryAt
    }

    enum CodingKeys: String, CodingKey {
        case attempt, reason
        case taskID = "task_id", retryAt = "retry_at"
    }
}
