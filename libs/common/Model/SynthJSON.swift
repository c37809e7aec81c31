import Foundation

/// The one JSON configuration every service uses on the wire: ISO-8601 dates
/// with fractional seconds, sorted keys (stable bytes for hashing and diffs).
public enum SynthJSON {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatTimestamp(date))
        }
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseTimestamp(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an ISO-8601 timestamp, got '\(text)'")
            }
            return date
        }
        return decoder
    }

    // One configured coder each for encode/decode below: a coder is safe to
    // share once its options are set, and building one per call showed up
    // on the queue's hot path.
    private static let sharedEncoder = encoder
    private static let sharedDecoder = decoder

    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try sharedEncoder.encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try sharedDecoder.decode(type, from: Data(bytes))
    }

    /// `2026-11-28T18:14:06.123Z`: milliseconds, truncated, UTC. Written by
    /// hand where ISO8601Timestamp covers the date (ISO8601FormatStyle costs
    /// several microseconds a call, three calls per submitted task), by
    /// Foundation otherwise. Tests check both give the same text.
    public static func formatTimestamp(_ date: Date) -> String {
        ISO8601Timestamp.format(date) ?? date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func parseTimestamp(_ text: String) -> Date? {
        if let date = ISO8601Timestamp.parse(text) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }
}
