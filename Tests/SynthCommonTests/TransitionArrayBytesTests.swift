import Foundation
import Testing
@testable import SynthCommon

/// The exporter reads each trajectory's transitions (a JSON array) with the byte-level reader
/// and falls back to JSONDecoder when it declines: both paths must agree.
@Suite("Transition arrays read from bytes")
struct TransitionArrayBytesTests {
    @Test func readsGeneratedArraysAsJSONDecoderDoes() throws {
        var generator = TransitionGenerator(seed: 11)
        for count in 0..<120 {
            let transitions = (0..<(count % 7)).map { _ in generator.transition() }
            let bytes = try SynthJSON.encode(transitions)
            let direct = try #require(Transition.array(jsonBytes: bytes), "declined \(String(decoding: bytes, as: UTF8.self))")
            let decoded = try SynthJSON.decode([Transition].self, from: bytes)
            #expect(direct == decoded)
            #expect(try SynthJSON.encode(direct) == (try SynthJSON.encode(decoded)))
        }
    }

    /// As Postgres returns json_agg: whitespace and line breaks between the elements.
    @Test func readsSpacedArrays() throws {
        let text = " [ " + StepExecutedBytesTests.transitionText + " ,\n " + StepExecutedBytesTests.transitionText + " ] "
        let bytes = Array(text.utf8)
        let direct = try #require(Transition.array(jsonBytes: bytes))
        #expect(direct == (try SynthJSON.decode([Transition].self, from: bytes)))
        #expect(direct.count == 2)
    }

    /// What the reader declines goes to JSONDecoder, which accepts some of it and refuses the rest.
    @Test(arguments: [
        "[" + StepExecutedBytesTests.transitionText + ",]",
        "[" + StepExecutedBytesTests.transitionText.replacingOccurrences(of: #""step_number":1"#, with: #""step_number":1.0"#) + "]",
        "[" + StepExecutedBytesTests.transitionText + "] x",
        "{}",
        "[null]",
        "[" + StepExecutedBytesTests.transitionText.replacingOccurrences(of: #""done":false"#, with: #""done":0"#) + "]",
    ])
    func declinesWhatItDoesNotTakeOn(text: String) {
        #expect(Transition.array(jsonBytes: Array(text.utf8)) == nil)
    }
}
