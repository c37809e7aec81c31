#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-wise (unsigned) comparison of raw buffers, for byte-array statistics and dictionary
/// lookups, which would otherwise compare element by element through generics. Values of up
/// to 16 bytes (ids, roles, names: most dictionary hits) are compared as two words without a
/// call to `memcmp`; longer ones compare their first word inline, which decides most orderings.
enum RawBytes {
    /// Negative, zero or positive as `lhs` sorts before, equal to or after `rhs`, byte-wise
    /// unsigned with a shorter prefix first (TYPE_ORDER for BYTE_ARRAY).
    @inline(__always)
    static func compare(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
        let common = min(lhs.count, rhs.count)
        if common >= 8 {
            let order = compareWords(lhs.baseAddress!, rhs.baseAddress!, at: 0)
            if order != 0 { return order }
            if common <= 16 {
                // The second word overlaps the first; the overlap is already known equal.
                let tail = compareWords(lhs.baseAddress!, rhs.baseAddress!, at: common - 8)
                if tail != 0 { return tail }
            } else {
                let order = memcmp(lhs.baseAddress! + 8, rhs.baseAddress! + 8, common - 8)
                if order != 0 { return Int(order) }
            }
        } else if common > 0 {
            let order = memcmp(lhs.baseAddress!, rhs.baseAddress!, common)
            if order != 0 { return Int(order) }
        }
        return lhs.count - rhs.count
    }

    @inline(__always)
    static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        let count = lhs.count
        guard count == rhs.count else { return false }
        guard count > 0 else { return true }
        let left = lhs.baseAddress!, right = rhs.baseAddress!
        switch count {
        case 8...16:
            return left.loadUnaligned(as: UInt64.self) == right.loadUnaligned(as: UInt64.self)
                && left.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                == right.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        case 4..<8:
            return left.loadUnaligned(as: UInt32.self) == right.loadUnaligned(as: UInt32.self)
                && left.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
                == right.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        default:
            return memcmp(left, right, count) == 0
        }
    }

    /// Compares the 8 bytes at `offset` of both sides as big-endian words, which orders them
    /// as byte-wise comparison would.
    @inline(__always)
    private static func compareWords(_ lhs: UnsafeRawPointer, _ rhs: UnsafeRawPointer, at offset: Int) -> Int {
        let left = UInt64(bigEndian: lhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        let right = UInt64(bigEndian: rhs.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        return left == right ? 0 : (left < right ? -1 : 1)
    }
}
