import Foundation
import SynthDataset

/// Counts and the reward distribution of one dataset version, for the card and the exports row.
struct DatasetSummary: Codable, Sendable {
    var rows = 0
    var passed = 0
    var meanReward = 0.0
    var rewardQuantiles: [String: Double] = [:]
    /// Rows per reward bucket [0, 0.1), [0.1, 0.2), ..., [0.9, 1.0].
    var rewardHistogram: [Int] = Array(repeating: 0, count: 10)
    var categories: [String: Int] = [:]
    var models: [String: Int] = [:]
    var files: [String] = []
    var bytes: Int64 = 0

    enum CodingKeys: String, CodingKey {
        case rows, passed, files, bytes, categories, models
        case meanReward = "mean_reward", rewardQuantiles = "reward_quantiles", rewardHistogram = "reward_histogram"
    }

    var passRate: Double { rows > 0 ? Double(passed) / Double(rows) : 0 }

    /// Rewards are kept (8 bytes a row) to compute exact quantiles.
    struct Accumulator {
        var summary = DatasetSummary()
        var rewards: [Double] = []

        mutating func add(_ trajectory: ExportedTrajectory) {
            summary.rows += 1
            if trajectory.verificationPassed { summary.passed += 1 }
            rewards.append(trajectory.totalReward)
            summary.rewardHistogram[min(9, max(0, Int((trajectory.totalReward * 10).rounded(.down))))] += 1
            summary.categories[trajectory.category, default: 0] += 1
            summary.models[trajectory.model, default: 0] += 1
        }

        func finish() -> DatasetSummary {
            var result = summary
            let sorted = rewards.sorted()
            result.meanReward = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
            if !sorted.isEmpty {
                for (name, q) in [("min", 0.0), ("p25", 0.25), ("median", 0.5), ("p75", 0.75), ("max", 1.0)] {
                    result.rewardQuantiles[name] = sorted[Int((Double(sorted.count - 1) * q).rounded())]
                }
            }
            return result
        }
    }
}
