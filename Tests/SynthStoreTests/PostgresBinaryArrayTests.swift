import Foundation
import Testing
@testable import SynthPostgres

/// Binary array parameters (PostgresBinaryArray + PostgresConnection.query(_:binary:)), against
/// the stack's PostgreSQL: every element must read back as Postgres' own text of it.
@Suite("Postgres binary array parameters against the stack's PostgreSQL", .serialized)
struct PostgresBinaryArrayTests {
    @Test func elementsOfEveryTypeReadBackAsWritten() async throws {
        let db = StackEndpoints.postgres()
        var texts = PostgresBinaryArray(elementOID: PostgresBinaryArray.textOID)
        var numbers = PostgresBinaryArray(elementOID: PostgresBinaryArray.int4OID)
        var documents = PostgresBinaryArray(elementOID: PostgresBinaryArray.jsonbOID)
        var verbatim = PostgresBinaryArray(elementOID: PostgresBinaryArray.jsonOID)
        for (text, number, json) in [("caf\u{e9} \"q\" back\\slash\ttab\nline", Int32(42), #"{"k": [1, "two", null], "a": "\u00e9"}"#),
                                     ("", Int32.min, "null"), ("\u{1F680}", Int32.max, #""text""#)] {
            texts.append(text: text)
            numbers.append(int4: number)
            documents.appendJSONB { $0 += Array(json.utf8) }
            verbatim.appendJSON { $0 += Array(json.utf8) }
        }
        // Joined into another array (append(contentsOf:)), as the collector joins its chunks.
        var joined = PostgresBinaryArray(elementOID: PostgresBinaryArray.textOID)
        joined.append(contentsOf: texts)
        let rows = try await db.withConnection { connection in
            try await connection.query("""
                SELECT t, n, d::text AS d, j::text AS j, $4::text IS NULL AS absent
                FROM unnest($1::text[], $2::int[], $3::jsonb[], $5::json[]) AS u(t, n, d, j)
                """, binary: [joined.bytes, numbers.bytes, documents.bytes, nil, verbatim.bytes])
        }
        #expect(joined.count == 3)
        #expect(rows.values == [
            // jsonb prints its own form; json keeps the text as sent.
            ["caf\u{e9} \"q\" back\\slash\ttab\nline", "42", #"{"a": "é", "k": [1, "two", null]}"#,
             #"{"k": [1, "two", null], "a": "\u00e9"}"#, "t"],
            ["", "-2147483648", "null", "null", "t"],
            ["\u{1F680}", "2147483647", #""text""#, #""text""#, "t"],
        ])
    }

    @Test func anEmptyArrayHasNoRows() async throws {
        let db = StackEndpoints.postgres()
        let empty = PostgresBinaryArray(elementOID: PostgresBinaryArray.jsonbOID)
        let rows = try await db.withConnection { try await $0.query("SELECT count(*) AS n FROM unnest($1::jsonb[])", binary: [empty.bytes]) }
        #expect(rows.first?["n"] == "0")
    }

    /// Postgres checks every element: a malformed JSON fails the statement (22P02) and the
    /// connection is usable afterwards; a failed element write leaves the array as it was.
    @Test func malformedJSONFailsTheStatementAndLeavesTheConnectionUsable() async throws {
        struct Refused: Error {}
        let db = StackEndpoints.postgres()
        var documents = PostgresBinaryArray(elementOID: PostgresBinaryArray.jsonbOID)
        documents.appendJSONB { $0 += Array("{\"a\": 1".utf8) }
        #expect(throws: Refused.self) { try documents.appendJSONB { $0 += [1, 2, 3]; throw Refused() } }
        #expect(documents.count == 1)
        try await db.withConnection { connection in
            var state: String?
            do {
                try await connection.query("SELECT count(*) FROM unnest($1::jsonb[])", binary: [documents.bytes])
            } catch let error as PostgresError {
                state = error.sqlState
            }
            #expect(state == "22P02")
            let one = try await connection.query("SELECT 1 AS one")
            #expect(one.first?["one"] == "1")
        }
    }
}
