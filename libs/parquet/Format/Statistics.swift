/// Column chunk statistics. Only the `min_value`/`max_value` fields are written (never the
/// deprecated `min`/`max`, whose byte-array ordering was signed in old writers).
struct Statistics: ThriftStruct {
    var nullCount: Int64
    var maxValue: [UInt8]?
    var minValue: [UInt8]?
    /// Must be present for FLOAT and DOUBLE columns, absent otherwise.
    var nanCount: Int64?

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.writeI64(field: 3, nullCount)
        if let maxValue { writer.writeBinary(field: 5, maxValue) }
        if let minValue { writer.writeBinary(field: 6, minValue) }
        if let nanCount { writer.writeI64(field: 9, nanCount) }
    }
}
