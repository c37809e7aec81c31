extension Array where Element == UInt8 {
    /// Appends a fixed-width integer in little-endian byte order, as PLAIN encoding requires.
    mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Appends the low `byteCount` bytes of `value`, little-endian (RLE run values use
    /// round-up-to-next-byte(bit-width) bytes, not a full word).
    mutating func appendLittleEndian(_ value: UInt64, byteCount: Int) {
        for byteIndex in 0..<byteCount {
            append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(byteIndex))))
        }
    }

    /// Overwrites four bytes at `offset` with a little-endian UInt32, used to back-fill length prefixes.
    mutating func setLittleEndian(_ value: UInt32, at offset: Int) {
        for byteIndex in 0..<4 {
            self[offset + byteIndex] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(byteIndex)))
        }
    }
}
