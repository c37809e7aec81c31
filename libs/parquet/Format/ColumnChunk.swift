/// A column chunk entry of a row group; its metadata lives in the footer, not next to the data.
struct ColumnChunk: ThriftStruct {
    /// Offset of the chunk's first page (the field's original meaning is obsolete; writers
    /// conventionally store the chunk start here).
    var fileOffset: Int64
    var metaData: ColumnMetaData

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.writeI64(field: 2, fileOffset)
        writer.writeStruct(field: 3, metaData)
    }
}
