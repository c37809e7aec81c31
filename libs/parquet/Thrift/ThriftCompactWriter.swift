/// Serialises Parquet metadata with the Thrift compact protocol
/// (https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md).
///
/// Only the subset the footer and page headers use is implemented: i16/i32/i64, bool,
/// binary/string, nested structs and lists of structs, strings and enums.
struct ThriftCompactWriter {
    private(set) var bytes: [UInt8] = []
    /// Field ids are delta-encoded against the previous field of the same struct.
    private var lastFieldID: Int16 = 0

    /// Returns the compact-protocol bytes of `value`, including its closing STOP byte.
    static func serialize(_ value: some ThriftStruct) -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.writeStructBody(value)
        return writer.bytes
    }

    mutating func writeI16(field id: Int16, _ value: Int16) {
        writeFieldHeader(id, .i16)
        bytes.appendULEB128(zigZag(Int64(value)))
    }

    mutating func writeI32(field id: Int16, _ value: Int32) {
        writeFieldHeader(id, .i32)
        bytes.appendULEB128(zigZag(Int64(value)))
    }

    mutating func writeI64(field id: Int16, _ value: Int64) {
        writeFieldHeader(id, .i64)
        bytes.appendULEB128(zigZag(value))
    }

    /// Booleans live in the field header's type nibble; there is no value byte.
    mutating func writeBool(field id: Int16, _ value: Bool) {
        writeFieldHeader(id, value ? .booleanTrue : .booleanFalse)
    }

    mutating func writeBinary(field id: Int16, _ value: [UInt8]) {
        writeFieldHeader(id, .binary)
        appendBinary(value)
    }

    mutating func writeString(field id: Int16, _ value: String) {
        writeBinary(field: id, Array(value.utf8))
    }

    mutating func writeEnum(field id: Int16, _ value: some ThriftEnum) {
        writeI32(field: id, value.rawValue)
    }

    mutating func writeStruct(field id: Int16, _ value: some ThriftStruct) {
        writeFieldHeader(id, .structure)
        writeStructBody(value)
    }

    mutating func writeStructList(field id: Int16, _ values: [some ThriftStruct]) {
        writeFieldHeader(id, .list)
        writeListHeader(count: values.count, elementType: .structure)
        for value in values {
            writeStructBody(value)
        }
    }

    mutating func writeStringList(field id: Int16, _ values: [String]) {
        writeFieldHeader(id, .list)
        writeListHeader(count: values.count, elementType: .binary)
        for value in values {
            appendBinary(Array(value.utf8))
        }
    }

    mutating func writeEnumList<Value: ThriftEnum>(field id: Int16, _ values: [Value]) {
        writeFieldHeader(id, .list)
        writeListHeader(count: values.count, elementType: .i32)
        for value in values {
            bytes.appendULEB128(zigZag(Int64(value.rawValue)))
        }
    }

    // MARK: - Encoding primitives

    private mutating func writeStructBody(_ value: some ThriftStruct) {
        // Field-id deltas restart inside every nested struct.
        let enclosingFieldID = lastFieldID
        lastFieldID = 0
        value.writeFields(to: &self)
        bytes.append(0)  // STOP
        lastFieldID = enclosingFieldID
    }

    private mutating func writeFieldHeader(_ id: Int16, _ type: ThriftCompactType) {
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            bytes.appendULEB128(zigZag(Int64(id)))
        }
        lastFieldID = id
    }

    private mutating func writeListHeader(count: Int, elementType: ThriftCompactType) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            bytes.appendULEB128(UInt64(count))
        }
    }

    private mutating func appendBinary(_ value: [UInt8]) {
        bytes.appendULEB128(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    private func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}
