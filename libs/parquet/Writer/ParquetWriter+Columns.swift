extension ParquetWriter {
    /// Rows shredded between two checks of the row group's byte size. Row counts are exact;
    /// the byte limit is checked per slice rather than per row, because columns are shredded
    /// one after the other.
    static let columnSliceRowCount = 4096

    /// Appends a batch of rows given column-wise: one `ParquetColumn` per top-level field, in
    /// schema order, all with the same number of slots.
    ///
    /// The whole batch is checked first; a batch that does not match the schema throws
    /// `ParquetWriterError.invalidValue` (or `.wrongFieldCount`), nothing of it is written and
    /// the writer stays usable. The file is the same as writing the rows one by one, except that
    /// a row group may close up to one slice (4,096 rows) past `rowGroupByteLimit`.
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
}
