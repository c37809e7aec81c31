/// Tuning knobs for `ParquetWriter`. The defaults suit datasets read by pyarrow, DuckDB and Spark.
public struct ParquetWriterOptions: Sendable, Hashable {
    public var compression: ParquetCompression
    /// A row group is written once it holds this many rows...
    public var rowGroupRowLimit: Int
    /// ...or once its encoded pages reach about this many bytes. Rows are buffered (encoded) in
    /// memory until their row group is written, so this bounds the writer's memory use.
    public var rowGroupByteLimit: Int
    /// A data page is finished once its encoded levels and values reach about this many bytes...
    public var pageByteLimit: Int
    /// ...or once it holds this many rows. Pages always end on a row boundary.
    public var pageRowLimit: Int
    /// Dictionary-encode string and binary columns when that is smaller than PLAIN.
    public var dictionaryEncoding: Bool
    /// A column chunk's dictionary stops growing at about this size; later pages of the chunk
    /// fall back to PLAIN.
    public var dictionaryByteLimit: Int
    /// Write min/max/null-count statistics for every column chunk.
    public var writeStatistics: Bool
    /// Byte-array min/max values longer than this are left out of the statistics (the null
    /// count is still written) so that long texts do not bloat the footer.
    public var statisticsValueByteLimit: Int
    /// Recorded in the footer's `created_by`; readers use it to identify the writer.
    public var createdBy: String
    /// Application metadata stored in the footer; `ParquetWriter.setMetadata` can add more.
    public var keyValueMetadata: [String: String]

    public init(
        compression: ParquetCompression = .uncompressed,
        rowGroupRowLimit: Int = 1_000_000,
        rowGroupByteLimit: Int = 64 * 1024 * 1024,
        pageByteLimit: Int = 1024 * 1024,
        pageRowLimit: Int = 20_000,
        dictionaryEncoding: Bool = true,
        dictionaryByteLimit: Int = 1024 * 1024,
        writeStatistics: Bool = true,
        statisticsValueByteLimit: Int = 4096,
        createdBy: String = "synth-parquet version 1.0.0",
        keyValueMetadata: [String: String] = [:]
    ) {
        self.compression = compression
        self.rowGroupRowLimit = rowGroupRowLimit
        self.rowGroupByteLimit = rowGroupByteLimit
        self.pageByteLimit = pageByteLimit
        self.pageRowLimit = pageRowLimit
        self.dictionaryEncoding = dictionaryEncoding
        self.dictionaryByteLimit = dictionaryByteLimit
        self.writeStatistics = writeStatistics
        self.statisticsValueByteLimit = statisticsValueByteLimit
        self.createdBy = createdBy
        self.keyValueMetadata = keyValueMetadata
    }

    func validate() throws {
        let limits = [
            ("rowGroupRowLimit", rowGroupRowLimit), ("rowGroupByteLimit", rowGroupByteLimit),
            ("pageByteLimit", pageByteLimit), ("pageRowLimit", pageRowLimit),
            ("dictionaryByteLimit", dictionaryByteLimit), ("statisticsValueByteLimit", statisticsValueByteLimit),
        ]
        for (name, value) in limits where value <= 0 {
            throw ParquetWriterError.invalidOptions("\(name) must be positive, got \(value)")
        }
    }
}
