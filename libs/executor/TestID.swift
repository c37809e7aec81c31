/// Test identifiers in the two spellings a task author may use: pytest node
/// ids ("tests/test_x.py::TestA::test_b[1]", as in SWE-bench's FAIL_TO_PASS
/// lists) and JUnit "classname.name" ("tests.test_x.TestA.test_b[1]").
public enum TestID {
    /// Both spellings mapped to the dotted JUnit form.
    public static func normalize(_ id: String) -> String {
        guard id.contains("::") else { return id }
        var parts = id.components(separatedBy: "::")
        var module = parts.removeFirst()
        if module.hasSuffix(".py") { module.removeLast(3) }
        module = module.replacingOccurrences(of: "/", with: ".")
        while module.hasPrefix(".") { module.removeFirst() }
        return ([module] + parts).joined(separator: ".")
    }

    /// Whether `wanted` (either spelling) names `testCase`.
    public static func matches(_ wanted: String, _ testCase: JUnitReport.TestCase) -> Bool {
        let normalized = normalize(wanted)
        if normalized == testCase.id { return true }
        // A bare test name matches a case of that name (authors often list
        // "test_b" for a single-module suite).
        return !wanted.contains("::") && !wanted.contains(".") && wanted == testCase.name
    }
}
