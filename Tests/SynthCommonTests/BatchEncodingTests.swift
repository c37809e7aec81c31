import Foundation
import Testing
@testable import SynthCommon

/// The api's batch path writes timestamps and TaskSubmitted envelopes by hand
/// and reads batch elements in place: each must give what the general
/// Foundation path gives.
@Suite("Hand-written JSON agrees with Foundation")
struct BatchEncodingTests {
    static let foundationStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    @Test func timestampsMatchISO8601FormatStyle() {
        // Edges (epoch, leap days, century rules, year 9999, millisecond
        // boundaries), then a spread of deterministic pseudo-random instants.
        var instants: [Double] = [0, 0.0005, 0.999, 0.9999, 1.9995, 59.999, 86_399.999, 951_782_400.5, 4_107_542_400, 946_684_799.999,
                                  1_764_374_386.1239, 1_764_374_386.9999, 253_402_300_799.9999, 68_256_000_000.25]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            instants.append(Double(state >> 11) / Double(1 << 53) * 253_402_300_800)
            instants.append(1.7e9 + Double(state % 300_000_000_000) / 1000)
        }
        for instant in instants {
            let date = Date(timeIntervalSince1970: instant)
            #expect(SynthJSON.formatTimestamp(date) == date.formatted(Self.foundationStyle), "at \(instant)")
        }
        // Outside 1970...9999 Foundation writes it.
        let early = Date(timeIntervalSince1970: -0.5)
        #expect(SynthJSON.formatTimestamp(early) == "1969-12-31T23:59:59.500Z")
    }

    @Test func taskSubmittedAroundEncodedTaskIsTheEnvelopeBytes() throws {
        var task = TaskDefinition(instruction: "Fix \"quotes\" and a\\backslash/slash", category: "bugfix", difficulty: .medium,
                                  dockerImage: "img:1", initialFiles: ["src/ü.py": "x = '✓'\n"],
                                  verificationTests: [TestSpec(name: "t", command: "pytest")],
                                  referenceSolution: [ToolCallSpec(tool: "read", arguments: ["path": .string("src/ü.py")])])
        task.tags = ["a", "b"]
        let occurred = Date(timeIntervalSince1970: 1_764_374_386.123)
        let taskJSON = try SynthJSON.encode(task)
        for source in ["api", "needs \"escaping\"\n"] {
            let envelope = EventEnvelope(eventID: "e-1", type: TaskSubmitted.eventType, occurredAt: occurred, source: source,
                                         payload: TaskSubmitted(task: task))
            let written = try EnvelopeWriter.taskSubmitted(taskJSON: taskJSON, eventID: "e-1", occurredAt: occurred, source: source)
            #expect(written == (try SynthJSON.encode(envelope)))
        }
    }

    struct Holder: Decodable {
        var value: Int
    }

    @Test func fieldErrorsInsideAnArrayNameTheFieldFromTheElement() throws {
        let decoder = SynthJSON.decoder
        #expect(throws: DecodingError.self) { try decoder.decode([Holder].self, from: Data(#"[{"value": 1}, {"value": "x"}]"#.utf8)) }
        do {
            _ = try decoder.decode([Holder].self, from: Data(#"[{"value": 1}, {"value": "x"}]"#.utf8))
        } catch let error as DecodingError {
            #expect(error.fieldError.field == "[1].value")
            #expect(error.fieldError(droppingPrefix: 1) == FieldError(field: "value", message: "expected an integer"))
        }
        do {
            _ = try decoder.decode([Holder].self, from: Data(#"[{}]"#.utf8))
        } catch let error as DecodingError {
            #expect(error.fieldError(droppingPrefix: 1) == FieldError(field: "value", message: "is required"))
        }
    }
}
