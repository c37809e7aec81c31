import Foundation
import Testing
@testable import SynthCommon

@Suite("Event envelope and results on the wire")
struct EventJSONTests {
    @Test func envelopeCarriesTheDocumentedFields() throws {
        let envelope = EventEnvelope(type: TaskCancelled.eventType, source: "api", payload: TaskCancelled(taskID: "t-1"))
        let bytes = try SynthJSON.encode(envelope)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(Set(object.keys) == ["event_id", "type", "schema_version", "occurred_at", "source", "payload"])
        #expect((object["payload"] as? [String: Any])?["task_id"] as? String == "t-1")
        let header = try SynthJSON.decode(EventHeader.self, from: bytes)
        #expect(header.type == "TaskCancelled")
        #expect(header.eventID == envelope.eventID)
    }

    @Test func eventsAreKeyedSoATrajectoryStaysInOnePartition() {
        let transition = Transition(timestamp: Date(), stepNumber: 1,
                                    state: State(files: [:], workingDirectory: "/workspace", processState: ProcessState(lastExitCode: 0)),
                                    action: Action(actionType: .toolCall, content: "{}"), observation: Observation(content: ""),
                                    reward: 0, done: false, info: TransitionInfo(durationMS: 1), messages: [])
        #expect(StepExecuted(taskID: "task", trajectoryID: "traj", transition: transition).partitionKey == "traj")
        #expect(StepExecuted.topic == .steps)
        #expect(TaskCancelled(taskID: "task").partitionKey == "task")
        #expect(TaskCompleted.topic == .tasks)
    }

    @Test(arguments: [
        (TaskResult.success(reward: 1), #"{"reward":1,"type":"success"}"#),
        (TaskResult.partialSuccess(reward: 0.4, missing: ["hidden"]), #"{"missing":["hidden"],"reward":0.4,"type":"partial_success"}"#),
        (TaskResult.failure(reason: "tests failed"), #"{"reason":"tests failed","type":"failure"}"#),
        (TaskResult.timeout, #"{"type":"timeout"}"#),
        (TaskResult.error("boom"), #"{"error":"boom","type":"error"}"#),
    ])
    func taskResultWireFormat(result: TaskResult, json: String) throws {
        #expect(String(decoding: try SynthJSON.encode(result), as: UTF8.self) == json)
        #expect(try SynthJSON.decode(TaskResult.self, from: Array(json.utf8)) == result)
    }

    @Test func unknownResultTypeIsRejected() {
        #expect(throws: DecodingError.self) { try SynthJSON.decode(TaskResult.self, from: Array(#"{"type":"maybe"}"#.utf8)) }
    }

    @Test func chatMessagesUseOpenAIFieldNames() throws {
        let message = ChatMessage(role: "assistant", content: nil, toolCalls: [ToolCall(id: "c1", name: "bash", arguments: #"{"command":"ls"}"#)])
        let text = String(decoding: try SynthJSON.encode(message), as: UTF8.self)
        #expect(text == #"{"role":"assistant","tool_calls":[{"function":{"arguments":"{\"command\":\"ls\"}","name":"bash"},"id":"c1","type":"function"}]}"#)
        let tool = try SynthJSON.decode(ChatMessage.self, from: Array(#"{"role":"tool","content":"ok","tool_call_id":"c1"}"#.utf8))
        #expect(tool.toolCallID == "c1")
    }

    @Test func statusesOnlyMoveForward() {
        #expect(TaskStatus.queued.rank > TaskStatus.submitted.rank)
        #expect(TaskStatus.running.rank > TaskStatus.assigned.rank)
        #expect(TaskStatus.allCases.filter(\.isTerminal).allSatisfy { $0.rank == 4 })
    }
}
