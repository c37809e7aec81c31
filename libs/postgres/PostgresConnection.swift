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

    /// Runs one statement with text parameters and returns every value in
    /// binary format, as bytes: a bytea arrives as itself instead of twice its
    /// size in hex, text as its UTF-8, an int8 as 8 big-endian bytes.
    public func queryBytes(_ sql: String, _ parameters: [String?] = []) async throws -> [[[UInt8]?]] {
        try await PostgresConnection.onBlockingThread { try self.querySync(sql, parameters, binaryResults: true).binary }
    }

    /// Runs one statement with parameters in binary format ($1, $2, ... as bytes, each read by
    /// its type's binary input, e.g. `PostgresBinaryArray.bytes` for an array, or a version
    /// byte and the JSON text for a jsonb); nil binds NULL. The bytes go to libpq as they are:
    /// no String, no UTF-8 check, no copy (a batch of rows is megabytes).
    @discardableResult
    public func query(_ sql: String, binary parameters: [[UInt8]?]) async throws -> PostgresRows {
        try await PostgresConnection.onBlockingThread { try self.binaryQuerySync(sql, parameters) }
    }

    /// Runs several statements separated by semicolons, without parameters.
    public func execute(script sql: String) async throws {
        _ = try await PostgresConnection.onBlockingThread { try self.querySync(sql, nil) }
    }

    /// Runs `COPY ... FROM STDIN` with `data` as its input (for example
    /// `PostgresBinaryCopy.finished()` for `(FORMAT binary)`); returns the rows copied.
    @discardableResult
    public func copy(_ sql: String, data: [UInt8]) async throws -> Int {
        try await PostgresConnection.onBlockingThread { try self.copySync(sql, data) }
    }

    func copySync(_ sql: String, _ data: [UInt8]) throws -> Int {
        guard let connection else { throw PostgresError("connection closed") }
        guard let start = PQexec(connection, sql) else { throw lastError(connection) }
        let started = PQresultStatus(start) == PGRES_COPY_IN
        let startError = started ? nil : Self.error(start)
        PQclear(start)
        if let startError { throw startError }
        // The connection is blocking: PQputCopyData queues or sends all of it.
        let sent = data.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { PQputCopyData(connection, $0, Int32(buffer.count)) }
            } ?? 1
        }
        if sent != 1 {
            // Ends the COPY with an error, so the server rolls it back and the connection stays usable.
            _ = PQputCopyEnd(connection, "client could not send the COPY data")
        } else if PQputCopyEnd(connection, nil) != 1 {
            throw lastError(connection)
        }
        var failure: PostgresError?
        var copied = 0
        while let result = PQgetResult(connection) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                copied = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if failure == nil {
                failure = Self.error(result)
            }
            PQclear(result)
        }
        if let failure { throw failure }
        if sent != 1 { throw lastError(connection) }
        return copied
    }

    private func lastError(_ connection: OpaquePointer) -> PostgresError {
        PostgresError(String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func error(_ result: OpaquePointer) -> PostgresError {
        let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        return PostgresError(message, sqlState: state)
    }

    func querySync(_ sql: String, _ parameters: [String?]?) throws -> PostgresRows {
        try querySync(sql, parameters, binaryResults: false).text
    }

    private func querySync(_ sql: String, _ parameters: [String?]?, binaryResults: Bool) throws -> (text: PostgresRows, binary: [[[UInt8]?]]) {
        guard let connection else { throw PostgresError("connection closed") }
        let result: OpaquePointer?
        if let parameters {
            let cStrings = parameters.map { $0.flatMap { strdup($0) } }
            defer { cStrings.forEach { free($0) } }
            var pointers: [UnsafePointer<CChar>?] = cStrings.map { $0.map { UnsafePointer($0) } }
            result = pointers.withUnsafeMutableBufferPointer {
                PQexecParams(connection, sql, Int32(parameters.count), nil, $0.baseAddress, nil, nil, binaryResults ? 1 : 0)
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
            return binaryResults ? (PostgresRows(columns: [], values: [], affectedRows: 0), Self.binaryRows(result)) : (Self.rows(result), [])
        default:
            throw Self.error(result)
        }
    }

    private func binaryQuerySync(_ sql: String, _ parameters: [[UInt8]?]) throws -> PostgresRows {
        guard let connection else { throw PostgresError("connection closed") }
        var values: [UnsafePointer<CChar>?] = [], lengths: [Int32] = []
        let formats = [Int32](repeating: 1, count: parameters.count)
        // Every parameter's buffer stays pinned (nested closures) until PQexecParams returns.
        func pinned(_ index: Int) -> OpaquePointer? {
            guard index < parameters.count else {
                return PQexecParams(connection, sql, Int32(parameters.count), nil, values, lengths, formats, 0)
            }
            guard let parameter = parameters[index] else {
                values.append(nil)
                lengths.append(0)
                return pinned(index + 1)
            }
            return parameter.withUnsafeBufferPointer { buffer in
                // An empty value still needs a non-NULL pointer (NULL would bind SQL NULL).
                let empty: CChar = 0
                return withUnsafePointer(to: empty) { emptyPointer in
                    let base = buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? emptyPointer
                    values.append(base)
                    lengths.append(Int32(buffer.count))
                    return pinned(index + 1)
                }
            }
        }
        guard let result = pinned(0) else { throw lastError(connection) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return Self.rows(result)
        default:
            throw Self.error(result)
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

    private static func binaryRows(_ result: OpaquePointer) -> [[[UInt8]?]] {
        let columnCount = PQnfields(result), rowCount = PQntuples(result)
        var values: [[[UInt8]?]] = []
        values.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            values.append((0..<columnCount).map { column in
                guard PQgetisnull(result, row, column) == 0, let value = PQgetvalue(result, row, column) else { return nil }
                let length = Int(PQgetlength(result, row, column))
                return value.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
            })
        }
        return values
    }

    static let blockingQueue = DispatchQueue(label: "synth.postgres", attributes: .concurrent)

    static func onBlockingThread<R: Sendable>(_ body: @escaping @Sendable () throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            blockingQueue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
