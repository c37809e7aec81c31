import Foundation

/// Spec 2.1's priority weights and the static ready-queue score they give.
///
/// priority(now) = difficulty_weight x level + category_weight x scarcity
///                 + age_weight x (now - enqueued_at)
/// Linear ageing raises every waiting task at the same rate, so ordering by
/// priority(now) equals ordering by priority(0) - age_weight x enqueued_at,
/// which never changes: the score is written once at enqueue.
public struct PriorityWeights: Sendable, Equatable {
    public var difficulty: Double
    public var category: Double
    /// Priority points per second of waiting.
    public var age: Double

    public init(difficulty: Double = 1, category: Double = 2, age: Double = 0.01) {
        self.difficulty = difficulty
        self.category = category
        self.age = age
    }

    /// `scarcity` in 0...1: how under-represented the task's category is among
    /// finished trajectories (1 = none yet). Lower scores pop first.
    public func score(difficulty level: Double, scarcity: Double, enqueuedAt: Date) -> Double {
        -(difficulty * level + category * scarcity - age * enqueuedAt.timeIntervalSince1970)
    }
}
