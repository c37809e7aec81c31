import Foundation
import Testing
import SynthCommon
@testable import synth_collector

@Suite struct StepCallJoinTests {
    static func step(_ number: Int, toolCallIDs: [String], content: String? = nil, exitCode: Int? = 0) -> Transition {
        let assistant = ChatMessage(role: "assistant", content: content,
                                    toolCalls: toolCallIDs.isEmpty ? nil : toolCallIDs.map { ToolCall(id: $0, name: "bash", arguments: "{}") })
        return Transition(timestamp: Date(timeIntervalSince1970: 0), stepNumber: number,
                          state: State(files: [:], workingDirectory: "/", processState: ProcessState(lastExitCode: nil)),
                          action: Action(actionType: toolCallIDs.isEmpty ? .finish : .toolCall, content: content ?? "x",
                                         toolName: toolCallIDs.isEmpty ? nil : "bash"),
                          observation: Observation(content: "", exitCode: exitCode), reward: 0, done: toolCallIDs.isEmpty,
                          info: TransitionInfo(durationMS: 1), messages: [assistant])
    }

    @Test func joinsByToolCallIDThenByTextIgnoringFailedCalls() {
        let steps = [Self.step(1, toolCallIDs: ["a"]), Self.step(2, toolCallIDs: ["b"]), Self.step(3, toolCallIDs: [], content: "done")]
        let calls = [
            RecordedCall(callID: "failed", status: 502, toolCallIDs: ["b"], content: nil, costDollars: 0),
            RecordedCall(callID: "final", status: 200, toolCallIDs: [], content: "done", costDollars: 0),
            RecordedCall(callID: "second", status: 200, toolCallIDs: ["b"], content: nil, costDollars: 0),
            RecordedCall(callID: "first", status: 200, toolCallIDs: ["a"], content: nil, costDollars: 0),
        ]
        #expect(StepCallJoin.join(steps: steps, calls: calls) == ["first", "second", "final"])
        // Order of arrival does not matter.
        #expect(StepCallJoin.join(steps: steps, calls: calls.reversed()) == ["first", "second", "final"])
    }

    @Test func oneReplyWithTwoToolCallsJoinsOnlyItsFirstStep() {
        let steps = [Self.step(1, toolCallIDs: ["a", "b"]), Self.step(2, toolCallIDs: ["a", "b"])]
        let calls = [RecordedCall(callID: "c", status: 200, toolCallIDs: ["a", "b"], content: nil, costDollars: 0)]
        #expect(StepCallJoin.join(steps: steps, calls: calls) == ["c", nil])
    }

    @Test func missingCallLeavesTheStepUnjoined() {
        #expect(StepCallJoin.join(steps: [Self.step(1, toolCallIDs: ["z"])], calls: []) == [nil])
    }

    @Test func qualityAndDiversityFollowTheDocumentedFormulas() {
        let steps = [Self.step(1, toolCallIDs: ["a"], exitCode: 1), Self.step(2, toolCallIDs: [], content: "done")]
        #expect(TrajectoryScores.quality(reward: 0.5, verificationPassed: true, steps: steps) == 0.6 * 0.5 + 0.2 + 0.2 * 0.5)
        #expect(TrajectoryScores.quality(reward: 1, verificationPassed: false, steps: []) == 0.8)
        let shingles = Set(TrajectoryScores.shingles(steps))
        #expect(shingles.count == 3, "two signatures and one pair")
        #expect(TrajectoryScores.diversity(of: ("t1", shingles), among: [("t1", shingles)]) == 1, "retries of one task are not peers")
        #expect(TrajectoryScores.diversity(of: ("t1", shingles), among: [("t1", shingles), ("t2", shingles)]) == 0)
        let other = Set(["x"]).union(shingles.prefix(1))
        #expect(TrajectoryScores.diversity(of: ("t1", shingles), among: [("t2", other)]) == 1 - 1.0 / 4.0)
    }
}
