import Foundation

/// A standard 5-field cron expression (minute hour day-of-month month day-of-week), evaluated in
/// UTC. Fields take `*`, numbers, ranges `a-b`, lists `a,b` and steps `*/n` or `a-b/n`; day of
/// week 0 or 7 is Sunday. As in Vixie cron, when both day fields are restricted a day matches if
/// either does.
struct CronExpression: Sendable, Equatable {
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    let minutes: Set<Int>, hours: Set<Int>, days: Set<Int>, months: Set<Int>, weekdays: Set<Int>
    let daysRestricted: Bool, weekdaysRestricted: Bool

    init(_ text: String) throws {
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else { throw ParseError(description: "expected 5 fields, got \(fields.count)") }
        minutes = try Self.field(fields[0], 0...59, "minute")
        hours = try Self.field(fields[1], 0...23, "hour")
        days = try Self.field(fields[2], 1...31, "day of month")
        months = try Self.field(fields[3], 1...12, "month")
        weekdays = Set(try Self.field(fields[4], 0...7, "day of week").map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
    }

    private static func field(_ text: String, _ range: ClosedRange<Int>, _ name: String) throws -> Set<Int> {
        var values = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw ParseError(description: "\(name): bad step in '\(part)'") }
            var step = 1
            if pieces.count == 2 {
                guard let value = Int(pieces[1]), value > 0 else { throw ParseError(description: "\(name): bad step in '\(part)'") }
                step = value
            }
            let base = pieces[0]
            var lower = range.lowerBound, upper = range.upperBound
            if base != "*" {
                let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
                guard (1...2).contains(bounds.count), let first = Int(bounds[0]), let last = Int(bounds.last!) else {
                    throw ParseError(description: "\(name): cannot read '\(part)'")
                }
                lower = first
                upper = bounds.count == 2 ? last : (pieces.count == 2 ? range.upperBound : first)
            }
            guard range.contains(lower), range.contains(upper), lower <= upper else {
                throw ParseError(description: "\(name): '\(part)' is outside \(range.lowerBound)-\(range.upperBound)")
            }
            values.formUnion(stride(from: lower, through: upper, by: step))
        }
        return values
    }

    /// The first matching minute strictly after `date`; nil if none within 5 years (e.g. Feb 30).
    func next(after date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = floor(date.timeIntervalSince1970 / 60) * 60 + 60
        var candidate = Date(timeIntervalSince1970: start)
        let limit = date.addingTimeInterval(5 * 366 * 86_400)
        while candidate < limit {
            let parts = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: candidate)
            guard months.contains(parts.month!) else {
                // Jump to the first minute of the next month.
                candidate = calendar.date(byAdding: .month, value: 1, to: calendar.date(from: calendar.dateComponents([.year, .month], from: candidate))!)!
                continue
            }
            let dayMatches = daysRestricted && weekdaysRestricted
                ? days.contains(parts.day!) || weekdays.contains(parts.weekday! - 1)
                : days.contains(parts.day!) && weekdays.contains(parts.weekday! - 1)
            guard dayMatches else {
                candidate = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: candidate))!
                continue
            }
            guard hours.contains(parts.hour!) else {
                candidate = calendar.date(byAdding: .hour, value: 1, to: calendar.date(from: calendar.dateComponents([.year, .month, .day, .hour], from: candidate))!)!
                continue
            }
            if minutes.contains(parts.minute!) { return candidate }
            candidate = candidate.addingTimeInterval(60)
        }
        return nil
    }
}
