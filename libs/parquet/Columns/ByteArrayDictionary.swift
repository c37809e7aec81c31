/// The distinct byte-array values of a column chunk, in first-seen order; data pages refer to
/// them by index.
///
/// Entries live in one contiguous buffer that is already the PLAIN dictionary page body
/// (4-byte length + bytes per entry), so adding a value allocates nothing per value and the page
/// is never re-assembled. Lookups use open addressing on a hash of the raw bytes.
struct ByteArrayDictionary {
    /// The dictionary page body: every entry PLAIN-encoded, in index order.
    private(set) var plainEncoded: [UInt8] = []
    /// Offset in `plainEncoded` of each entry's bytes (just after its length prefix).
    private var offsets: [Int] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    /// Open-addressing table of entry indices (-1: empty); its size is a power of two kept at
    /// least twice the entry count, so probe chains stay short.
    private var slots: [Int32] = Array(repeating: -1, count: 1024)

    var count: Int { offsets.count }

    /// Size of the dictionary page body.
    var plainByteCount: Int { plainEncoded.count }

    /// Bit width of the indices in a data page. At least 1, because some readers mishandle
    /// zero-width indices for single-entry dictionaries.
    var indexBitWidth: Int {
        max(1, BitWidth.required(forMaxValue: max(0, count - 1)))
    }

    /// Returns the index of `value`, adding it if it is new.
    mutating func index(of value: UnsafeRawBufferPointer) -> UInt32 {
        let hash = ByteHash.hash(value)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry < 0 { break }
            if hashes[Int(entry)] == hash && entryEquals(Int(entry), value) {
                return UInt32(entry)
            }
            slot = (slot + 1) & mask
        }
        let index = count
        plainEncoded.appendLittleEndian(UInt32(value.count))
        offsets.append(plainEncoded.count)
        plainEncoded.append(contentsOf: value)
        lengths.append(Int32(value.count))
        hashes.append(hash)
        slots[slot] = Int32(index)
        if count * 2 > slots.count {
            grow()
        }
        return UInt32(index)
    }

    /// Appends entry `index` PLAIN-encoded to `output` (used when a page falls back to PLAIN).
    func appendPlain(index: Int, to output: PageBuffer<UInt8>) {
        let start = offsets[index] - 4
        let end = offsets[index] + Int(lengths[index])
        plainEncoded.withUnsafeBytes { output.append(bytes: UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    private func entryEquals(_ index: Int, _ value: UnsafeRawBufferPointer) -> Bool {
        guard Int(lengths[index]) == value.count else { return false }
        let offset = offsets[index]
        return plainEncoded.withUnsafeBytes {
            RawBytes.equal(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + value.count)]), value)
        }
    }

    private mutating func grow() {
        var table = [Int32](repeating: -1, count: slots.count * 2)
        let mask = table.count - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while table[slot] >= 0 {
                slot = (slot + 1) & mask
            }
            table[slot] = Int32(index)
        }
        slots = table
    }
}
