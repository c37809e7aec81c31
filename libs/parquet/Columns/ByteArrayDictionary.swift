/// The distinct byte-array values of a column chunk, in first-seen order; data pages refer to
/// them by index.
struct ByteArrayDictionary {
    private(set) var values: [[UInt8]] = []
    private var indexByValue: [Key: UInt32] = [:]
    /// Size of the dictionary page body (PLAIN: 4-byte length + bytes per entry).
    private(set) var plainByteCount = 0

    var count: Int { values.count }

    /// Bit width of the indices in a data page. At least 1, because some readers mishandle
    /// zero-width indices for single-entry dictionaries.
    var indexBitWidth: Int {
        max(1, BitWidth.required(forMaxValue: max(0, values.count - 1)))
    }

    /// Returns the index of `value`, adding it if it is new.
    mutating func index(of value: [UInt8]) -> UInt32 {
        if let existing = indexByValue[Key(bytes: value)] {
            return existing
        }
        let index = UInt32(values.count)
        values.append(value)
        indexByValue[Key(bytes: value)] = index
        plainByteCount += 4 + value.count
        return index
    }

    /// Hashes the bytes in one call; `[UInt8]`'s own Hashable feeds the hasher byte by byte.
    private struct Key: Hashable {
        let bytes: [UInt8]
        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    func plainEncoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(plainByteCount)
        for value in values {
            bytes.appendPlainByteArray(value)
        }
        return bytes
    }
}
