/// The reward of spec 2.5:
/// - test pass (0.5): 1 when every hidden test passed, else 0;
/// - compilation (0.1): the task's compile command exited 0;
/// - progress (0.2): the fraction of hidden tests that pass (partial credit);
/// - efficiency (0.1): 1 up to the estimated maximum of steps, falling
///   linearly to 0 at twice that maximum;
/// - code quality (0.1): the task's lint command exited 0.
/// Unmeasured signals (nil) drop out and the remaining weights are rescaled to
/// sum to the same total, so a task without a linter is not capped at 0.9.
public struct RewardCalculator: Sendable {
    public var weights: RewardWeights

    public init(weights: RewardWeights = .standard) {
        self.weights = weights
    }

    public func breakdown(for signals: RewardSignals) -> RewardBreakdown {
        let fraction = signals.testsTotal > 0 ? Double(signals.testsPassed) / Double(signals.testsTotal) : 0
        let testPass: Double = signals.testsTotal > 0 && signals.testsPassed == signals.testsTotal ? 1 : 0
        let efficiency = Self.efficiency(steps: signals.steps, estimated: signals.estimatedSteps)
        let compilation = signals.compiled.map { $0 ? 1.0 : 0.0 }
        let quality = signals.lintClean.map { $0 ? 1.0 : 0.0 }

        var terms: [(score: Double, weight: Double)] = [
            (testPass, weights.testPass), (fraction, weights.progress), (efficiency, weights.efficiency),
        ]
        if let compilation { terms.append((compilation, weights.compilation)) }
        if let quality { terms.append((quality, weights.codeQuality)) }
        let allWeight = weights.testPass + weights.compilation + weights.progress + weights.efficiency + weights.codeQuality
        let measuredWeight = terms.reduce(0) { $0 + $1.weight }
        let raw = terms.reduce(0) { $0 + $1.score * $1.weight }
        let total = measuredWeight > 0 ? raw * allWeight / measuredWeight : 0
        return RewardBreakdown(testPass: testPass, compilation: compilation, progress: fraction, efficiency: efficiency,
                               codeQuality: quality, total: (total * 1_000_000).rounded() / 1_000_000)
    }

    static func efficiency(steps: Int, estimated: StepRange) -> Double {
        let budget = Swift.max(estimated.max, 1)
        if steps <= budget { return 1 }
        return Swift.max(0, 1 - Double(steps - budget) / Double(budget))
    }

    /// The result an attempt that ran to the end earns.
    public func result(for signals: RewardSignals, failingTests: [String]) -> (TaskResult, RewardBreakdown) {
        let breakdown = breakdown(for: signals)
        if signals.testsTotal > 0 && signals.testsPassed == signals.testsTotal {
            return (.success(reward: breakdown.total), breakdown)
        }
        if signals.testsPassed > 0 {
            return (.partialSuccess(reward: breakdown.total, missing: failingTests), breakdown)
        }
        return (.failure(reason: "hidden tests failed: \(failingTests.joined(separator: ", "))"), breakdown)
    }
}
