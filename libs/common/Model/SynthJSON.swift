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

    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try encoder.encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decoder.decode(type, from: Data(bytes))
    }

    /// `2026-11-28T18:14:06.123Z`: milliseconds, truncated, UTC. Years 1970
    /// to 9999 are written by hand (ISO8601FormatStyle costs several
    /// microseconds a call, three calls per submitted task); the rest go to
    /// Foundation. Tests check both give the same text.
    public static func formatTimestamp(_ date: Date) -> String {
        fastTimestamp(date) ?? date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func fastTimestamp(_ date: Date) -> String? {
        let interval = date.timeIntervalSince1970
        guard interval >= 0, interval < 253_402_300_800 else { return nil }
        let seconds = interval.rounded(.down)
        let millis = min(Int((interval - seconds) * 1000), 999)
        let whole = Int(seconds)
        let (year, month, day) = civilDate(daysSince1970: whole / 86_400)
        let second = whole % 86_400
        return String(unsafeUninitializedCapacity: 24) { bytes in
            func put(_ value: Int, at start: Int, width: Int) {
                var value = value
                for index in stride(from: start + width - 1, through: start, by: -1) {
                    bytes[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(year, at: 0, width: 4)
            bytes[4] = UInt8(ascii: "-")
            put(month, at: 5, width: 2)
            bytes[7] = UInt8(ascii: "-")
            put(day, at: 8, width: 2)
            bytes[10] = UInt8(ascii: "T")
            put(second / 3600, at: 11, width: 2)
            bytes[13] = UInt8(ascii: ":")
            put(second / 60 % 60, at: 14, width: 2)
            bytes[16] = UInt8(ascii: ":")
            put(second % 60, at: 17, width: 2)
            bytes[19] = UInt8(ascii: ".")
            put(millis, at: 20, width: 3)
            bytes[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// Gregorian year, month, day of a day count since 1970-01-01 (>= 0),
    /// after Howard Hinnant's civil_from_days.
    static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }
}
