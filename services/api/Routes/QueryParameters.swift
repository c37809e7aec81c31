import Foundation
import Hummingbird
import SynthCommon

/// Typed access to query parameters; a malformed value is an APIError naming it.
struct QueryParameters {
    let values: [String: String]

    init(_ request: Request) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { values[String(key)] = String(value) }
        self.values = values
    }

    func string(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let value = values[name] else { return nil }
        guard !value.isEmpty, value.count <= maxLength, !value.contains("\0") else {
            throw APIError.invalid(name, "must be 1 to \(maxLength) characters")
        }
        return value
    }

    func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.invalid(name, "must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func double(_ name: String) throws -> Double? {
        guard let text = values[name] else { return nil }
        guard let value = Double(text), value.isFinite else { throw APIError.invalid(name, "must be a number") }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = values[name] else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw APIError.invalid(name, "must be true or false")
        }
    }

    func date(_ name: String) throws -> Date? {
        guard let text = values[name] else { return nil }
        guard let date = SynthJSON.parseTimestamp(text), (0...253_402_300_799).contains(date.timeIntervalSince1970) else {
            throw APIError.invalid(name, "must be an RFC 3339 timestamp between 1970 and 9999")
        }
        return date
    }

    func oneOf(_ name: String, _ allowed: [String]) throws -> String? {
        guard let text = values[name] else { return nil }
        guard allowed.contains(text) else { throw APIError.invalid(name, "must be one of \(allowed.joined(separator: ", "))") }
        return text
    }

    func cursor(_ name: String = "cursor") throws -> Cursor? {
        guard let text = values[name] else { return nil }
        guard let cursor = Cursor(encoded: text) else { throw APIError.invalid(name, "is not a cursor this api issued") }
        return cursor
    }
}
