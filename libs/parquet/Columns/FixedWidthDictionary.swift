/// The distinct values of an INT32, INT64, FLOAT or DOUBLE column chunk, in first-seen order;
/// data pages refer to them by index. Arrow's writer dictionary-encodes these columns too, and
/// on columns with few distinct numbers (logprobs, rewards, token counts) the indices take a
/// fraction of PLAIN's 4 or 8 bytes per value.
///
/// Values are keyed by their bit pattern (so -0.0 and 0.0, or NaNs with different payloads,
/// stay distinct and are written back exactly). Lookups use open addressing with Fibonacci
/// hashing of the bits; each slot holds the value next to its index, so a lookup costs one
/// cache miss, not two (token ids spread over a dictionary of a megabyte miss the cache on
/// most lookups, and that miss was most of the column's write time).
///
/// Small non-negative values (token ids, counts, step numbers: bit patterns below 2^18) skip
/// the hash table: they index a flat array of entry indices directly, 4 bytes per possible
/// value, grown as larger values arrive. A token-id column's dictionary then lives in a dense
/// array of at most 1 MiB instead of a 16-byte-per-slot table at half load, several times
/// larger than the cache. Indices are still given in first-seen order, so the dictionary and
/// the pages are the same either way.
///
/// A class that owns raw memory, like `PageBuffer`: it belongs to one column writer, used from
/// one task, so its fields skip the dynamic exclusivity checks.
final class FixedWidthDictionary {
    struct Slot {
        var bits: UInt64
        /// The entry's index, or -1 for an empty slot.
        var index: Int32
    }

    /// Bytes per value in the dictionary page: 4 or 8.
    let width: Int
    /// The distinct values' bit patterns, in index order.
    private let values = PageBuffer<UInt64>()
    @exclusivity(unchecked) private var slots: UnsafeMutableBufferPointer<Slot>
    @exclusivity(unchecked) private var shift: UInt64
    /// Entries in the hash table (the rest are in `dense`), for its load factor.
    @exclusivity(unchecked) private(set) var hashedCount = 0
    /// Entry index + 1 per small value (0: absent), empty until the first small value.
    @exclusivity(unchecked) private var dense = UnsafeMutableBufferPointer<UInt32>(start: nil, count: 0)
    /// Bit patterns below this use `dense`.
    static let denseLimit: UInt64 = 1 << 18
    /// Where `appendIndices` leaves what its first pass read, so that pass is not optimized away.
    @exclusivity(unchecked) private var touched: Int32 = 0

    /// `expectedCount`: how many entries the previous chunk's dictionary of the column
    /// ended with. The table starts large enough for them, which spares the chunk the
    /// rehashes of a table grown from small (each one a pass of cache misses over it).
    init(width: Int, expectedCount: Int = 0) {
        self.width = width
        var bits: UInt64 = 10
        while (1 << bits) < 2 * expectedCount + 2 && bits < 24 {
            bits += 1
        }
        slots = Self.emptyTable(count: 1 << bits)
        shift = 64 - bits
    }

    deinit {
        slots.deallocate()
        dense.deallocate()
    }

    var count: Int { values.count }

    /// Size of the dictionary page body.
    var plainByteCount: Int { values.count * width }

    var indexBitWidth: Int {
        max(1, BitWidth.required(forMaxValue: max(0, count - 1)))
    }

    /// Returns the index of the value with bit pattern `bits`, adding it if it is new.
    @inline(__always)
    func index(of bits: UInt64) -> UInt32 {
        if bits < Self.denseLimit {
            let value = Int(truncatingIfNeeded: bits)
            if value >= dense.count { growDense(including: value) }
            let existing = dense[value]
            if existing > 0 { return existing - 1 }
            let index = values.count
            values.append(bits)
            dense[value] = UInt32(index + 1)
            return UInt32(index)
        }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let entry = slots[slot]
            if entry.index < 0 { break }
            if entry.bits == bits { return UInt32(entry.index) }
            slot = (slot + 1) & mask
        }
        let index = values.count
        values.append(bits)
        slots[slot] = Slot(bits: bits, index: Int32(index))
        hashedCount += 1
        if hashedCount * 2 >= slots.count {
            grow()
        }
        return UInt32(index)
    }

    /// Appends the indices of `values` (bit patterns) to `output`, adding new values.
    ///
    /// In blocks of 32: a first pass only loads each value's home slot, loads that do not
    /// depend on one another, so their cache misses overlap; the lookups that follow then
    /// mostly hit the cache. One lookup at a time, every miss was waited for in full.
    func appendIndices(of values: UnsafeBufferPointer<UInt64>, to output: PageBuffer<UInt32>) {
        var start = 0
        while start < values.count {
            let end = min(values.count, start + 32)
            var loaded: Int32 = 0
            for position in start..<end {
                let bits = values[position]
                if bits < Self.denseLimit {
                    let value = Int(truncatingIfNeeded: bits)
                    if value < dense.count { loaded |= Int32(truncatingIfNeeded: dense[value]) }
                } else {
                    loaded |= slots[Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> shift)].index
                }
            }
            touched = loaded
            for position in start..<end {
                output.append(index(of: values[position]))
            }
            start = end
        }
    }

    /// Appends entry `index` PLAIN-encoded (little-endian, `width` bytes) to `output`.
    func appendPlain(index: Int, to output: PageBuffer<UInt8>) {
        if width == 4 {
            output.appendLittleEndian(UInt32(truncatingIfNeeded: values[index]))
        } else {
            output.appendLittleEndian(values[index])
        }
    }

    /// The dictionary page body: every entry PLAIN-encoded, in index order.
    var plainEncoded: [UInt8] {
        let output = PageBuffer<UInt8>(capacity: plainByteCount)
        for index in 0..<count {
            appendPlain(index: index, to: output)
        }
        return Array(output.buffer)
    }

    private static func emptyTable(count: Int) -> UnsafeMutableBufferPointer<Slot> {
        let table = UnsafeMutableBufferPointer<Slot>.allocate(capacity: count)
        table.initialize(repeating: Slot(bits: 0, index: -1))
        return table
    }

    /// Makes `dense` cover `value`: the next power of two, at least 1,024 entries.
    private func growDense(including value: Int) {
        var count = max(1_024, dense.count)
        while count <= value { count *= 2 }
        let table = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: count)
        let kept = dense.count
        if kept > 0 { _ = table.initialize(fromContentsOf: dense) }
        table.baseAddress!.advanced(by: kept).initialize(repeating: 0, count: count - kept)
        dense.deallocate()
        dense = table
    }

    private func grow() {
        let table = Self.emptyTable(count: slots.count * 2)
        shift -= 1
        let mask = table.count - 1
        for old in slots where old.index >= 0 {
            var slot = Int(truncatingIfNeeded: (old.bits &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while table[slot].index >= 0 {
                slot = (slot + 1) & mask
            }
            table[slot] = old
        }
        slots.deallocate()
        slots = table
    }
}
