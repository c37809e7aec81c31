/// The footer: schema, row groups and file-level metadata.
struct FileMetaData: ThriftStruct {
    var version: Int32
    var schema: [SchemaElement]
    var rowCount: Int64
    var rowGroups: [RowGroup]
    var keyValueMetadata: [KeyValue]
    var createdBy: String
    var columnOrders: [ColumnOrder]

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.writeI32(field: 1, version)
        writer.writeStructList(field: 2, schema)
        writer.writeI64(field: 3, rowCount)
        writer.writeStructList(field: 4, rowGroups)
        if !keyValueMetadata.isEmpty { writer.writeStructList(field: 5, keyValueMetadata) }
        writer.writeString(field: 6, createdBy)
        writer.writeStructList(field: 7, columnOrders)
    }
}
