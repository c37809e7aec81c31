import Foundation
import Testing
@testable import SynthCommon

/// The direct reader and writer must agree with JSONDecoder / JSONEncoder,
/// which the rest of the suite uses for the same values.
@Suite("JSONValue read and written from bytes")
struct JSONValueBytesTests {
    static let documents = [
        #"{"model":"gpt","messages":[{"role":"user","content":"What is 6 times 7?"}],"max_tokens":16,"stream":false}"#,
        #"[1, -2, 3.5, -0.25, 1e3, 2E-2, 12345678901234567890, 0, true, false, null, "", {}, []]"#,
        #"  {"a" : {"b" : [ {"c" : "d"} ]}, "e\u00e9\"\\\/\b\f\n\r\t" : "\ud83d\ude00 x\u0001"}  "#,
        #""caf\u00e9 é 😀""#,
        #"{"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"x\": 1}"}}],"temperature":0.7}"#,
    ]

    @Test(arguments: documents)
    func readsWhatJSONDecoderReads(text: String) throws {
        let bytes = Array(text.utf8)
        let direct = try JSONValue(parsing: bytes)
        #expect(direct == (try SynthJSON.decode(JSONValue.self, from: bytes)))
    }

    @Test(arguments: documents)
    func writesWhatReadsBackTheSame(text: String) throws {
        let value = try JSONValue(parsing: Array(text.utf8))
        let written = value.serializedBytes
        #expect(try JSONValue(parsing: written) == value)
        #expect(try SynthJSON.decode(JSONValue.self, from: written) == value)
    }

    @Test func writesLikeSynthJSONForPlainValues() throws {
        let value = try JSONValue(parsing: Array(#"{"b":[1,2.5,"x/y"],"a":{"d":null,"c":true},"n":-3}"#.utf8))
        #expect(value.serializedBytes == (try SynthJSON.encode(value)))
    }

    static let malformed = [
        "", " ", "{", "}", "[,]", "{,}", "[1,,]", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul",
        "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"a\u{01}b\"", "[1] 2", "NaN", "1e999",
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
    ]

    @Test(arguments: malformed)
    func rejectsWhatJSONDecoderRejects(text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: Array(text.utf8)) }
        #expect(throws: (any Error).self) { try SynthJSON.decode(JSONValue.self, from: Array(text.utf8)) }
    }

    @Test func acceptsATrailingCommaAsJSONDecoderDoes() throws {
        for text in ["[1,]", #"{"a":1,}"#, #"{"a":[1, 2 , ] , }"#] {
            #expect(try JSONValue(parsing: Array(text.utf8)) == (try SynthJSON.decode(JSONValue.self, from: Array(text.utf8))))
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0xFE, 0x22]) }
    }

    @Test func saysWhereTheProblemIs() {
        do throws(JSONValue.ParseError) {
            _ = try JSONValue(parsing: Array(#"{"a": [1, 2,, 3]}"#.utf8))
            Issue.record("a doubled comma was accepted")
        } catch {
            #expect(error.offset == 12)
        }
    }
}

/// The router's call record is written without JSONEncoder; consumers decode
/// it with JSONDecoder, so the bytes must be exactly what Codable writes.
@Suite("LLMCallRecorded written from its JSON tree")
struct LLMCallRecordedBytesTests {
    static func minimal() -> LLMCallRecorded {
        LLMCallRecorded(callID: "c-1", taskID: nil, trajectoryID: nil, experiment: nil, model: "m", provider: "openai",
                        status: 502, promptTokens: 0, completionTokens: 0, costDollars: 0, latencyMS: 0.25,
                        request: .object(["model": .string("m")]), response: nil, error: "the upstream said \"no\"\n")
    }

    static func full() throws -> LLMCallRecorded {
        var call = LLMCallRecorded(
            callID: "c-2", taskID: "t/1", trajectoryID: "traj-é", experiment: "exp", model: "gpt-4o", provider: "openai",
            status: 200, promptTokens: 20, completionTokens: 6, costDollars: 0.000_012_345_6, latencyMS: 21.123_456_789,
            request: try JSONValue(parsing: Array(#"{"model":"gpt","messages":[{"role":"user","content":"6 × 7?\t"}],"temperature":0.7,"max_tokens":16}"#.utf8)),
            response: try JSONValue(parsing: Array(#"{"choices":[{"index":0,"message":{"content":"42 😀","role":"assistant"}}],"usage":{"prompt_tokens":20}}"#.utf8)),
            error: nil)
        call.requestedModel = "route"
        call.upstreamModel = "gpt-4o-2024"
        call.routingStrategy = "round_robin"
        call.variant = "b"
        call.stream = true
        call.cachedTokens = 3
        call.cacheCreationTokens = 1
        call.reasoningTokens = 0
        call.finishReason = "stop"
        call.retries = 1
        call.fallbacks = 2
        call.attempts = .array([.object(["model": .string("a"), "status": .null, "latency_ms": .number(1.5e-5)])])
        call.promptTokenIDs = [1, 2, 3]
        call.completionTokenIDs = [4]
        call.logprobs = .object(["content": .array([.object(["token": .string("4"), "logprob": .number(-0.0001)])])])
        call.overheadMS = 0.173
        call.firstTokenMS = 1234.5
        call.apiKeyHash = "abc123"
        return call
    }

    @Test func writesWhatCodableWrites() throws {
        for call in [Self.minimal(), try Self.full()] {
            #expect(call.jsonValue.serializedBytes == (try SynthJSON.encode(call)))
            let envelope = EventEnvelope(type: LLMCallRecorded.eventType, source: "llm-router", payload: call)
            let direct = try #require(envelope.serializedBytes)
            #expect(String(decoding: direct, as: UTF8.self) == String(decoding: try SynthJSON.encode(envelope), as: UTF8.self))
        }
    }

    @Test func otherPayloadsKeepJSONEncoder() {
        #expect(EventEnvelope(type: TaskCancelled.eventType, source: "api", payload: TaskCancelled(taskID: "t-1")).serializedBytes == nil)
    }
}
