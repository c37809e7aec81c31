/// Collects string or binary values into one byte buffer with offsets, the layout of a
/// byte-array `ParquetColumn`, without keeping a `String` per value.
public struct ParquetByteArrayColumnBuilder: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var offsets: [Int32] = [0]
    /// Only materialized once a null is appended, so all-present columns carry no validity.
    public private(set) var validity: [Bool]?

    public init(reservingBytes byteCapacity: Int = 0, values valueCapacity: Int = 0) {
        bytes.reserveCapacity(byteCapacity)
        offsets.reserveCapacity(valueCapacity + 1)
    }

    public var count: Int { offsets.count - 1 }

    public mutating func append(_ text: String) {
        // withUTF8 hands out the string's storage, so this is one memcpy per value.
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
        endValue(present: true)
    }

    public mutating func append(bytes value: some Sequence<UInt8>) {
        bytes.append(contentsOf: value)
        endValue(present: true)
    }

    public mutating func appendNull() {
        endValue(present: false)
    }

    /// Empties the builder for the next batch but keeps its memory: a batch refilled from
    /// fresh arrays paid a page fault per 4 KiB and a copy per doubling.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        validity = nil
    }

    public var column: ParquetColumn {
        .byteArrays(bytes: bytes, offsets: offsets, validity: validity)
    }

    private mutating func endValue(present: Bool) {
        // Offsets are i32 like Arrow's; ParquetWriter rejects a column whose bytes overflow them.
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
        if !present && validity == nil {
            validity = Array(repeating: true, count: count - 1)
        }
        validity?.append(present)
    }
}
