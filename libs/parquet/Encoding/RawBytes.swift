#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-wise (unsigned) comparison of raw buffers with memcmp, for byte-array statistics and
/// dictionary lookups, which would otherwise compare element by element through generics.
enum RawBytes {
    /// Negative, zero or positive as `lhs` sorts before, equal to or after `rhs`, byte-wise
    /// unsigned with a shorter prefix first (TYPE_ORDER for BYTE_ARRAY).
    static func compare(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
        let common = min(lhs.count, rhs.count)
        if common > 0 {
            let order = memcmp(lhs.baseAddress!, rhs.baseAddress!, common)
            if order != 0 { return Int(order) }
        }
        return lhs.count - rhs.count
    }

    static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        lhs.count == rhs.count && compare(lhs, rhs) == 0
    }
}
