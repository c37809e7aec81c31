/// A leaf's values as the shredding walk reads them, one type per value kind.
protocol ShreddedLeaf {
    func append(slot: Int, into writer: inout ColumnChunkWriter)
    /// The values of consecutive slots, all present (levels already recorded).
    func append(slots: Range<Int>, into writer: inout ColumnChunkWriter)
}

extension ShreddedLeaf {
    func append(slots: Range<Int>, into writer: inout ColumnChunkWriter) {
        for slot in slots { append(slot: slot, into: &writer) }
    }
}

/// A value a column writer stores PLAIN at a fixed width (booleans as bits).
protocol FixedWidthColumnValue {
    func append(to writer: inout ColumnChunkWriter)
    static func append(_ values: UnsafeBufferPointer<Self>, to writer: inout ColumnChunkWriter)
}

extension FixedWidthColumnValue {
    static func append(_ values: UnsafeBufferPointer<Self>, to writer: inout ColumnChunkWriter) {
        for value in values { value.append(to: &writer) }
    }
}

extension Bool: FixedWidthColumnValue {
    func append(to writer: inout ColumnChunkWriter) { writer.appendValue(self) }
}

extension Int32: FixedWidthColumnValue {
    func append(to writer: inout ColumnChunkWriter) { writer.appendValue(self) }
}

extension Int64: FixedWidthColumnValue {
    func append(to writer: inout ColumnChunkWriter) { writer.appendValue(self) }
    static func append(_ values: UnsafeBufferPointer<Self>, to writer: inout ColumnChunkWriter) { writer.appendValues(values) }
}

extension Float: FixedWidthColumnValue {
    func append(to writer: inout ColumnChunkWriter) { writer.appendValue(self) }
}

extension Double: FixedWidthColumnValue {
    func append(to writer: inout ColumnChunkWriter) { writer.appendValue(self) }
    static func append(_ values: UnsafeBufferPointer<Self>, to writer: inout ColumnChunkWriter) { writer.appendValues(values) }
}

struct FixedWidthLeaf<Value: FixedWidthColumnValue>: ShreddedLeaf {
    let values: UnsafeBufferPointer<Value>
    func append(slot: Int, into writer: inout ColumnChunkWriter) { values[slot].append(to: &writer) }
    func append(slots: Range<Int>, into writer: inout ColumnChunkWriter) {
        Value.append(UnsafeBufferPointer(rebasing: values[slots]), to: &writer)
    }
}

struct ByteArrayLeaf: ShreddedLeaf {
    let bytes: UnsafeRawBufferPointer
    let offsets: UnsafeBufferPointer<Int32>
    func append(slot: Int, into writer: inout ColumnChunkWriter) {
        let start = Int(offsets[slot]), end = Int(offsets[slot + 1])
        writer.appendByteArray(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
    }
}
