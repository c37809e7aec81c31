import Testing
@testable import SynthExecutor

@Suite struct JUnitReportTests {
    /// What pytest 7 writes with --junitxml (xunit1): one failure, one error, one skip.
    static let pytestXML = """
        <?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5">\
        <testcase classname="tests.test_calendar" name="test_merge" time="0.001" />\
        <testcase classname="tests.test_calendar.TestEdges" name="test_empty[0-1]" time="0.001">\
        <failure message="assert [] == [(0, 1)]">tests/test_calendar.py:12: AssertionError</failure></testcase>\
        <testcase classname="tests.test_calendar" name="test_fixture" time="0.001"><error message="fixture 'db' not found">E</error></testcase>\
        <testcase classname="tests.test_calendar" name="test_later" time="0"><skipped type="pytest.skip" message="later">skip</skipped></testcase>\
        <testcase classname="tests.test_calendar" name="test_touching" time="0.001" />\
        </testsuite></testsuites>
        """

    @Test func parsesEveryOutcome() throws {
        let report = try JUnitReport(xml: Self.pytestXML)
        #expect(report.cases.map(\.outcome) == [.passed, .failed, .error, .skipped, .passed])
        #expect(report.cases[1].id == "tests.test_calendar.TestEdges.test_empty[0-1]")
        #expect(report.cases[1].message == "assert [] == [(0, 1)]")
    }

    @Test func rejectsWhatIsNotXML() {
        #expect(throws: JUnitReport.Malformed.self) { try JUnitReport(xml: "collected 0 items <") }
    }

    @Test func nodeIDsAndJUnitIDsMeetInOneForm() throws {
        #expect(TestID.normalize("tests/test_calendar.py::TestEdges::test_empty[0-1]") == "tests.test_calendar.TestEdges.test_empty[0-1]")
        #expect(TestID.normalize("./test_x.py::test_a") == "test_x.test_a")
        let report = try JUnitReport(xml: Self.pytestXML)
        #expect(TestID.matches("tests/test_calendar.py::test_merge", report.cases[0]))
        #expect(TestID.matches("test_merge", report.cases[0]))
        #expect(!TestID.matches("tests/test_calendar.py::test_merge", report.cases[4]))
    }

    @Test func withoutListsEveryCaseButSkippedCounts() throws {
        let verdict = TestVerdict.judge(cases: try JUnitReport(xml: Self.pytestXML).cases, failToPass: [], passToPass: [])
        #expect(verdict.passed == ["tests.test_calendar.test_merge", "tests.test_calendar.test_touching"])
        #expect(verdict.failed.count == 2)
    }

    @Test func failToPassAndPassToPassAreJudgedByName() throws {
        let cases = try JUnitReport(xml: Self.pytestXML).cases
        let verdict = TestVerdict.judge(cases: cases,
                                        failToPass: ["tests/test_calendar.py::test_touching", "tests/test_calendar.py::test_missing"],
                                        passToPass: ["tests/test_calendar.py::test_merge", "tests/test_calendar.py::TestEdges::test_empty[0-1]"])
        #expect(verdict.passed == ["tests/test_calendar.py::test_touching", "tests/test_calendar.py::test_merge"])
        #expect(verdict.failed == ["tests/test_calendar.py::test_missing (not run)", "tests/test_calendar.py::TestEdges::test_empty[0-1]"])
    }

    @Test func plantedPytestHooksAndHiddenTestPathsAreSuspicious() {
        let patch = """
            diff --git a/pkg/conftest.py b/pkg/conftest.py
            new file mode 100644
            diff --git a/pkg/core.py b/pkg/core.py
            diff --git a/tests/test_hidden.py b/tests/test_hidden.py
            diff --git a/site/x.pth b/site/x.pth
            """
        let changed = TamperCheck.changedPaths(inPatch: patch)
        #expect(changed == ["pkg/conftest.py", "pkg/core.py", "tests/test_hidden.py", "site/x.pth"])
        #expect(TamperCheck.suspicious(changed: changed, hiddenTestPaths: ["tests/test_hidden.py"])
                == ["pkg/conftest.py", "tests/test_hidden.py", "site/x.pth"])
    }
}
