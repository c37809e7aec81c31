/// A fast non-cryptographic hash of raw bytes for the dictionary's open-addressing table: eight
/// bytes per multiply, then a final avalanche (MurmurHash3's fmix64) so the low bits used as the
/// slot index depend on every input byte. Dictionaries are capped in size, so a poor spread can
/// only make one chunk slower, never unbounded.
enum ByteHash {
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return mix(hash) }
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
            hash = (hash << 29) | (hash >> 35)
            offset += 8
        }
        let remaining = bytes.count - offset
        if remaining > 0 {
            // The last bytes are read with whole loads (overlapping earlier bytes where the
            // value is long enough) rather than one byte at a time.
            let tail: UInt64
            if bytes.count >= 8 {
                tail = base.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
            } else if remaining >= 4 {
                tail = UInt64(base.loadUnaligned(as: UInt32.self)) << 32
                    | UInt64(base.loadUnaligned(fromByteOffset: remaining - 4, as: UInt32.self))
            } else {
                tail = UInt64(bytes[0]) << 16 | UInt64(bytes[remaining / 2]) << 8 | UInt64(bytes[remaining - 1])
            }
            hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        return mix(hash)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        return hash
    }
}
