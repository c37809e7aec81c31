extension Array where Element == UInt8 {
    /// Appends a fixed-width integer in little-endian byte order, as PLAIN encoding requires.
    mutating func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
