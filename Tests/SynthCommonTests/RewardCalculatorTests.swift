import Testing
@testable import SynthCommon

@Suite("Reward table (spec 2.5)")
struct RewardCalculatorTests {
    let calculator = RewardCalculator()

    func signals(passed: Int, of total: Int, steps: Int, compiled: Bool? = nil, lint: Bool? = nil) -> RewardSignals {
        RewardSignals(testsPassed: passed, testsTotal: total, compiled: compiled, lintClean: lint, steps: steps,
                      estimatedSteps: StepRange(min: 2, max: 6))
    }

    @Test func everythingMeasuredAndPerfectIsOne() {
        let breakdown = calculator.breakdown(for: signals(passed: 4, of: 4, steps: 5, compiled: true, lint: true))
        #expect(breakdown.total == 1)
    }

    @Test func weightsFollowTheSpecificationTable() {
        // All tests fail, but it compiles, lints, and is efficient: 0.1 + 0.1 + 0.1.
        let breakdown = calculator.breakdown(for: signals(passed: 0, of: 4, steps: 3, compiled: true, lint: true))
        #expect(abs(breakdown.total - 0.3) < 1e-9)
        // Half the tests: progress 0.2 x 0.5 = 0.1, no test-pass bonus; compile fails, lint passes, efficient.
        let half = calculator.breakdown(for: signals(passed: 2, of: 4, steps: 3, compiled: false, lint: true))
        #expect(abs(half.total - 0.3) < 1e-9)
        #expect(half.testPass == 0)
        #expect(half.progress == 0.5)
    }

    @Test func unmeasuredSignalsAreRescaledNotGranted() {
        // Without compile and lint commands the measured weights (0.8) are scaled to 1.
        let all = calculator.breakdown(for: signals(passed: 3, of: 3, steps: 6))
        #expect(all.total == 1)
        #expect(all.compilation == nil && all.codeQuality == nil)
        let none = calculator.breakdown(for: signals(passed: 0, of: 3, steps: 6))
        #expect(abs(none.total - 0.1 / 0.8) < 1e-6)
    }

    @Test(arguments: [(6, 1.0), (9, 0.5), (12, 0.0), (30, 0.0), (1, 1.0)])
    func efficiencyFallsLinearlyPastTheEstimate(steps: Int, expected: Double) {
        #expect(abs(RewardCalculator.efficiency(steps: steps, estimated: StepRange(min: 2, max: 6)) - expected) < 1e-9)
    }

    @Test func resultVariants() {
        let (success, _) = calculator.result(for: signals(passed: 2, of: 2, steps: 3), failingTests: [])
        #expect(success == .success(reward: 1))
        let (partial, breakdown) = calculator.result(for: signals(passed: 1, of: 2, steps: 3), failingTests: ["edge"])
        #expect(partial == .partialSuccess(reward: breakdown.total, missing: ["edge"]))
        let (failure, _) = calculator.result(for: signals(passed: 0, of: 2, steps: 3), failingTests: ["a", "b"])
        guard case .failure(let reason) = failure else { Issue.record("expected failure, got \(failure)"); return }
        #expect(reason.contains("a, b"))
    }

    @Test func taskWeightsOverrideTheDefaults() {
        let testsOnly = RewardCalculator(weights: RewardWeights(testPass: 1, compilation: 0, progress: 0, efficiency: 0, codeQuality: 0))
        #expect(testsOnly.breakdown(for: signals(passed: 1, of: 2, steps: 100)).total == 0)
        #expect(testsOnly.breakdown(for: signals(passed: 2, of: 2, steps: 100)).total == 1)
    }
}
