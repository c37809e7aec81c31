import Foundation
import Testing
@testable import SynthCommon

/// The hand-written wire timestamp must write exactly what Foundation's
/// ISO8601FormatStyle writes and read it back to the same instant, or hand
/// the text to the format style.
@Suite("ISO-8601 timestamps")
struct ISO8601TimestampTests {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Fixed edges plus a deterministic spread over 1900...2100 (a linear
    /// congruential walk, so a failure reproduces).
    static var instants: [Double] {
        var values: [Double] = [0, -0.001, 1.0005, 1.9999, 951_782_400, 951_868_799.999, 978_307_200, 4_102_444_799.999,
                                -2_208_988_800, 1_764_000_000.125, 1_764_372_312.9996]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(-2_208_988_800 + Double(state >> 11) / Double(1 << 53) * 6_311_433_600)
        }
        return values
    }

    @Test func formatsExactlyLikeTheFormatStyle() {
        for t in Self.instants {
            let date = Date(timeIntervalSince1970: t)
            #expect(ISO8601Timestamp.format(date) == date.formatted(Self.style), "\(t)")
        }
    }

    @Test func parsesWhatItWritesToTheFormatStylesInstant() throws {
        for t in Self.instants {
            let text = try #require(ISO8601Timestamp.format(Date(timeIntervalSince1970: t)))
            let parsed = try #require(ISO8601Timestamp.parse(text))
            let reference = try Date(text, strategy: Self.style)
            // Equal to the microsecond (the last bit of the Double may differ).
            #expect(abs(parsed.timeIntervalSince(reference)) < 1e-6, "\(text)")
        }
        #expect(ISO8601Timestamp.parse("2026-11-28T23:45:12Z") == Date(timeIntervalSince1970: 1_795_909_512))
    }

    @Test func leavesOtherFormsToTheFormatStyle() throws {
        for text in ["2026-11-28T23:45:12+01:00", "2026-11-28T23:45:12.3456Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
                     "2026-11-28 23:45:12Z", "2026-11-28T24:00:00.000Z", "2026-1a-28T23:45:12Z", ""] {
            #expect(ISO8601Timestamp.parse(text) == nil, "\(text)")
        }
        // SynthJSON still reads them through the format style.
        #expect(SynthJSON.parseTimestamp("2026-11-28T23:45:12+01:00") == Date(timeIntervalSince1970: 1_795_905_912))
    }
}
