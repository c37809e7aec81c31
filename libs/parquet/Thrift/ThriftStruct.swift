/// A Parquet metadata struct that knows how to write its fields with the Thrift compact protocol.
///
/// Only encoding is needed: the writer never reads metadata back, so there is no decoding side.
protocol ThriftStruct {
    /// Writes the struct's fields in ascending field-id order; the caller writes the STOP byte.
    func writeFields(to writer: inout ThriftCompactWriter)
}

/// A Thrift enum: Parquet enums are sent as i32 values.
protocol ThriftEnum: RawRepresentable where RawValue == Int32 {}

/// Thrift structs with no fields, used by Parquet as markers (`StringType`, `TypeDefinedOrder`, ...).
struct EmptyThriftStruct: ThriftStruct {
    func writeFields(to writer: inout ThriftCompactWriter) {}
}
