/// The part of `ParquetWriterOptions` a single column writer needs.
struct ColumnWriterSettings: Sendable {
    var pageByteLimit: Int
    var pageRowLimit: Int
    var dictionaryEncoding: Bool
    var dictionaryByteLimit: Int
    var writeStatistics: Bool
    var statisticsValueByteLimit: Int
    var compressor: any PageCompressor

    init(options: ParquetWriterOptions) {
        pageByteLimit = options.pageByteLimit
        pageRowLimit = options.pageRowLimit
        dictionaryEncoding = options.dictionaryEncoding
        dictionaryByteLimit = options.dictionaryByteLimit
        writeStatistics = options.writeStatistics
        statisticsValueByteLimit = options.statisticsValueByteLimit
        compressor = options.compression.makeCompressor()
    }
}
