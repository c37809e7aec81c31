extension ParquetWriter {
    /// Footer format version; 2 because data pages use RLE_DICTIONARY.
    static let formatVersion: Int32 = 2

    /// Writes every column chunk of the buffered rows contiguously and records the row group.
    func writeRowGroup() throws {
        guard bufferedRowCount > 0 else { return }
        let rowGroupOffset = sink.position
        var columnChunks: [ColumnChunk] = []
        var totalUncompressedSize: Int64 = 0
        var totalCompressedSize: Int64 = 0

        for index in columnWriters.indices {
            let chunk = try columnWriters[index].finishChunk()
            let chunkOffset = sink.position
            var dictionaryPageOffset: Int64?
            if let dictionaryPage = chunk.dictionaryPage {
                dictionaryPageOffset = chunkOffset
                try sink.write(dictionaryPage)
                dictionaryPageCount += 1
            }
            let dataPageOffset = sink.position
            for piece in chunk.dataPages {
                try sink.write(piece)
            }
            dataPageCount += chunk.dataPageCount
            totalUncompressedSize += chunk.totalUncompressedSize
            totalCompressedSize += chunk.totalCompressedSize

            let column = columnWriters[index].column
            columnChunks.append(ColumnChunk(
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
                    encodingStats: chunk.encodingStats)))
        }

        rowGroups.append(RowGroup(
            columns: columnChunks,
            totalByteSize: totalUncompressedSize,
            rowCount: Int64(bufferedRowCount),
            fileOffset: rowGroupOffset,
            totalCompressedSize: totalCompressedSize,
            ordinal: Int16(exactly: rowGroups.count)))
        bufferedRowCount = 0
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
