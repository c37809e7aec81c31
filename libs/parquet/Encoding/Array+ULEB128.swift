extension Array where Element == UInt8 {
    /// Appends an unsigned LEB128 varint: used by Thrift compact integers and RLE run headers.
    mutating func appendULEB128(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        append(UInt8(remaining))
    }
}
