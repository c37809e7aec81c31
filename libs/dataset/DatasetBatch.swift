import SynthParquet

/// Rows of one schema collected column-wise, for `ShardedDatasetWriter` to hand to
/// `ParquetWriter.write(columns:)`.
public protocol DatasetBatch {
    associatedtype Record
    init()
    var count: Int { get }
    /// About the memory the batch holds, so the writer can bound it.
    var estimatedByteCount: Int { get }
    mutating func append(_ record: Record)
    /// One column per top-level field of the schema, each with `count` slots.
    func columns() -> [ParquetColumn]
    mutating func removeAll()
}
