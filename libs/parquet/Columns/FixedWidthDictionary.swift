/// The distinct values of an INT32, INT64, FLOAT or DOUBLE column chunk, in first-seen order;
/// data pages refer to them by index. Arrow's writer dictionary-encodes these columns too, and
/// on columns with few distinct numbers (logprobs, rewards, token counts) the indices take a
/// fraction of PLAIN's 4 or 8 bytes per value.
///
/// Values are keyed by their bit pattern (so -0.0 and 0.0, or NaNs with different payloads,
/// stay distinct and are written back exactly). Lookups use open addressing with Fibonacci
/// hashing of the bits.
struct FixedWidthDictionary {
    /// Bytes per value in the dictionary page: 4 or 8.
    let width: Int
    /// The distinct values' bit patterns, in index order.
    private var values: PageBuffer<UInt64> = PageBuffer()
    /// Open-addressing table of entry indices (-1: empty); its size is a power of two kept at
    /// least twice the entry count.
    private var slots: [Int32] = Array(repeating: -1, count: 1024)
    private var shift: UInt64 = 64 - 10

    init(width: Int) {
        self.width = width
    }

    var count: Int { values.count }

    /// Size of the dictionary page body.
    var plainByteCount: Int { values.count * width }

    var indexBitWidth: Int {
        max(1, BitWidth.required(forMaxValue: max(0, count - 1)))
    }

    /// Returns the index of the value with bit pattern `bits`, adding it if it is new.
    @inline(__always)
    mutating func index(of bits: UInt64) -> UInt32 {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let entry = slots[slot]
            if entry < 0 { break }
            if values[Int(entry)] == bits { return UInt32(entry) }
            slot = (slot + 1) & mask
        }
        let index = values.count
        values.append(bits)
        slots[slot] = Int32(index)
        if index * 2 >= slots.count {
            grow()
        }
        return UInt32(index)
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

    private mutating func grow() {
        var table = [Int32](repeating: -1, count: slots.count * 2)
        shift -= 1
        let mask = table.count - 1
        for index in 0..<values.count {
            var slot = Int(truncatingIfNeeded: (values[index] &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while table[slot] >= 0 {
                slot = (slot + 1) & mask
            }
            table[slot] = Int32(index)
        }
        slots = table
    }
}
