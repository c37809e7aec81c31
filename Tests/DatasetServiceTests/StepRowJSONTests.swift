import Foundation
import Testing
import SynthCommon
@testable import synth_collector

/// The steps' rows are written by hand for `jsonb_to_recordset`; they must be the JSON
/// JSONEncoder gives for the same rows (the rows stored before), in the same sorted order.
@Suite struct StepRowJSONTests {
    static var steps: [StepExecuted] {
        var rich = StepCallJoinTests.step(7, toolCallIDs: ["call-1", "call-2"], content: "日本語 \"q\" \\ \n\t\u{01} 🚀", exitCode: nil)
        rich.state = State(files: ["src/ü.py": FileState(sha256: String(repeating: "0f", count: 32), size: 12), "a": FileState(sha256: "", size: 0)],
                           workingDirectory: "/workspace", environmentVariables: ["PATH": "/bin", "É": "ß"],
                           processState: ProcessState(lastExitCode: 2), customState: .object(["k": .array([.null, .bool(true), .number(-0.5)])]),
                           changedFiles: ["src/ü.py"], diff: "--- a\n+++ b\n")
        rich.action.toolArgs = .object(["path": .string("a/b"), "n": .number(3)])
        rich.action.reasoning = "why"
        rich.observation = Observation(content: String(repeating: "ok ✓\n", count: 5_000), exitCode: 0, truncated: true, error: "e")
        rich.info = TransitionInfo(durationMS: 5, llmLatencyMS: 4, llmCallID: "c", promptTokens: 10, completionTokens: 2,
                                   toolDurationMS: 1, exitCode: 0)
        rich.reward = 0.1
        rich.timestamp = Date(timeIntervalSince1970: 1_764_000_000.123)
        return [
            StepExecuted(taskID: "t", trajectoryID: "traj-b", transition: StepCallJoinTests.step(2, toolCallIDs: [])),
            StepExecuted(taskID: "t", trajectoryID: "traj-a", transition: rich),
            StepExecuted(taskID: "t", trajectoryID: "traj-b", transition: StepCallJoinTests.step(1, toolCallIDs: ["x"], content: nil)),
        ]
    }

    @Test func rowsAreWhatJSONEncoderWrites() async throws {
        let written = try await EncodedRows.steps(Self.steps)
        let rows = Self.steps.map { StepRow(trajectoryID: $0.trajectoryID, stepNumber: $0.transition.stepNumber, transition: $0.transition) }
            .sorted { ($0.trajectoryID, $0.stepNumber) < ($1.trajectoryID, $1.stepNumber) }
        let encoded = try await EncodedRows(rows)
        #expect(written.count == 3)
        #expect(try JSONValue(parsing: Array(written.json.utf8)) == (try JSONValue(parsing: Array(encoded.json.utf8))))
        #expect(written.json == encoded.json)
    }

    @Test func rowsSplitAcrossChunksJoinIntoOneArray() async throws {
        // More rows than one chunk (256), so they are written in parallel and joined.
        let many = (0..<600).map { StepExecuted(taskID: "t", trajectoryID: "traj-\($0 % 7)", transition: StepCallJoinTests.step($0, toolCallIDs: ["c\($0)"])) }
        let written = try await EncodedRows.steps(many)
        guard case .array(let items) = try JSONValue(parsing: Array(written.json.utf8)) else {
            Issue.record("not an array")
            return
        }
        #expect(items.count == 600)
        #expect(items.map { $0["trajectory_id"]?.stringValue ?? "" } == many.map(\.trajectoryID).sorted())
    }
}
