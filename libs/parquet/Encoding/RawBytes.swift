#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-wise (unsigned) comparison of raw buffers, for byte-array statistics and dictionary
/// lookups, which would otherwise compare element by element through generics. The first
/// eight bytes are compared as one big-endian word, which decides most comparisons without a
/// call to `memcmp`.
enum RawBytes {
    /// Negative, zero or positive as `lhs` sorts before, equal to or after `rhs`, byte-wise
    /// unsigned with a shorter prefix first (TYPE_ORDER for BYTE_ARRAY).
    @inline(__always)
    static func compare(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
        let common = min(lhs.count, rhs.count)
        if common >= 8 {
            let left = UInt64(bigEndian: lhs.baseAddress!.loadUnaligned(as: UInt64.self))
            let right = UInt64(bigEndian: rhs.baseAddress!.loadUnaligned(as: UInt64.self))
            if left != right { return left < right ? -1 : 1 }
        }
        if common > 0 {
            let order = memcmp(lhs.baseAddress!, rhs.baseAddress!, common)
            if order != 0 { return Int(order) }
        }
        return lhs.count - rhs.count
    }

    @inline(__always)
    static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.count >= 8 {
            let left = lhs.baseAddress!.loadUnaligned(as: UInt64.self)
            let right = rhs.baseAddress!.loadUnaligned(as: UInt64.self)
            if left != right { return false }
        }
        return lhs.count == 0 || memcmp(lhs.baseAddress!, rhs.baseAddress!, lhs.count) == 0
    }
}
