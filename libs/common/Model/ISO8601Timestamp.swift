import Foundation

/// The wire timestamp "yyyy-MM-ddTHH:mm:ss.SSSZ" (UTC, milliseconds) written
/// and read by hand: Foundation's ISO8601FormatStyle takes about 10 us per
/// date each way, which was the largest single cost of putting a task
/// definition through the queue. The output is the same text the format
/// style writes (fractional milliseconds truncated); anything else is left to
/// the format style (`SynthJSON`).
enum ISO8601Timestamp {
    private static let unixToReference = 978_307_200

    /// nil for years outside 1...9999 (the format style handles those).
    static func format(_ date: Date) -> String? {
        let t = date.timeIntervalSince1970
        let whole = t.rounded(.down)
        guard whole.magnitude < 2e11 else { return nil }
        let seconds = Int(whole)
        let milliseconds = Int((t - whole) * 1000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        guard (1...9_999).contains(year) else { return nil }
        return String(unsafeUninitializedCapacity: 24) { out in
            func put(_ value: Int, at start: Int, digits: Int) {
                var value = value
                var index = start + digits - 1
                while index >= start {
                    out[index] = UInt8(truncatingIfNeeded: 48 + value % 10)
                    value /= 10
                    index -= 1
                }
            }
            put(year, at: 0, digits: 4); out[4] = UInt8(ascii: "-"); put(month, at: 5, digits: 2); out[7] = UInt8(ascii: "-")
            put(day, at: 8, digits: 2); out[10] = UInt8(ascii: "T")
            put(inDay / 3_600, at: 11, digits: 2); out[13] = UInt8(ascii: ":"); put(inDay / 60 % 60, at: 14, digits: 2)
            out[16] = UInt8(ascii: ":"); put(inDay % 60, at: 17, digits: 2); out[19] = UInt8(ascii: ".")
            put(milliseconds, at: 20, digits: 3); out[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// Parses exactly "yyyy-MM-ddTHH:mm:ssZ" or "yyyy-MM-ddTHH:mm:ss.SSSZ";
    /// nil for any other form (offsets, other precisions), which the format
    /// style then parses.
    static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            let count = bytes.count
            guard count == 24 || count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
                  bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                  bytes[count - 1] == UInt8(ascii: "Z") else { return nil }
            func number(at start: Int, digits: Int) -> Int? {
                var value = 0
                for index in start..<start + digits {
                    let digit = Int(bytes[index]) - 48
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let year = number(at: 0, digits: 4), let month = number(at: 5, digits: 2), let day = number(at: 8, digits: 2),
                  let hour = number(at: 11, digits: 2), let minute = number(at: 14, digits: 2), let second = number(at: 17, digits: 2),
                  (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60
            else { return nil }
            var milliseconds = 0
            if count == 24 {
                guard bytes[19] == UInt8(ascii: "."), let fraction = number(at: 20, digits: 3) else { return nil }
                milliseconds = fraction
            }
            let seconds = days(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
            // Built from the reference date, as Date stores it.
            return Date(timeIntervalSinceReferenceDate: Double(seconds - unixToReference) + Double(milliseconds) / 1000)
        }
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Days since 1970-01-01 from a proleptic Gregorian date and back
    // (H. Hinnant's civil calendar algorithms).
    private static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
