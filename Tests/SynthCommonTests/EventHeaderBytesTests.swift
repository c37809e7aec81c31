import Foundation
import Testing
@testable import SynthCommon

/// Every consumer reads the envelope header from bytes first; it must be JSONDecoder's header,
/// and whatever JSONDecoder would refuse must be left to it.
@Suite("EventHeader read from bytes")
struct EventHeaderBytesTests {
    static func codable(_ bytes: [UInt8]) throws -> EventHeader {
        try SynthJSON.decode(EventHeader.self, from: bytes)
    }

    static func same(_ a: EventHeader, _ b: EventHeader) -> Bool {
        a.eventID == b.eventID && a.type == b.type && a.schemaVersion == b.schemaVersion && a.occurredAt == b.occurredAt && a.source == b.source
    }

    @Test func readsGeneratedEnvelopesAsJSONDecoderDoes() throws {
        var generator = TransitionGenerator(seed: 11)
        for _ in 0..<100 {
            let step = generator.step()
            let bytes = try SynthJSON.encode(EventEnvelope(eventID: "e-" + generator.text(maximum: 2), type: StepExecuted.eventType,
                                                           source: generator.text(maximum: 2), payload: step))
            let direct = try #require(EventHeader(envelopeBytes: bytes))
            #expect(Self.same(direct, try Self.codable(bytes)))
        }
    }

    @Test(arguments: [
        #"{"event_id":"e","type":"X","schema_version":1,"occurred_at":"2026-11-28T10:00:00.000Z","source":"s","payload":{}}"#,
        #" { "payload" : [1, "\u00e9", {"a": [true, null, -1.5e3]}, ], "source":"s\n","occurred_at":"2026-11-28T10:00:00Z","schema_version":2,"type":"X","event_id":"e","more":null } "#,
    ])
    func readsHandWrittenEnvelopes(text: String) throws {
        let bytes = Array(text.utf8)
        #expect(Self.same(try #require(EventHeader(envelopeBytes: bytes)), try Self.codable(bytes)))
    }

    @Test(arguments: [
        #"{"event_id":"e","type":"X","schema_version":1,"occurred_at":"2026-11-28T10:00:00.000Z","source":"s","payload":{"a":}}"#,
        #"{"event_id":"e","type":"X","schema_version":1,"occurred_at":"2026-11-28T10:00:00.000Z","source":"s","payload":"\ud800"}"#,
        #"{"event_id":"e","type":"X","schema_version":1,"occurred_at":"2026-11-28T10:00:00.000Z","source":"s","payload":1e999}"#,
        #"{"event_id":"e","type":"X","schema_version":1.5,"occurred_at":"2026-11-28T10:00:00.000Z","source":"s","payload":{}}"#,
        #"{"event_id":"e","type":"X","schema_version":1,"occurred_at":"now","source":"s","payload":{}}"#,
        #"{"event_id":"e","type":"X","type":"Y","schema_version":1,"occurred_at":"2026-11-28T10:00:00.000Z","source":"s"}"#,
        #"{"event\u005fid":"e","type":"X","schema_version":1,"occurred_at":"2026-11-28T10:00:00.000Z","source":"s"}"#,
        #"{"type":"X","schema_version":1,"occurred_at":"2026-11-28T10:00:00.000Z","source":"s"}"#,
    ])
    func leavesTheRestToJSONDecoder(text: String) {
        #expect(EventHeader(envelopeBytes: Array(text.utf8)) == nil)
    }

    @Test func neverAcceptsWhatJSONDecoderRefuses() throws {
        var generator = TransitionGenerator(seed: 13)
        let alphabet = Array(#"{}[]":,\ 0123456789.-eEtrufalsn"#.utf8) + [0x00, 0xC3, 0xFF]
        for _ in 0..<40 {
            let bytes = try SynthJSON.encode(EventEnvelope(type: StepExecuted.eventType, source: "s", payload: generator.step()))
            for _ in 0..<40 {
                var mutated = bytes
                let index = Int.random(in: 0..<mutated.count, using: &generator.random)
                mutated[index] = alphabet.randomElement(using: &generator.random)!
                guard let direct = EventHeader(envelopeBytes: mutated) else { continue }
                let decoded = try #require(try? Self.codable(mutated), "accepted what JSONDecoder refuses: \(String(decoding: mutated, as: UTF8.self))")
                #expect(Self.same(direct, decoded))
            }
        }
    }
}
