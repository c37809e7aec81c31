/// The rows a statement returned, in text format, with their column names.
public struct PostgresRows: Sendable, Sequence {
    public let columns: [String]
    public let values: [[String?]]
    /// Rows changed by an INSERT / UPDATE / DELETE.
    public let affectedRows: Int

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }
    public var first: PostgresRow? { values.first.map { PostgresRow(columns: columns, values: $0) } }

    public func makeIterator() -> AnyIterator<PostgresRow> {
        var index = 0
        return AnyIterator {
            guard index < values.count else { return nil }
            defer { index += 1 }
            return PostgresRow(columns: columns, values: values[index])
        }
    }
}

/// One row; values are looked up by column name.
public struct PostgresRow: Sendable {
    public let columns: [String]
    public let values: [String?]

    /// For callers that hold a row's text values already (tests and benchmarks of row decoding).
    public init(columns: [String], values: [String?]) {
        self.columns = columns
        self.values = values
    }

    public subscript(_ column: String) -> String? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        return values[index]
    }

    public func int(_ column: String) -> Int? { self[column].flatMap { Int($0) } }
    public func double(_ column: String) -> Double? { self[column].flatMap { Double($0) } }
    public func bool(_ column: String) -> Bool? { self[column].map { $0 == "t" || $0 == "true" } }
}
