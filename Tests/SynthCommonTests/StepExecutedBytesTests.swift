import Foundation
import Testing
@testable import SynthCommon
import SynthTesting

/// The collector's byte-level reader of StepExecuted envelopes and writer of transitions must
/// give what JSONDecoder / JSONEncoder give, and leave to them whatever they would treat
/// differently.
@Suite("StepExecuted read and Transition written from bytes")
struct StepExecutedBytesTests {
    /// The Codable path the collector used (and still uses when the reader declines).
    static func codable(_ bytes: [UInt8]) throws -> StepExecuted {
        try SynthJSON.decode(EventEnvelope<StepExecuted>.self, from: bytes).payload
    }

    static func envelope(_ step: StepExecuted) throws -> [UInt8] {
        try SynthJSON.encode(EventEnvelope(type: StepExecuted.eventType, source: "test", payload: step))
    }

    @Test func readsGeneratedEventsAsJSONDecoderDoes() throws {
        var generator = TransitionGenerator(seed: 42)
        for _ in 0..<300 {
            let step = generator.step()
            let bytes = try Self.envelope(step)
            let direct = try #require(StepExecuted(envelopeBytes: bytes), "declined \(String(decoding: bytes, as: UTF8.self))")
            let decoded = try Self.codable(bytes)
            #expect(direct == decoded)
            #expect(try SynthJSON.encode(direct) == (try SynthJSON.encode(decoded)))
        }
    }

