import SynthPostgres

extension PostgresClient {
    /// Runs a whole-table aggregate (stats, monitor breakdowns) with hash or
    /// merge joins only, under a time limit.
    ///
    /// Why: on statistics taken while a table held few live rows among many
    /// dead ones (a bulk delete before autovacuum), a later bulk insert leaves
    /// the planner estimating about a hundred rows where there are 100,000.
    /// It then picks a nested loop whose inner side is a re-scanned
    /// materialized join: quadratic. A monitor query planned that way ran for
    /// 32 minutes at full CPU on a 100,000-row test database. A query that
    /// reads every row anyway loses nothing with hash joins, and the timeout
    /// bounds whatever else a stale plan could do.
    func aggregate(_ sql: String, timeoutSeconds: Int = 30) async throws -> PostgresRows {
        try await transaction { connection in
            _ = try await connection.query("SET LOCAL enable_nestloop = off")
            _ = try await connection.query("SET LOCAL statement_timeout = '\(timeoutSeconds)s'")
            return try await connection.query(sql)
        }
    }
}
