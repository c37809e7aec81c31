/// What verification measured. A signal is nil when the task gives no way to
/// measure it (no compile or lint command): its weight is then spread over
/// the measured signals instead of being granted or withheld for free.
public struct RewardSignals: Codable, Sendable, Equatable {
    public var testsPassed: Int
    public var testsTotal: Int
    public var compiled: Bool?
    public var lintClean: Bool?
    public var steps: Int
    public var estimatedSteps: StepRange

    public init(testsPassed: Int, testsTotal: Int, compiled: Bool?, lintClean: Bool?, steps: Int, estimatedSteps: StepRange) {
        self.testsPassed = testsPassed
        self.testsTotal = testsTotal
        self.compiled = compiled
        self.lintClean = lintClean
        self.steps = steps
        self.estimatedSteps = estimatedSteps
    }

    enum CodingKeys: String, CodingKey {
        case testsPassed = "tests_passed", testsTotal = "tests_total", compiled, lintClean = "lint_clean"
        case steps, estimatedSteps = "estimated_steps"
    }
}
