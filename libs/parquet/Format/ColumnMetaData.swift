/// Where a column chunk's pages are and what they contain.
struct ColumnMetaData: ThriftStruct {
    var type: PhysicalType
    var encodings: [Encoding]
    var pathInSchema: [String]
    var codec: CompressionCodec
    var valueCount: Int64
    /// Sizes include the page headers, as the specification requires.
    var totalUncompressedSize: Int64
    var totalCompressedSize: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
    var statistics: Statistics?
    var encodingStats: [PageEncodingStats]

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.writeEnum(field: 1, type)
        writer.writeEnumList(field: 2, encodings)
        writer.writeStringList(field: 3, pathInSchema)
        writer.writeEnum(field: 4, codec)
        writer.writeI64(field: 5, valueCount)
        writer.writeI64(field: 6, totalUncompressedSize)
        writer.writeI64(field: 7, totalCompressedSize)
        writer.writeI64(field: 9, dataPageOffset)
        if let dictionaryPageOffset { writer.writeI64(field: 11, dictionaryPageOffset) }
        if let statistics { writer.writeStruct(field: 12, statistics) }
        if !encodingStats.isEmpty { writer.writeStructList(field: 13, encodingStats) }
    }
}
