/// Footer entry describing one row group.
struct RowGroup: ThriftStruct {
    var columns: [ColumnChunk]
    var totalByteSize: Int64
    var rowCount: Int64
    var fileOffset: Int64
    var totalCompressedSize: Int64
    var ordinal: Int16?

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.writeStructList(field: 1, columns)
        writer.writeI64(field: 2, totalByteSize)
        writer.writeI64(field: 3, rowCount)
        writer.writeI64(field: 5, fileOffset)
        writer.writeI64(field: 6, totalCompressedSize)
        if let ordinal { writer.writeI16(field: 7, ordinal) }
    }
}
