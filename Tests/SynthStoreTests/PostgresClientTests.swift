import Foundation
import Testing
@testable import SynthPostgres

@Suite("Postgres client against the stack's PostgreSQL", .serialized)
struct PostgresClientTests {
    @Test func parametersAreBoundNotInterpolated() async throws {
        let db = StackEndpoints.postgres()
        let hostile = "'); DROP TABLE nothing; --"
        let rows = try await db.query("SELECT $1::text AS value, $2::int + 1 AS next, $3::text IS NULL AS missing", [hostile, "41", nil])
        #expect(rows.first?["value"] == hostile)
        #expect(rows.first?.int("next") == 42)
        #expect(rows.first?.bool("missing") == true)
    }

    @Test func transactionsCommitOrRollBack() async throws {
        let db = StackEndpoints.postgres()
        let table = "test_tx_\(UUID().uuidString.prefix(8).lowercased())"
        try await db.query("CREATE TABLE \(table) (id int PRIMARY KEY)")
        defer { Task { try? await db.query("DROP TABLE IF EXISTS \(table)") } }
        _ = try await db.transaction { try await $0.query("INSERT INTO \(table) VALUES (1)") }
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await db.transaction { connection in
                try await connection.query("INSERT INTO \(table) VALUES (2)")
                throw Boom()
            }
        }
        let rows = try await db.query("SELECT id FROM \(table) ORDER BY id")
        #expect(rows.values == [["1"]])
    }

    @Test func serverErrorsCarryTheirSQLState() async throws {
        let db = StackEndpoints.postgres()
        do {
            try await db.query("SELECT * FROM table_that_does_not_exist")
            Issue.record("query should fail")
        } catch let error as PostgresError {
            #expect(error.sqlState == "42P01")
            #expect(!error.isConnectionFailure)
        }
    }

    @Test func migrationsApplyOnceAndInOrder() async throws {
        let db = StackEndpoints.postgres()
        let component = "test-\(UUID().uuidString.prefix(8).lowercased())"
        let table = "test_mig_\(component.dropFirst(5))"
        let migrations = [
            PostgresMigration(component: component, version: 2, name: "add column", sql: "ALTER TABLE \(table) ADD COLUMN note text"),
            PostgresMigration(component: component, version: 1, name: "create", sql: "CREATE TABLE \(table) (id int)"),
        ]
        try await db.migrate(migrations, logger: StackEndpoints.logger)
        try await db.migrate(migrations, logger: StackEndpoints.logger)  // second run is a no-op, not an error
        try await db.query("INSERT INTO \(table) (id, note) VALUES (1, 'ok')")
        let applied = try await db.query("SELECT version FROM schema_migrations WHERE component = $1 ORDER BY version", [component])
        #expect(applied.values == [["1"], ["2"]])
        try await db.query("DROP TABLE \(table)")
        try await db.query("DELETE FROM schema_migrations WHERE component = $1", [component])
    }

    @Test func aFailingMigrationLeavesNoTrace() async throws {
        let db = StackEndpoints.postgres()
        let component = "test-\(UUID().uuidString.prefix(8).lowercased())"
        let broken = PostgresMigration(component: component, version: 1, name: "broken",
                                       sql: "CREATE TABLE test_broken_\(component.dropFirst(5)) (id int); SELECT nope;")
        await #expect(throws: PostgresError.self) { try await db.migrate([broken], logger: StackEndpoints.logger) }
        let applied = try await db.query("SELECT 1 FROM schema_migrations WHERE component = $1", [component])
        #expect(applied.isEmpty)
        let table = try await db.query("SELECT to_regclass($1) AS t", ["test_broken_\(component.dropFirst(5))"])
        #expect(table.first?["t"] == nil)
    }

    @Test func unreachableServerIsAConnectionFailure() async throws {
        let db = PostgresClient(url: "postgresql://synth@127.0.0.1:1/synth?connect_timeout=2")
        do {
            try await db.query("SELECT 1")
            Issue.record("query should fail")
        } catch let error as PostgresError {
            #expect(error.isConnectionFailure)
        }
    }
}
