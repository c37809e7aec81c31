extension ParquetWriter {
    /// Footer format version; 2 because data pages use RLE_DICTIONARY.
    static let formatVersion: Int32 = 2

    /// Writes every column chunk of the buffered rows contiguously and records the row group.
    func writeRowGroup() throws {
        guard bufferedRowCount > 0 else { return }
        let rowGroupOffset = sink.position
        var columnChunks: [ColumnChunk] = []
        for index in columnWriters.indices {
            let chunk = try columnWriters[index].finishChunk()
            columnChunks.append(try writeColumnChunk(chunk, column: columnWriters[index].column))
        }
        appendRowGroup(columnChunks, rowCount: bufferedRowCount, offset: rowGroupOffset)
        bufferedRowCount = 0
    }

    /// Writes a finished chunk's pages that are not in the file yet and returns its metadata.
    func writeColumnChunk(_ chunk: EncodedColumnChunk, column: ColumnDescriptor) throws -> ColumnChunk {
        let chunkOffset = chunk.streamedOffset ?? sink.position
        var dictionaryPageOffset: Int64?
        if let dictionaryPage = chunk.dictionaryPage {
            dictionaryPageOffset = chunkOffset
            try sink.write(dictionaryPage)
            dictionaryPageCount += 1
        }
        let dataPageOffset = chunk.streamedOffset ?? sink.position
        for piece in chunk.dataPages {
            try sink.write(piece)
        }
        dataPageCount += chunk.dataPageCount
        return ColumnChunk(
            fileOffset: chunkOffset,
            metaData: ColumnMetaData(
                type: column.leafType.physicalType,
                encodings: chunk.encodings,
                pathInSchema: column.path,
                codec: codec,
                valueCount: chunk.valueCount,
                totalUncompressedSize: chunk.totalUncompressedSize,
                totalCompressedSize: chunk.totalCompressedSize,
                dataPageOffset: dataPageOffset,
                dictionaryPageOffset: dictionaryPageOffset,
                statistics: chunk.statistics,
                encodingStats: chunk.encodingStats))
    }

    func appendRowGroup(_ columnChunks: [ColumnChunk], rowCount: Int, offset: Int64) {
        rowGroups.append(RowGroup(
            columns: columnChunks,
            totalByteSize: columnChunks.reduce(0) { $0 + $1.metaData.totalUncompressedSize },
            rowCount: Int64(rowCount),
            fileOffset: offset,
            totalCompressedSize: columnChunks.reduce(0) { $0 + $1.metaData.totalCompressedSize },
            ordinal: Int16(exactly: rowGroups.count)))
    }

    /// Footer: Thrift-encoded FileMetaData, its 4-byte little-endian length, then the magic.
    func writeFooter() throws {
        let metadata = FileMetaData(
            version: Self.formatVersion,
            schema: layout.elements,
            rowCount: rowCount,
            rowGroups: rowGroups,
            keyValueMetadata: keyValueMetadata.sorted { $0.key < $1.key }.map { KeyValue(key: $0.key, value: $0.value) },
            createdBy: options.createdBy,
            columnOrders: Array(repeating: ColumnOrder(), count: layout.columns.count))
        let footer = ThriftCompactWriter.serialize(metadata)
        var trailer: [UInt8] = []
        trailer.appendLittleEndian(UInt32(footer.count))
        trailer.append(contentsOf: Self.magic)
        try sink.write(footer)
        try sink.write(trailer)
    }
}
