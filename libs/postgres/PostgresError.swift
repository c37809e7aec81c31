/// A failed Postgres call. `sqlState` is the server's five-character code
/// (for example 23505 for a unique violation) when the server answered.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let sqlState: String?

    public init(_ message: String, sqlState: String? = nil) {
        self.message = message
        self.sqlState = sqlState
    }

    /// The connection, not the statement, failed: retrying on a new one may work.
    public var isConnectionFailure: Bool { sqlState == nil || sqlState!.hasPrefix("08") }

    public var description: String {
        sqlState.map { "postgres \($0): \(message)" } ?? "postgres: \(message)"
    }
}
