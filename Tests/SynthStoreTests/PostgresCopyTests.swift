import Foundation
import Testing
@testable import SynthPostgres

/// Binary COPY (PostgresBinaryCopy + PostgresConnection.copy) and binary
/// results (queryBytes), against the stack's PostgreSQL: every value must
/// read back as Postgres' own text of it.
@Suite("Postgres binary COPY against the stack's PostgreSQL", .serialized)
struct PostgresCopyTests {
    static func table(_ db: PostgresClient) async throws -> String {
        let table = "test_copy_\(UUID().uuidString.prefix(8).lowercased())"
        try await db.query("""
            CREATE TABLE \(table) (id text PRIMARY KEY, note text, doc jsonb, at timestamptz, n int, tags text[], raw bytea)
            """)
        return table
    }

    static func rows(_ copy: inout PostgresBinaryCopy, _ values: [(String, String?, String, Int64, Int32?, [String], [UInt8])]) {
        for (id, note, doc, micros, n, tags, raw) in values {
            copy.row(fields: 7)
            copy.text(id)
            copy.text(note)
            copy.jsonb(Array(doc.utf8))
            copy.timestamp(unixMicros: micros)
            copy.int32(n)
            copy.textArray(tags)
            copy.bytes(raw)
        }
    }

    @Test func everyTypeReadsBackAsWritten() async throws {
        let db = StackEndpoints.postgres()
        let table = try await Self.table(db)
        var copy = PostgresBinaryCopy()
        Self.rows(&copy, [
            ("a", "caf\u{e9} \"quoted\" back\\slash\ttab\nline", #"{"k": [1, "two", null]}"#, 1_764_326_046_123_000, 42, ["x", "y z", "\u{e9}"],
             [0, 1, 0xFF, 0x5C, 0x0A]),
            ("b", nil, "null", 0, nil, [], []),
            ("c", "", #""text""#, -1_000_000, -7, [""], Array("payload".utf8)),
        ])
        let copied = try await db.withConnection { try await $0.copy("COPY \(table) FROM STDIN (FORMAT binary)", data: copy.finished()) }
        #expect(copied == 3)
        let rows = try await db.query("""
            SELECT id, note, doc::text AS doc, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at, n, tags::text AS tags,
                   encode(raw, 'hex') AS raw FROM \(table) ORDER BY id
            """)
        #expect(rows.values == [
            ["a", "caf\u{e9} \"quoted\" back\\slash\ttab\nline", #"{"k": [1, "two", null]}"#, "2025-11-28T10:34:06.123000", "42",
             #"{x,"y z",é}"#, "0001ff5c0a"],
            ["b", nil, "null", "1970-01-01T00:00:00.000000", nil, "{}", ""],
            ["c", "", #""text""#, "1969-12-31T23:59:59.000000", "-7", #"{""}"#, "7061796c6f6164"],
        ])
        try await db.query("DROP TABLE \(table)")
    }

    /// A repeated key fails the whole COPY with 23505 (what TaskStore falls
    /// back on), and the connection is usable afterwards.
    @Test func aUniqueViolationFailsTheCopyAndLeavesTheConnectionUsable() async throws {
        let db = StackEndpoints.postgres()
        let table = try await Self.table(db)
        var copy = PostgresBinaryCopy()
        Self.rows(&copy, [("same", nil, "1", 0, 1, [], []), ("same", nil, "2", 0, 2, [], [])])
        try await db.withConnection { connection in
            do {
                try await connection.copy("COPY \(table) FROM STDIN (FORMAT binary)", data: copy.finished())
                Issue.record("COPY of a repeated key should fail")
            } catch let error as PostgresError {
                #expect(error.sqlState == "23505")
            }
            #expect(try await connection.query("SELECT count(*) AS n FROM \(table)").first?.int("n") == 0)
        }
        try await db.query("DROP TABLE \(table)")
    }

    @Test func binaryResultsAreTheValuesOwnBytes() async throws {
        let db = StackEndpoints.postgres()
        let rows = try await db.withConnection {
            try await $0.queryBytes("SELECT 258::bigint, 'h\u{e9}'::text, '\\x00ff0a'::bytea, NULL::text, $1::text", ["p"])
        }
        #expect(rows == [[[0, 0, 0, 0, 0, 0, 1, 2], Array("h\u{e9}".utf8), [0x00, 0xFF, 0x0A], nil, Array("p".utf8)]])
    }
}
