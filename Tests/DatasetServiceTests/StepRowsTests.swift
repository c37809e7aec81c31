import Foundation
import Testing
import SynthCommon
import SynthPostgres
@testable import synth_collector

/// The steps' rows go to Postgres as three binary arrays, transitions written by hand: each
/// element must be what it was before the arrays (the trajectory id, the step number, and the
/// JSON JSONEncoder gives for the transition), in the rows' sorted order.
@Suite struct StepRowsTests {
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

    /// The elements of a one-dimensional binary array (header: dimensions, flags, element type,
    /// length, lower bound), as Postgres' array_recv reads them.
    static func elements(_ array: PostgresBinaryArray, type: Int32) throws -> [[UInt8]] {
        let bytes = array.bytes
        func int32(_ at: Int) -> Int { Int(Int32(bigEndian: bytes[at..<at + 4].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) })) }
        #expect(int32(0) == 1 && int32(4) == 0 && int32(8) == Int(type) && int32(16) == 1)
        var elements: [[UInt8]] = [], at = 20
        while at < bytes.count {
            let length = int32(at)
            elements.append(Array(bytes[(at + 4)..<(at + 4 + length)]))
            at += 4 + length
        }
        #expect(elements.count == int32(12))
        return elements
    }

    @Test func rowsAreTheKeysAndWhatJSONEncoderWrites() async throws {
        let rows = try await StepRows(Self.steps)
        let sorted = Self.steps.sorted { ($0.trajectoryID, $0.transition.stepNumber) < ($1.trajectoryID, $1.transition.stepNumber) }
        #expect(rows.count == 3)
        #expect(try Self.elements(rows.trajectoryIDs, type: 25) == sorted.map { Array($0.trajectoryID.utf8) })
        #expect(try Self.elements(rows.stepNumbers, type: 23)
                == sorted.map { step in withUnsafeBytes(of: Int32(step.transition.stepNumber).bigEndian) { Array($0) } })
        // json's binary input is the text itself.
        #expect(try Self.elements(rows.transitions, type: 114) == sorted.map { try SynthJSON.encode($0.transition) })
    }

    @Test func rowsSplitAcrossChunksJoinInOrder() async throws {
        // More rows than one chunk (256), so they are written in parallel and joined.
        let many = (0..<600).map { StepExecuted(taskID: "t", trajectoryID: "traj-\($0 % 7)", transition: StepCallJoinTests.step($0, toolCallIDs: ["c\($0)"])) }
        let rows = try await StepRows(many)
        let ids = try Self.elements(rows.trajectoryIDs, type: 25).map { String(decoding: $0, as: UTF8.self) }
        #expect(ids == many.map(\.trajectoryID).sorted())
        let sorted = many.sorted { ($0.trajectoryID, $0.transition.stepNumber) < ($1.trajectoryID, $1.transition.stepNumber) }
        #expect(try Self.elements(rows.transitions, type: 114) == sorted.map { try SynthJSON.encode($0.transition) })
    }

    @Test func callRowsAreJSONBOfJSONEncodersArray() async throws {
        let call = BatchWriteIdempotencyTests.call("c-1", trajectoryID: "traj", toolCallIDs: ["x"], content: "ü", tokens: [1])
        let rows = try await EncodedRows.calls([(call, Date(timeIntervalSince1970: 1_790_000_000.125))])
        #expect(rows.jsonb.first == 1)
        #expect(Array(rows.json) == (try SynthJSON.encode([CallRow(call, occurredAt: Date(timeIntervalSince1970: 1_790_000_000.125))])))
    }
}
