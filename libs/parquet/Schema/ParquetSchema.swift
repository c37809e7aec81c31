/// The top-level columns of a Parquet file, in the order rows supply their values.
public struct ParquetSchema: Sendable, Hashable {
    public var fields: [ParquetField]

    public init(fields: [ParquetField]) {
        self.fields = fields
    }
}
