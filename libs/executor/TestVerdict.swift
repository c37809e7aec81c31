/// Judges a verification suite's test cases against the task's required
/// lists, as SWE-bench does: every FAIL_TO_PASS test must now pass and every
/// PASS_TO_PASS test must still pass. Without lists, every collected case
/// counts. A required test that did not run at all counts as failed.
public struct TestVerdict: Sendable, Equatable {
    public var passed: [String]
    public var failed: [String]

    public init(passed: [String], failed: [String]) {
        self.passed = passed
        self.failed = failed
    }

    public static func judge(cases: [JUnitReport.TestCase], failToPass: [String], passToPass: [String]) -> TestVerdict {
        let required = failToPass + passToPass
        if required.isEmpty {
            // Skipped cases neither pass nor fail the task.
            let counted = cases.filter { $0.outcome != .skipped }
            return TestVerdict(passed: counted.filter { $0.outcome == .passed }.map(\.id),
                               failed: counted.filter { $0.outcome != .passed }.map(\.id))
        }
        var verdict = TestVerdict(passed: [], failed: [])
        for wanted in required {
            let found = cases.filter { TestID.matches(wanted, $0) }
            if !found.isEmpty && found.allSatisfy({ $0.outcome == .passed }) {
                verdict.passed.append(wanted)
            } else {
                verdict.failed.append(found.isEmpty ? "\(wanted) (not run)" : wanted)
            }
        }
        return verdict
    }
}
