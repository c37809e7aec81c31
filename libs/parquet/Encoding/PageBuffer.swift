/// A growable buffer of plain values for the per-value append paths of a column writer.
///
/// `Array.append` costs a uniqueness check (a runtime call) and a capacity check per value, and
/// `append(contentsOf:)` goes through the generic sequence path; here an append is a capacity
/// compare and a store or `memcpy`. A class so that memory is freed in `deinit`; its fields skip
/// the dynamic exclusivity checks a class would otherwise pay on every access, which is safe
/// because a buffer belongs to one column writer used from one task.
final class PageBuffer<Element: BitwiseCopyable> {
    @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<Element>
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = max(16, capacity)
        base = UnsafeMutablePointer<Element>.allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var isEmpty: Bool { count == 0 }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    var rawBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(buffer) }

    @inline(__always)
    func append(_ value: Element) {
        if count == capacity { grow(toAtLeast: count + 1) }
        (base + count).initialize(to: value)
        count += 1
    }

    subscript(index: Int) -> Element {
        get { base[index] }
        set { base[index] = newValue }
    }

    /// Drops the elements from `newCount` on.
    func truncate(to newCount: Int) {
        precondition(newCount <= count, "cannot truncate \(count) elements to \(newCount)")
        count = newCount
    }

    /// Keeps the allocation, as pages of a column are about the same size.
    func removeAll() {
        count = 0
    }

    /// Appends `count` copies of `value` (a run of equal levels).
    @inline(__always)
    func append(repeating value: Element, count runCount: Int) {
        if count + runCount > capacity { grow(toAtLeast: count + runCount) }
        (base + count).initialize(repeating: value, count: runCount)
        count += runCount
    }

    /// Appends `values` with one `memcpy`.
    @inline(__always)
    func append(contentsOf values: UnsafeBufferPointer<Element>) {
        guard let source = values.baseAddress, values.count > 0 else { return }
        if count + values.count > capacity { grow(toAtLeast: count + values.count) }
        (base + count).initialize(from: source, count: values.count)
        count += values.count
    }

    /// Empties the buffer and hands out room for `capacity` elements, which count as
    /// present until `truncate(to:)` says how many were written (for C functions that fill a
    /// buffer and return the length they used).
    func replaceAll(capacity needed: Int) -> UnsafeMutableRawPointer {
        count = 0
        if needed > capacity { grow(toAtLeast: needed) }
        count = needed
        return UnsafeMutableRawPointer(base)
    }

    private func grow(toAtLeast minimum: Int) {
        let newCapacity = max(minimum, capacity * 2)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}

extension PageBuffer where Element == UInt8 {
    /// Appends raw bytes with one `memcpy`.
    @inline(__always)
    func append(bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if count + bytes.count > capacity { grow(toAtLeast: count + bytes.count) }
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// A PLAIN BYTE_ARRAY: 4-byte little-endian length, then the bytes.
    @inline(__always)
    func appendPlainByteArray(_ bytes: UnsafeRawBufferPointer) {
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { append(bytes: $0) }
        append(bytes: bytes)
    }

    /// A fixed-width number in little-endian byte order, as PLAIN encoding requires.
    @inline(__always)
    func appendLittleEndian<Value: FixedWidthInteger>(_ value: Value) {
        withUnsafeBytes(of: value.littleEndian) { append(bytes: $0) }
    }
}