    /// The one-pass read the collector's consumer uses gives the header the header reader gives,
    /// on generated and on corrupted envelopes, and declines other event types.
    @Test func readsTheHeaderWithThePayloadAsTheHeaderReaderDoes() throws {
        var generator = TransitionGenerator(seed: 5)
        var read = 0
        for _ in 0..<60 {
            let bytes = try Self.envelope(generator.step())
            for round in 0..<20 {
                var mutated = bytes
                if round > 0 {
                    let index = Int.random(in: 0..<mutated.count, using: &generator.random)
                    mutated[index] = Array(#"{}[]":,\ 0a"#.utf8).randomElement(using: &generator.random)!
                }
                guard let both = StepExecuted.envelope(bytes: mutated) else { continue }
                read += 1
                let header = try #require(EventHeader(envelopeBytes: mutated), "\(String(decoding: mutated, as: UTF8.self))")
                #expect(EventHeaderBytesTests.same(both.header, header))
                #expect(both.step == (try Self.codable(mutated)))
            }
        }
        #expect(read > 60)
        let other = try SynthJSON.encode(EventEnvelope(type: "TaskQueued", source: "test", payload: generator.step()))
        #expect(StepExecuted.envelope(bytes: other) == nil)
        #expect(EventHeader(envelopeBytes: other)?.type == "TaskQueued")
    }

    /// Written by other producers (the e2e tests' Python): whitespace, escapes, explicit nulls,
    /// unknown members, numbers in other spellings.
    static let handWritten: [String] = [
        #"""
        { "event_id" : "e1", "type":"StepExecuted", "schema_version":1, "occurred_at":"2026-11-28T10:00:00.000Z", "source":"py",
          "payload": {"task_id": "t\u00e9", "trajectory_id": "tr/1", "extra": [1, {"x": null}],
            "transition": {"timestamp": "2026-11-28T10:00:01.250Z", "step_number": 3,
              "state": {"files": {"caf\u00e9.py": {"sha256": "ab", "size": 0}, "a/b": {"size": 12, "sha256": "cd"}},
                        "working_directory": "/workspace", "environment_variables": {"K": "v\"q\\", "\u65e5": "\ud83d\ude80"},
                        "process_state": {"last_exit_code": null}, "custom_state": null, "changed_files": null, "diff": null},
              "action": {"action_type": "tool_call", "content": "{\"path\": \"calc.py\"}", "tool_name": "edit",
                         "tool_args": {"path": "calc.py", "line": 2, "nested": [true, false, null, -0.5, 1e3, "x"]}, "reasoning": null},
              "observation": {"content": "ok \u2713\n\ttab \u0001", "exit_code": 0, "truncated": false, "error": null},
              "reward": 0.0, "done": false,
              "info": {"duration_ms": 101, "prompt_tokens": 51, "completion_tokens": 6, "llm_latency_ms": null, "llm_call_id": null},
              "messages": [{"role": "assistant", "content": null,
                            "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "edit", "arguments": "{}"}}]},
                           {"role": "tool", "content": "ok", "tool_call_id": "c1", "name": "edit"}]}}}
        """#,
        #"{"payload":{"transition":{"action":{"action_type":"finish","content":""},"done":true,"info":{"duration_ms":-0},"messages":[],"observation":{"content":"","truncated":true},"reward":-0,"state":{"environment_variables":{},"files":{},"process_state":{},"working_directory":""},"step_number":0,"timestamp":"2026-11-28T10:00:01Z"},"task_id":"","trajectory_id":""},"event_id":"e","occurred_at":"2026-11-28T10:00:00.000Z","schema_version":1,"source":"s","type":"StepExecuted"}"#,
        #"{"payload":{"transition":{"action":{"action_type":"message","content":"m","tool_args":[]},"done":false,"info":{"duration_ms":5,"exit_code":2,"tool_duration_ms":3},"messages":[{"role":"user"}],"observation":{"content":"","truncated":false,"exit_code":-1},"reward":12345678901234567890,"state":{"environment_variables":{},"files":{},"process_state":{"last_exit_code":127},"working_directory":"/","custom_state":{"k":[{}]},"changed_files":["a","b"],"diff":"--- a\n+++ b"},"step_number":999999999999999999,"timestamp":"2026-11-28T10:00:01.500Z"},"task_id":"t","trajectory_id":"r"},"event_id":"e","occurred_at":"2026-11-28T10:00:00.000Z","schema_version":1,"source":"s","type":"StepExecuted"}"#,
        #"{"payload":{"transition":{"action":{"action_type":"message","content":"m"},"done":false,"info":{"duration_ms":5},"messages":[],"observation":{"content":"","truncated":false},"reward":2.5E-3,"state":{"environment_variables":{},"files":{},"process_state":{},"working_directory":"/"},"step_number":1,"timestamp":"2026-11-28T10:00:01+01:00"},"task_id":"t","trajectory_id":"r"},"event_id":"e","occurred_at":"2026-11-28T10:00:00.000Z","schema_version":1,"source":"s","type":"StepExecuted"}"#,
    ]

    @Test(arguments: handWritten)
    func readsHandWrittenEventsAsJSONDecoderDoes(text: String) throws {
        let bytes = Array(text.utf8)
        let direct = try #require(StepExecuted(envelopeBytes: bytes))
        let decoded = try Self.codable(bytes)
        #expect(direct == decoded)
        #expect(try SynthJSON.encode(direct) == (try SynthJSON.encode(decoded)))
    }

    /// Inputs the reader leaves to JSONDecoder: it accepts some (escaped keys, 1.0 as an Int ...)
    /// and refuses others, and the collector must see exactly its verdict.
    static let declined: [String] = [
        header + #"{"task_id":"t","trajectory\u005fid":"r","transition":"# + transitionText + "}}",
        header + #"{"task_id":"t","task_id":"u","trajectory_id":"r","transition":"# + transitionText + "}}",
        header + #"{"task_id":"t","trajectory_id":"r","transition":"# + transitionText.replacingOccurrences(of: #""step_number":1"#, with: #""step_number":1.0"#) + "}}",
        header + #"{"task_id":"t","trajectory_id":"r","transition":"# + transitionText.replacingOccurrences(of: #""step_number":1"#, with: #""step_number":1e0"#) + "}}",
        header + #"{"task_id":"t","trajectory_id":"r","transition":"# + transitionText.replacingOccurrences(of: #""done":false"#, with: #""done":0"#) + "}}",
        header + #"{"task_id":"t","trajectory_id":"r","transition":"# + transitionText.replacingOccurrences(of: #""action_type":"message""#, with: #""action_type":"dance""#) + "}}",
        header + #"{"task_id":"t","trajectory_id":"r","transition":"# + transitionText.replacingOccurrences(of: #","working_directory":"/""#, with: "") + "}}",
        header + #"{"task_id":"t","trajectory_id":"r","transition":"# + transitionText.replacingOccurrences(of: #""timestamp":"2026-11-28T10:00:01Z""#, with: #""timestamp":"yesterday""#) + "}}",
        header + #"{"task_id":"t","trajectory_id":"r","transition":"# + transitionText.replacingOccurrences(of: #""files":{}"#, with: #""files":{"a":{"sha256":"x","size":1},"a":{"sha256":"y","size":2}}"#) + "}}",
        header + #"{"task_id":"t","trajectory_id":"r","transition":"# + transitionText + ",}}",
        header + #"{"task_id":"t","trajectory_id":null,"transition":"# + transitionText + "}}",
        header + #"{"task_id":"t","trajectory_id":"r","transition":"# + transitionText + "}} x",
        header + #"{"task_id":"t","trajectory_id":"r"}}"#,
    ]
    static let header = #"{"event_id":"e","type":"StepExecuted","schema_version":1,"occurred_at":"2026-11-28T10:00:00.000Z","source":"s","payload":"#
    static let transitionText = #"{"action":{"action_type":"message","content":"m"},"done":false,"info":{"duration_ms":5},"messages":[],"observation":{"content":"","truncated":false},"reward":1,"state":{"environment_variables":{},"files":{},"process_state":{},"working_directory":"/"},"step_number":1,"timestamp":"2026-11-28T10:00:01Z"}"#

    @Test func takesThePlainFormOfTheDeclinedInputs() throws {
        let bytes = Array((Self.header + #"{"task_id":"t","trajectory_id":"r","transition":"# + Self.transitionText + "}}").utf8)
        #expect(try #require(StepExecuted(envelopeBytes: bytes)) == (try Self.codable(bytes)))
    }

    @Test(arguments: declined)
    func leavesUnusualInputToJSONDecoder(text: String) {
        #expect(StepExecuted(envelopeBytes: Array(text.utf8)) == nil)
    }

    /// Every event the reader takes, JSONDecoder takes with the same result: checked on random
    /// corruptions of generated events (bytes dropped, replaced, inserted).
    @Test func neverAcceptsWhatJSONDecoderRefusesOrReadsDifferently() throws {
        var generator = TransitionGenerator(seed: 7)
        let alphabet = Array(#"{}[]":,\ 0123456789.-+eEtrufalsn/u"#.utf8) + [0x00, 0x0A, 0xC3, 0xA9, 0xFF]
        var accepted = 0
        for _ in 0..<60 {
            let bytes = try Self.envelope(generator.step())
            for _ in 0..<40 {
                var mutated = bytes
                for _ in 0..<Int.random(in: 1...3, using: &generator.random) {
                    let index = Int.random(in: 0..<mutated.count, using: &generator.random)
                    switch Int.random(in: 0..<3, using: &generator.random) {
                    case 0: mutated.remove(at: index)
                    case 1: mutated[index] = alphabet.randomElement(using: &generator.random)!
                    default: mutated.insert(alphabet.randomElement(using: &generator.random)!, at: index)
                    }
                }
                guard let direct = StepExecuted(envelopeBytes: mutated) else { continue }
                accepted += 1
                let decoded = try #require(try? Self.codable(mutated), "accepted what JSONDecoder refuses: \(String(decoding: mutated, as: UTF8.self))")
                #expect(direct == decoded, "\(String(decoding: mutated, as: UTF8.self))")
                #expect(try SynthJSON.encode(direct) == (try SynthJSON.encode(decoded)))
            }
        }
        // Many corruptions land in string contents and stay valid: the comparison above ran.
        #expect(accepted > 100)
    }

    @Test func writesTransitionsAsJSONEncoderDoes() throws {
        var generator = TransitionGenerator(seed: 3)
        for _ in 0..<300 {
            let transition = generator.transition()
            var written: [UInt8] = []
            #expect(transition.writeJSON(to: &written))
            let encoded = try SynthJSON.encode(transition)
            #expect(try JSONValue(parsing: written) == (try JSONValue(parsing: encoded)))
            #expect(written == encoded, "\(String(decoding: written, as: UTF8.self))\n\(String(decoding: encoded, as: UTF8.self))")
        }
    }

    @Test func declinesNumbersJSONEncoderRefuses() {
        var generator = TransitionGenerator(seed: 5)
        var transition = generator.transition()
        var out: [UInt8] = []
        transition.reward = .nan
        #expect(!transition.writeJSON(to: &out))
        transition.reward = 1
        transition.action.toolArgs = .array([.number(.infinity)])
        #expect(!transition.writeJSON(to: &out))
    }
}

/// Random transitions with what real ones carry and what breaks naive JSON code: unicode in
/// every script and plane, quotes, backslashes, control characters, nils and empty collections,
/// large observations, nested tool arguments.
struct TransitionGenerator {
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    static let fragments = ["ok", "✓", "日本語", "🚀", "ünïcödé", "\"quoted\"", "back\\slash", "line\nbreak", "tab\t",
                            "\u{01}\u{1f}", "/slash/", "</script>", "\u{2028}", "é", "", " ", "{\"json\": [1]}", "\u{7f}"]

    mutating func text(maximum: Int = 6) -> String {
        (0..<Int.random(in: 0...maximum, using: &random)).map { _ in Self.fragments.randomElement(using: &random)! }.joined()
    }

    mutating func maybe<T>(_ make: (inout Self) -> T) -> T? {
        Bool.random(using: &random) ? make(&self) : nil
    }

    mutating func integer() -> Int {
        [0, 1, -1, 127, Int.random(in: -1_000_000...1_000_000, using: &random), 999_999_999_999].randomElement(using: &random)!
    }

    mutating func double() -> Double {
        [0, 1, -1, 0.5, 0.1, 1e-5, 123456.789, 1e20, -2.5e-8, Double.random(in: -10...10, using: &random)].randomElement(using: &random)!
    }

    mutating func json(depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth > 2 ? 4 : 6), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(Bool.random(using: &random) ? Double(integer()) : double())
        case 3: return .string(text())
        case 4: return .array((0..<Int.random(in: 0...3, using: &random)).map { _ in json(depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...3, using: &random) { members[text(maximum: 2)] = json(depth: depth + 1) }
            return .object(members)
        }
    }

    mutating func message() -> ChatMessage {
        ChatMessage(role: ["assistant", "tool", "user"].randomElement(using: &random)!, content: maybe { $0.text() },
                    toolCalls: maybe { generator in
                        (0..<Int.random(in: 0...2, using: &generator.random)).map { _ in
                            ToolCall(id: "call_" + generator.text(maximum: 2), name: generator.text(maximum: 2), arguments: generator.text())
                        }
                    },
                    toolCallID: maybe { $0.text(maximum: 2) }, name: maybe { $0.text(maximum: 2) })
    }

    mutating func transition() -> Transition {
        var files: [String: FileState] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            files["src/" + text(maximum: 2) + ".py"] = FileState(sha256: String(repeating: "ab", count: 32), size: integer())
        }
        var environment: [String: String] = [:]
        for _ in 0..<Int.random(in: 0...2, using: &random) { environment[text(maximum: 2)] = text() }
        let large = Int.random(in: 0..<8, using: &random) == 0 ? String(repeating: "ß✓ line\n", count: 2_000) : ""
        let state = State(files: files, workingDirectory: "/workspace/" + text(maximum: 1), environmentVariables: environment,
                          processState: ProcessState(lastExitCode: maybe { $0.integer() }), customState: maybe { $0.json() },
                          changedFiles: maybe { g in (0..<Int.random(in: 0...2, using: &g.random)).map { _ in g.text(maximum: 2) } },
                          diff: maybe { $0.text() })
        let action = Action(actionType: [.toolCall, .message, .finish].randomElement(using: &random)!, content: text(),
                            toolName: maybe { $0.text(maximum: 1) }, toolArgs: maybe { $0.json() }, reasoning: maybe { $0.text() })
        let observation = Observation(content: text() + large, exitCode: maybe { $0.integer() }, truncated: Bool.random(using: &random),
                                      error: maybe { $0.text() })
        let info = TransitionInfo(durationMS: integer(), llmLatencyMS: maybe { $0.integer() }, llmCallID: maybe { $0.text(maximum: 2) },
                                  promptTokens: maybe { $0.integer() }, completionTokens: maybe { $0.integer() },
                                  toolDurationMS: maybe { $0.integer() }, exitCode: maybe { $0.integer() })
        // Milliseconds, as the wire carries them, and the Date the wire's text reads back as.
        let instant = Date(timeIntervalSince1970: Double(Int.random(in: 1_600_000_000_000...1_900_000_000_000, using: &random)) / 1000)
        let timestamp = SynthJSON.parseTimestamp(SynthJSON.formatTimestamp(instant))!
        return Transition(timestamp: timestamp, stepNumber: Int.random(in: 0...500, using: &random), state: state, action: action,
                          observation: observation, reward: double(), done: Bool.random(using: &random), info: info,
                          messages: (0..<Int.random(in: 0...3, using: &random)).map { _ in message() })
    }

    mutating func step() -> StepExecuted {
        StepExecuted(taskID: "task-" + text(maximum: 1), trajectoryID: "traj-" + text(maximum: 1), transition: transition())
    }
}

