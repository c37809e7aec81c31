import Foundation

/// One task to enqueue with its priority score (lower pops first) and the
/// time its ageing counts from.
public struct QueueEntry: Sendable {
    public let task: TaskDefinition
    public let score: Double
    public let enqueuedAt: Date

    public init(task: TaskDefinition, score: Double, enqueuedAt: Date = Date()) {
        self.task = task
        self.score = score
        self.enqueuedAt = enqueuedAt
    }
}
