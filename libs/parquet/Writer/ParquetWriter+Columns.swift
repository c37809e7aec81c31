extension ParquetWriter {
    /// Rows shredded between two checks of a buffered row group's byte size.
    static let columnSliceRowCount = 4096

    /// Appends a batch of rows given column-wise: one `ParquetColumn` per top-level field, in
    /// schema order, all with the same number of slots.
    ///
    /// The whole batch is checked first; a batch that does not match the schema throws
    /// `ParquetWriterError.invalidValue` (or `.wrongFieldCount`), nothing of it is written and
    /// the writer stays usable.
    ///
    /// When no rows are buffered and the batch holds a whole row group, that row group is
    /// written column by column, as Arrow writes a table: each column chunk goes to the file as
    /// soon as it is encoded (pages of columns without a dictionary as soon as each page is
    /// full), so only one chunk is held in memory. Such a row group ends at `rowGroupRowLimit`
    /// rows or where the batch's own data (values, plus 4 bytes per string and list entry)
    /// reaches `rowGroupByteLimit`. Other rows are buffered as for `write(row:)`, with the byte
    /// size checked every 4,096 rows. Either way pages are cut at the same rows as when the
    /// rows are written one by one, so batches that stay below the byte limit give the very
    /// same file.
    public func write(columns: [ParquetColumn]) throws {
        try requireOpen()
        guard columns.count == layout.fields.count else {
            throw ParquetWriterError.wrongFieldCount(expected: layout.fields.count, actual: columns.count)
        }
        let batchRowCount = columns[0].count
        for (field, column) in zip(layout.fields, columns) {
            try field.validate(column: column, count: batchRowCount, path: field.name)
        }
        try failingPermanently {
            var start = 0
            while start < batchRowCount {
                if bufferedRowCount == 0, let rows = wholeRowGroupRowCount(columns, rows: start..<batchRowCount) {
                    try writeRowGroup(columns, rows: start..<(start + rows))
                    rowCount += Int64(rows)
                    start += rows
                    continue
                }
                let end = min(batchRowCount, start + min(Self.columnSliceRowCount, options.rowGroupRowLimit - bufferedRowCount))
                try columnWriters.withUnsafeMutableBufferPointer { writers in
                    for (field, column) in zip(layout.fields, columns) {
                        try ColumnShredder.forEachLeaf(of: field, column: column) { columnIndex, shredder in
                            try shredder.shred(rows: start..<end, into: &writers[columnIndex])
                        }
                    }
                }
                rowCount += Int64(end - start)
                bufferedRowCount += end - start
                if bufferedRowCount >= options.rowGroupRowLimit || bufferedByteCount >= options.rowGroupByteLimit {
                    try writeRowGroup()
                }
                start = end
            }
        }
    }

    /// How many rows from `rows.lowerBound` make a whole row group, or nil when the rest of the
    /// batch is smaller than a row group (those rows are buffered for the next batch to fill up).
    private func wholeRowGroupRowCount(_ columns: [ParquetColumn], rows: Range<Int>) -> Int? {
        let limit = min(rows.count, options.rowGroupRowLimit)
        func byteCount(_ count: Int) -> Int {
            var total = 0
            for (field, column) in zip(layout.fields, columns) {
                total += ColumnShredder.inputByteCount(of: field, column: column, rows: rows.lowerBound..<(rows.lowerBound + count))
            }
            return total
        }
        guard byteCount(limit) > options.rowGroupByteLimit else {
            return limit == options.rowGroupRowLimit ? limit : nil
        }
        // The largest row count within the byte limit (at least one row), by bisection.
        var fits = 1, tooMany = limit
        while tooMany - fits > 1 {
            let middle = (fits + tooMany) / 2
            if byteCount(middle) <= options.rowGroupByteLimit { fits = middle } else { tooMany = middle }
        }
        return fits
    }

    /// Writes `rows` of the batch as one row group, column chunk after column chunk.
    private func writeRowGroup(_ columns: [ParquetColumn], rows: Range<Int>) throws {
        let rowGroupOffset = sink.position
        var columnChunks: [ColumnChunk] = []
        try columnWriters.withUnsafeMutableBufferPointer { writers in
            for (field, column) in zip(layout.fields, columns) {
                try ColumnShredder.forEachLeaf(of: field, column: column) { columnIndex, shredder in
                    writers[columnIndex].streamSink = sink
                    defer { writers[columnIndex].streamSink = nil }
                    try shredder.shred(rows: rows, into: &writers[columnIndex])
                    let chunk = try writers[columnIndex].finishChunk()
                    columnChunks.append(try writeColumnChunk(chunk, column: writers[columnIndex].column))
                }
            }
        }
        appendRowGroup(columnChunks, rowCount: rows.count, offset: rowGroupOffset)
    }
}
