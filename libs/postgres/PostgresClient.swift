import Foundation
import Logging

/// A pool of libpq connections. Callers borrow one connection for a single
/// statement (`query`) or for a whole transaction (`transaction`).
public final class PostgresClient: @unchecked Sendable {
    // @unchecked: `idle` is only touched under `lock`, and a borrowed
    // connection is out of `idle` until it is returned.
    private let url: String
    private let lock = NSLock()
    private var idle: [PostgresConnection] = []
    private let maxIdle: Int

    public init(url: String, maxIdleConnections: Int = 8) {
        self.url = url
        self.maxIdle = maxIdleConnections
    }

    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) async throws -> PostgresRows {
        try await withConnection { try await $0.query(sql, parameters) }
    }

    /// Runs `body` inside BEGIN ... COMMIT on one connection; any error rolls back.
    public func transaction<R: Sendable>(_ body: (PostgresConnection) async throws -> R) async throws -> R {
        try await withConnection { connection in
            try await connection.query("BEGIN")
            do {
                let result = try await body(connection)
                try await connection.query("COMMIT")
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK")
                throw error
            }
        }
    }

    public func withConnection<R: Sendable>(_ body: (PostgresConnection) async throws -> R) async throws -> R {
        let pooled = lock.withLock { idle.popLast() }
        let url = self.url
        let connection: PostgresConnection
        if let pooled {
            connection = pooled
        } else {
            connection = try await PostgresConnection.onBlockingThread { try PostgresConnection(url: url) }
        }
        defer {
            if !connection.isBroken {
                lock.withLock { if idle.count < maxIdle { idle.append(connection) } }
            }
        }
        return try await body(connection)
    }

    /// Applies the migrations not yet applied, in version order, each in its own
    /// transaction; an advisory lock keeps replicas starting together from racing.
    public func migrate(_ migrations: [PostgresMigration], logger: Logger) async throws {
        try await withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(7240001)")
            do {
                try await applyPending(migrations, on: connection, logger: logger)
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(7240001)")
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(7240001)")
        }
    }

    private func applyPending(_ migrations: [PostgresMigration], on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                component text NOT NULL, version int NOT NULL, name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version))
            """)
        for migration in migrations.sorted(by: { ($0.component, $0.version) < ($1.component, $1.version) }) {
            let applied = try await connection.query(
                "SELECT 1 FROM schema_migrations WHERE component = $1 AND version = $2",
                [migration.component, String(migration.version)])
            if !applied.isEmpty { continue }
            try await connection.query("BEGIN")
            do {
                try await connection.execute(script: migration.sql)
                try await connection.query("INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)",
                                           [migration.component, String(migration.version), migration.name])
                try await connection.query("COMMIT")
            } catch {
                _ = try? await connection.query("ROLLBACK")
                throw PostgresError("migration \(migration.component)/\(migration.version) \(migration.name) failed: \(error)")
            }
            logger.info("migration_applied", metadata: ["component": "\(migration.component)", "version": "\(migration.version)"])
        }
    }
}
