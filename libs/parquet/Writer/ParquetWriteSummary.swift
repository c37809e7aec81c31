/// What `ParquetWriter.close()` wrote, for logging and sanity checks.
public struct ParquetWriteSummary: Sendable, Hashable {
    public var rowCount: Int64
    public var rowGroupCount: Int
    public var dataPageCount: Int
    public var dictionaryPageCount: Int
    /// Size of the finished file, footer included.
    public var fileByteCount: Int64
}
