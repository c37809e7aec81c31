extension Array where Element == UInt8 {
    /// Appends a BYTE_ARRAY value in PLAIN encoding: a 4-byte little-endian length, then the bytes.
    mutating func appendPlainByteArray(_ value: UnsafeRawBufferPointer) {
        appendLittleEndian(UInt32(value.count))
        append(contentsOf: value)
    }
}
