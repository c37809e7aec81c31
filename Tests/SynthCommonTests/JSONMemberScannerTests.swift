import Foundation
import Testing
import SynthCommon

/// The scheduler passes a task's JSON from its TaskSubmitted event to the
/// queue as is: the slice must be exactly the task, whatever the strings in
/// it hold, and anything odd must yield nil (the scheduler then encodes).
@Suite("JSON member scanner")
struct JSONMemberScannerTests {
    @Test func slicesTheTaskOutOfATaskSubmittedEvent() throws {
        var task = TaskDefinition(id: "t-1", instruction: "quote \" brace } bracket ] \\ done", category: "bugfix", difficulty: .hard,
                                  dockerImage: "img", initialFiles: ["a{b}.py": "x = [1, {\"k\": 2}]\n"],
                                  verificationTests: [TestSpec(name: "t", command: "true")])
        task.tags = ["ü", "名前"]
        let envelope = EventEnvelope(type: TaskSubmitted.eventType, source: "api", payload: TaskSubmitted(task: task))
        let bytes = try SynthJSON.encode(envelope)
        let slice = try #require(JSONMemberScanner.value(at: ["payload", "task"], in: bytes))
        #expect(Array(slice) == (try SynthJSON.encode(task)))
        #expect(try SynthJSON.decode(TaskDefinition.self, from: Array(slice)).instruction == task.instruction)
        #expect(JSONMemberScanner.hasMembers(["id", "created_at"], in: slice))
        #expect(!JSONMemberScanner.hasMembers(["id", "nope"], in: slice))
    }

    @Test func readsValuesOfEveryKindWithWhitespace() {
        let text = Array(#" { "a" : 1.5e3 , "b":[1,[2,{"c":"]"}]], "c" : { "d" : "x\"}" } , "e": null }"#.utf8)
        #expect(JSONMemberScanner.value(at: ["a"], in: text).map { String(decoding: $0, as: UTF8.self) } == "1.5e3")
        #expect(JSONMemberScanner.value(at: ["b"], in: text).map { String(decoding: $0, as: UTF8.self) } == #"[1,[2,{"c":"]"}]]"#)
        #expect(JSONMemberScanner.value(at: ["c", "d"], in: text).map { String(decoding: $0, as: UTF8.self) } == #""x\"}""#)
        #expect(JSONMemberScanner.value(at: ["e"], in: text).map { String(decoding: $0, as: UTF8.self) } == "null")
        #expect(JSONMemberScanner.value(at: ["f"], in: text) == nil)
        #expect(JSONMemberScanner.value(at: ["a", "x"], in: text) == nil, "a number has no members")
    }

    @Test func malformedInputYieldsNil() {
        for text in [#"{"a": "unterminated}"#, #"{"a" 1}"#, #"{"a": [1, 2}"#, "[1]", "", #"{"a": 1 "b": 2}"#] {
            #expect(JSONMemberScanner.value(at: ["b"], in: Array(text.utf8)) == nil, "\(text)")
        }
    }
}
