/// Streams rows into a Parquet file.
///
/// Rows are validated, shredded into leaf columns and encoded into pages as they arrive; a row
/// group is written to disk whenever it reaches `rowGroupRowLimit` rows or about
/// `rowGroupByteLimit` bytes, so memory stays bounded however many rows are written.
/// `close()` writes the footer; a file that was never closed has no footer and is unreadable.
///
/// Not thread-safe: use one writer from one task (or actor) at a time.
///
/// ```swift
/// let schema = ParquetSchema(fields: [
///     ParquetField(name: "id", type: .int64, nullable: false),
///     ParquetField(name: "tags", type: .list(of: .string)),
/// ])
/// let writer = try ParquetWriter(path: "/tmp/out.parquet", schema: schema)
/// try writer.write(row: [.int64(1), .list([.string("a"), .null])])
/// try writer.close()
/// ```
public final class ParquetWriter {
    static let magic: [UInt8] = Array("PAR1".utf8)

    enum State {
        case open
        case closed
        case failed(String)
    }

    public let schema: ParquetSchema
    public let options: ParquetWriterOptions
    public var path: String { sink.path }
    /// Rows accepted so far, including rows still buffered in the open row group.
    public internal(set) var rowCount: Int64 = 0

    let layout: SchemaLayout
    let sink: FileSink
    var columnWriters: [ColumnChunkWriter]
    let codec: CompressionCodec
    var keyValueMetadata: [String: String]
    var rowGroups: [RowGroup] = []
    var bufferedRowCount = 0
    var dataPageCount = 0
    var dictionaryPageCount = 0
    var state = State.open

    /// Creates (or truncates) the file at `path` and writes the leading magic bytes.
    public init(path: String, schema: ParquetSchema, options: ParquetWriterOptions = ParquetWriterOptions()) throws {
        try options.validate()
        self.schema = schema
        self.options = options
        layout = try SchemaLayout(schema: schema)
        let settings = ColumnWriterSettings(options: options)
        codec = settings.compressor.codec
        columnWriters = layout.columns.map { ColumnChunkWriter(column: $0, settings: settings) }
        keyValueMetadata = options.keyValueMetadata
        sink = try FileSink(path: path)
        do {
            try sink.write(Self.magic)
        } catch {
            try? sink.close()
            throw error
        }
    }

    deinit {
        // An abandoned writer still releases its file descriptor; the file stays footer-less.
        if case .open = state {
            try? sink.close()
        }
    }

    /// Appends one row: one value per top-level field, in schema order.
    ///
    /// A row that does not match the schema throws `ParquetWriterError.invalidValue` (or
    /// `.wrongFieldCount`) and is not written; the writer stays usable.
    public func write(row: [ParquetValue]) throws {
        try requireOpen()
        guard row.count == layout.fields.count else {
            throw ParquetWriterError.wrongFieldCount(expected: layout.fields.count, actual: row.count)
        }
        for (field, value) in zip(layout.fields, row) {
            // The fast check builds no column paths; only a bad row pays for the detailed walk.
            if !field.accepts(value) { try field.validate(value, path: field.name) }
        }
        try failingPermanently {
            for (field, value) in zip(layout.fields, row) {
                field.shred(value, repetitionLevel: 0, into: &columnWriters)
            }
            for index in columnWriters.indices {
                try columnWriters[index].endRow()
            }
            rowCount += 1
            bufferedRowCount += 1
            if bufferedRowCount >= options.rowGroupRowLimit || bufferedByteCount >= options.rowGroupByteLimit {
                try writeRowGroup()
            }
        }
    }

    /// Appends rows in order; stops at the first invalid row (earlier rows are kept).
    public func write(rows: some Sequence<[ParquetValue]>) throws {
        for row in rows {
            try write(row: row)
        }
    }

    /// Adds or replaces a footer key/value pair; useful for facts known only at the end.
    public func setMetadata(_ value: String, forKey key: String) {
        keyValueMetadata[key] = value
    }

    /// Writes the buffered rows as a row group now (for example at a logical boundary).
    /// Does nothing when no rows are buffered.
    public func flushRowGroup() throws {
        try requireOpen()
        try failingPermanently {
            try writeRowGroup()
        }
    }

    /// Writes the last row group and the footer and closes the file.
    @discardableResult
    public func close() throws -> ParquetWriteSummary {
        try requireOpen()
        try failingPermanently {
            try writeRowGroup()
            try writeFooter()
            try sink.close()
        }
        state = .closed
        return ParquetWriteSummary(
            rowCount: rowCount, rowGroupCount: rowGroups.count, dataPageCount: dataPageCount,
            dictionaryPageCount: dictionaryPageCount, fileByteCount: sink.position)
    }

    var bufferedByteCount: Int {
        // Through a buffer pointer: iterating the array would copy (and retain the buffers of) every writer.
        columnWriters.withUnsafeBufferPointer { writers in
            var total = 0
            for index in writers.indices {
                total += writers[index].estimatedBufferedByteCount
            }
            return total
        }
    }

    func requireOpen() throws {
        switch state {
        case .open: return
        case .closed: throw ParquetWriterError.writerClosed
        case .failed(let reason): throw ParquetWriterError.writerFailed(reason)
        }
    }

    /// Runs work that leaves the file inconsistent if it fails halfway; after such a failure
    /// the writer refuses everything rather than produce a corrupt file.
    func failingPermanently(_ work: () throws -> Void) throws {
        do {
            try work()
        } catch {
            state = .failed(String(describing: error))
            try? sink.close()
            throw error
        }
    }
}
