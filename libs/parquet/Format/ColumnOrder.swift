/// The `ColumnOrder` union. Writing `TYPE_ORDER` for every leaf tells readers that
/// `min_value`/`max_value` follow the type's natural order (unsigned bytes for strings).
struct ColumnOrder: ThriftStruct {
    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.writeStruct(field: 1, EmptyThriftStruct())  // TYPE_ORDER
    }
}
