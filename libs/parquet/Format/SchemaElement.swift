/// One node of the flattened (depth-first) schema stored in the footer.
struct SchemaElement: ThriftStruct {
    var type: PhysicalType?
    var repetition: FieldRepetitionType?
    var name: String
    var childCount: Int32?
    var convertedType: ConvertedType?
    var logicalType: LogicalType?

    func writeFields(to writer: inout ThriftCompactWriter) {
        if let type { writer.writeEnum(field: 1, type) }
        if let repetition { writer.writeEnum(field: 3, repetition) }
        writer.writeString(field: 4, name)
        if let childCount { writer.writeI32(field: 5, childCount) }
        if let convertedType { writer.writeEnum(field: 6, convertedType) }
        if let logicalType { writer.writeStruct(field: 10, logicalType) }
    }
}
