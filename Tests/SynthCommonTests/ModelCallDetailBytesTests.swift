import Foundation
import SynthTesting
import Testing
@testable import SynthCommon

/// The exporter reads each trajectory's model calls (a JSON array of llm_calls rows) with the
/// byte-level reader and falls back to JSONDecoder when it declines: both paths must agree.
@Suite("Model call details read from bytes")
struct ModelCallDetailBytesTests {
    @Test func readsGeneratedArraysAsJSONDecoderDoes() throws {
        var random = SplitMix64(seed: 17)
        var read = 0
        for round in 0..<200 {
            let text = Self.callsText(count: round % 5, &random)
            let bytes = Array(text.utf8)
            let decoded = try SynthJSON.decode([ModelCallDetail].self, from: bytes)
            let direct = try #require(ModelCallDetail.array(jsonBytes: bytes), "declined \(text)")
            #expect(direct == decoded, "\(text)")
            read += direct.count
        }
        #expect(read > 300)
    }

    /// Corrupted bytes: whatever the reader accepts, JSONDecoder accepts too, with the same result.
    @Test func acceptsOnlyWhatJSONDecoderReadsTheSame() throws {
        var random = SplitMix64(seed: 23)
        let alphabet = Array(#"{}[]":,\ 0-1.eanul"#.utf8)
        var accepted = 0
        for _ in 0..<150 {
            let bytes = Array(Self.callsText(count: 1 + random.below(2), &random).utf8)
            for _ in 0..<20 {
                var mutated = bytes
                mutated[random.below(mutated.count)] = alphabet[random.below(alphabet.count)]
                guard let direct = ModelCallDetail.array(jsonBytes: mutated) else { continue }
                accepted += 1
                let decoded = try #require(try? SynthJSON.decode([ModelCallDetail].self, from: mutated),
                                           "accepted what JSONDecoder refuses: \(String(decoding: mutated, as: UTF8.self))")
                #expect(direct == decoded, "\(String(decoding: mutated, as: UTF8.self))")
            }
        }
        #expect(accepted > 300)
    }

    @Test func keepsOnlyNumericLogprobsOfContent() throws {
        let text = #"""
            [{"call_id": "a", "logprobs": {"content": [{"token": "x", "logprob": -0.25, "top_logprobs": [{"logprob": -9}]},
                                                       {"token": "y"}, {"logprob": "no"}, 3, {"logprob": -1e-3}], "refusal": null}},
             {"call_id": "b", "logprobs": {"content": null}}, {"call_id": "c", "logprobs": [1]}, {"call_id": "d", "logprobs": null},
             {"call_id": "e", "logprobs": {"content": []}}]
            """#
        let calls = try #require(ModelCallDetail.array(jsonBytes: Array(text.utf8)))
        #expect(calls.map(\.completionLogprobs) == [[-0.25, -0.001], nil, nil, nil, []])
        #expect(calls == (try SynthJSON.decode([ModelCallDetail].self, from: Array(text.utf8))))
    }

    /// What the reader declines goes to JSONDecoder, which accepts some of it and refuses the rest.
    @Test(arguments: [
        #"[{"call_id": "a", "call_id": "b"}]"#,
        #"[{"call_id": "a", "prompt_tokens": 5.0}]"#,
        #"[{"call_id": "a", "prompt_token_ids": [1, 2,]}]"#,
        #"[{"call_id": "a", "logprobs": {"content": [{"logprob": -1, "logprob": -2}]}}]"#,
        #"[{"call_id": "a", "logprobs": {"content": [{"logprob": 1e400}]}}]"#,
        #"[{"prompt_tokens": 1}]"#,
        #"[{"call\u005fid": "a"}]"#,
        #"[{"call_id": "a"}] x"#,
        "{}",
        "[null]",
    ])
    func declinesWhatItDoesNotTakeOn(text: String) {
        #expect(ModelCallDetail.array(jsonBytes: Array(text.utf8)) == nil)
    }

    /// An array as Postgres prints jsonb: `", "` and `": "` between members; fields null or left
    /// out at random, logprobs in OpenAI's shape with alternatives, unknown members.
    static func callsText(count: Int, _ random: inout SplitMix64) -> String {
        func ids(_ n: Int) -> String { "[" + (0..<n).map { _ in String(random.below(150_000)) }.joined(separator: ", ") + "]" }
        func logprob() -> String {
            let value = -Double(random.below(100_000)) / 7_919
            return random.chance(10) ? "-0" : random.chance(10) ? String(Int(value)) : String(value)
        }
        var calls: [String] = []
        for index in 0..<count {
            var members = [#""call_id": "call-\#(index)-\#(random.below(1000))""#]
            if random.chance(80) { members.append(#""prompt_tokens": \#(random.chance(10) ? "null" : String(random.below(5000)))"#) }
            if random.chance(80) { members.append(#""completion_tokens": \#(random.below(900))"#) }
            if random.chance(80) { members.append(#""cost_dollars": \#(random.chance(10) ? "null" : String(Double(random.below(90_000)) / 1e7))"#) }
            if random.chance(60) { members.append(#""prompt_token_ids": \#(random.chance(15) ? "null" : ids(random.below(40)))"#) }
            let completion = random.below(30)
            if random.chance(60) { members.append(#""completion_token_ids": \#(ids(completion))"#) }
            if random.chance(70) {
                let entries = (0..<completion).map { _ -> String in
                    let top = (0..<random.below(3)).map { _ in #"{"token": "t", "logprob": \#(logprob()), "bytes": [116]}"# }
                    return #"{"token": "tok\u00e9", "logprob": \#(logprob()), "bytes": null, "top_logprobs": [\#(top.joined(separator: ", "))]}"#
                }
                let content = random.chance(10) ? "null" : "[" + entries.joined(separator: ", ") + "]"
                members.append(random.chance(10) ? #""logprobs": null"# : #""logprobs": {"content": \#(content), "refusal": null}"#)
            }
            if random.chance(20) { members.append(#""extra": {"nested": [1, "two", {"three": true}]}"#) }
            for swap in stride(from: members.count - 1, to: 0, by: -1) { members.swapAt(swap, random.below(swap + 1)) }
            calls.append("{" + members.joined(separator: ", ") + "}")
        }
        return "[" + calls.joined(separator: ", ") + "]"
    }
}
