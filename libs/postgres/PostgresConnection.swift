import CLibPQ
import Foundation

/// One blocking libpq connection. Used by one caller at a time (the pool
/// guarantees it); every call runs on a dispatch thread, never on Swift's
/// cooperative pool.
public final class PostgresConnection: @unchecked Sendable {
    private var connection: OpaquePointer?

    init(url: String) throws {
        guard let connection = PQconnectdb(url) else { throw PostgresError("cannot allocate a connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(connection)
            throw PostgresError("cannot connect: \(message)")
        }
        self.connection = connection
        // Notices (e.g. "relation already exists, skipping") would go to stderr
        // and break our JSON-lines logs.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
    }

    deinit {
        if let connection { PQfinish(connection) }
    }

    var isBroken: Bool { connection == nil || PQstatus(connection) != CONNECTION_OK }

    /// Runs one statement with text parameters ($1, $2, ...); nil binds NULL.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) async throws -> PostgresRows {
        try await PostgresConnection.onBlockingThread { try self.querySync(sql, parameters) }
    }

    /// Runs several statements separated by semicolons, without parameters.
    public func execute(script sql: String) async throws {
        _ = try await PostgresConnection.onBlockingThread { try self.querySync(sql, nil) }
    }

    func querySync(_ sql: String, _ parameters: [String?]?) throws -> PostgresRows {
        guard let connection else { throw PostgresError("connection closed") }
        let result: OpaquePointer?
        if let parameters {
            let cStrings = parameters.map { $0.flatMap { strdup($0) } }
            defer { cStrings.forEach { free($0) } }
            var pointers: [UnsafePointer<CChar>?] = cStrings.map { $0.map { UnsafePointer($0) } }
            result = pointers.withUnsafeMutableBufferPointer {
                PQexecParams(connection, sql, Int32(parameters.count), nil, $0.baseAddress, nil, nil, 0)
            }
        } else {
            result = PQexec(connection, sql)
        }
        guard let result else {
            throw PostgresError(String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return Self.rows(result)
        default:
            let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            throw PostgresError(message, sqlState: state)
        }
    }

    private static func rows(_ result: OpaquePointer) -> PostgresRows {
        let columnCount = PQnfields(result), rowCount = PQntuples(result)
        let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        var values: [[String?]] = []
        values.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            values.append((0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, values: values, affectedRows: affected)
    }

    static let blockingQueue = DispatchQueue(label: "synth.postgres", attributes: .concurrent)

    static func onBlockingThread<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            blockingQueue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
