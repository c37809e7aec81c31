import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The test cases of a JUnit XML report (what pytest's --junitxml, and most
/// other runners, write), so a verification suite is judged test by test
/// rather than by its exit code alone.
public struct JUnitReport: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable {
        case passed, failed, error, skipped
    }

    public struct TestCase: Sendable, Equatable {
        public var classname: String
        public var name: String
        public var outcome: Outcome
        /// The failure's or error's message, if any.
        public var message: String?

        public init(classname: String, name: String, outcome: Outcome, message: String? = nil) {
            self.classname = classname
            self.name = name
            self.outcome = outcome
            self.message = message
        }

        /// "classname.name", the form `TestID.normalize` maps node ids to.
        public var id: String { classname.isEmpty ? name : classname + "." + name }
    }

    public var cases: [TestCase]

    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    public init(cases: [TestCase]) {
        self.cases = cases
    }

    public init(xml: String) throws {
        let delegate = Delegate()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = delegate
        guard parser.parse() else {
            throw Malformed(description: "not valid JUnit XML: \(parser.parserError.map { "\($0)" } ?? "parse error")")
        }
        cases = delegate.cases
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var cases: [TestCase] = []
        var current: TestCase?

        func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if element == "testcase" {
                current = TestCase(classname: attributes["classname"] ?? "", name: attributes["name"] ?? "", outcome: .passed)
                return
            }
            guard var testCase = current else { return }
            switch element {
            case "failure":
                testCase.outcome = .failed
                testCase.message = attributes["message"]
            case "error":
                // An error in teardown after a failure keeps the failure.
                if testCase.outcome == .passed { testCase.outcome = .error }
                testCase.message = testCase.message ?? attributes["message"]
            case "skipped":
                if testCase.outcome == .passed { testCase.outcome = .skipped }
            default:
                break
            }
            current = testCase
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            if element == "testcase", let current {
                cases.append(current)
                self.current = nil
            }
        }
    }
}
