/// Everything that can go wrong while writing a Parquet file.
public enum ParquetWriterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The schema cannot be written (empty, unnamed or duplicate fields, empty structs).
    case invalidSchema(String)
    /// An option is out of range (for example a zero page size).
    case invalidOptions(String)
    /// A row did not have one value per top-level column; nothing was written.
    case wrongFieldCount(expected: Int, actual: Int)
    /// A value does not match the schema; `column` is a path such as
    /// `messages[2].tool_calls[0].function.name`. Nothing of the row was written.
    case invalidValue(column: String, reason: String)
    /// `write` or `close` was called after `close()`.
    case writerClosed
    /// An earlier I/O error left the file in an unknown state; the writer refuses further work.
    case writerFailed(String)
    /// The operating system refused to create, write or close the file.
    case io(path: String, reason: String)
    /// The compression library refused a page.
    case compressionFailed(codec: String, reason: String)

    public var description: String {
        switch self {
        case .invalidSchema(let reason): "invalid Parquet schema: \(reason)"
        case .invalidOptions(let reason): "invalid Parquet writer options: \(reason)"
        case .wrongFieldCount(let expected, let actual):
            "row has \(actual) values but the schema has \(expected) columns"
        case .invalidValue(let column, let reason): "invalid value for column '\(column)': \(reason)"
        case .writerClosed: "the Parquet writer is already closed"
        case .writerFailed(let reason): "the Parquet writer failed earlier and cannot continue: \(reason)"
        case .io(let path, let reason): "I/O error on \(path): \(reason)"
        case .compressionFailed(let codec, let reason): "\(codec) compression failed: \(reason)"
        }
    }
}
