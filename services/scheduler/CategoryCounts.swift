import Foundation
import Synchronization
import SynthCommon

/// Finished trajectories per category, read from Redis at most every
/// `maxAge` seconds: a batch of 10,000 submissions costs one HGETALL, not 10,000.
final class CategoryCounts: Sendable {
    let queue: TaskQueue
    let maxAge: Double
    private let cached = Mutex<(counts: [String: Int], at: Date)?>(nil)

    init(queue: TaskQueue, maxAge: Double) {
        self.queue = queue
        self.maxAge = maxAge
    }

    func current(now: Date = Date()) async throws -> [String: Int] {
        if let hit = cached.withLock({ $0 }), now.timeIntervalSince(hit.at) < maxAge { return hit.counts }
        let counts = try await queue.finishedByCategory()
        cached.withLock { $0 = (counts, now) }
        return counts
    }
}
