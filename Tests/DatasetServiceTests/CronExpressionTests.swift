import Foundation
import Testing
@testable import synth_exporter

@Suite struct CronExpressionTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func everyFifteenMinutes() throws {
        let cron = try CronExpression("*/15 * * * *")
        #expect(cron.next(after: Self.date("2026-03-01T10:07:30Z")) == Self.date("2026-03-01T10:15:00Z"))
        #expect(cron.next(after: Self.date("2026-03-01T10:45:00Z")) == Self.date("2026-03-01T11:00:00Z"))
    }

    @Test func dailyAndMonthRollover() throws {
        let cron = try CronExpression("30 2 * * *")
        #expect(cron.next(after: Self.date("2026-01-31T03:00:00Z")) == Self.date("2026-02-01T02:30:00Z"))
        let yearly = try CronExpression("0 0 1 1 *")
        #expect(yearly.next(after: Self.date("2026-06-15T12:00:00Z")) == Self.date("2027-01-01T00:00:00Z"))
    }

    @Test func weekdaysRangesAndLists() throws {
        // 2026-03-06 is a Friday: next weekday 09:00 is Monday 2026-03-09.
        let cron = try CronExpression("0 9 * * 1-5")
        #expect(cron.next(after: Self.date("2026-03-06T09:00:00Z")) == Self.date("2026-03-09T09:00:00Z"))
        let sunday = try CronExpression("0 0 * * 7")
        #expect(sunday.next(after: Self.date("2026-03-06T00:00:00Z")) == Self.date("2026-03-08T00:00:00Z"))
        let list = try CronExpression("5,35 8-9 * * *")
        #expect(list.next(after: Self.date("2026-03-06T08:36:00Z")) == Self.date("2026-03-06T09:05:00Z"))
    }

    @Test func eitherDayFieldMatchesWhenBothAreRestricted() throws {
        // The 13th or any Friday: after Sunday 2026-03-08, Friday the 13th... March 13 2026 is a Friday; use 1st or Monday.
        let cron = try CronExpression("0 0 1 * 1")
        #expect(cron.next(after: Self.date("2026-03-03T00:00:00Z")) == Self.date("2026-03-09T00:00:00Z"))
    }

    @Test func impossibleDateNeverFires() throws {
        #expect(try CronExpression("0 0 30 2 *").next(after: Self.date("2026-01-01T00:00:00Z")) == nil)
    }

    @Test(arguments: ["* * * *", "60 * * * *", "* 24 * * *", "*/0 * * * *", "a * * * *", "5-1 * * * *", "* * 0 * *"])
    func rejectsBadExpressions(_ text: String) {
        #expect(throws: CronExpression.ParseError.self) { try CronExpression(text) }
    }
}
