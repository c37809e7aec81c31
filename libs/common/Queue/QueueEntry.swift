import Foundation

/// One task to enqueue with its priority score (lower pops first) and the
/// time its ageing counts from.
public struct QueueEntry: Sendable {
    public let task: TaskDefinition
    public let score: Double
    public let enqueuedAt: Date
    /// The definition's JSON as the producer already has it (the scheduler
    /// slices it out of the TaskSubmitted event), so enqueue does not encode
    /// it again; nil: enqueue encodes `task`.
    public let encoded: [UInt8]?

    public init(task: TaskDefinition, score: Double, enqueuedAt: Date = Date()) {
        self.task = task
        self.score = score
        self.enqueuedAt = enqueuedAt
        self.encoded = nil
    }

    /// `encoded` must be the JSON of `task` (what a worker decodes at lease).
    public init(task: TaskDefinition, encoded: [UInt8], score: Double, enqueuedAt: Date = Date()) {
        self.task = task
        self.score = score
        self.enqueuedAt = enqueuedAt
        self.encoded = encoded
    }
}
