/// The RLE / bit-packing hybrid encoding (Encodings.md, "RLE = 3") used for repetition and
/// definition levels and for dictionary indices.
enum RLEHybridEncoder {
    /// A run of identical values at least this long is stored as an RLE run; shorter stretches
    /// are bit-packed. Eight is where an RLE run (header + one value) starts to beat packing.
    private static let minimumRepeatRunLength = 8

    /// Appends the encoded `values` (without any length prefix) to `output`.
    ///
    /// Bit-packed runs always hold a multiple of eight values; only the final run of the
    /// stream is padded with zeros, because readers stop after the page's value count.
    static func encode<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<Value>, bitWidth: Int, into output: PageBuffer<UInt8>
    ) {
        precondition((0...32).contains(bitWidth), "RLE hybrid bit width must be 0...32, got \(bitWidth)")
        let valueByteCount = (bitWidth + 7) / 8
        var start = 0
        while start < values.count {
            let repeatLength = lengthOfRepeat(in: values, from: start)
            if repeatLength >= minimumRepeatRunLength {
                output.appendULEB128(UInt64(repeatLength) << 1)
                let value = UInt64(values[start])
                for byteIndex in 0..<valueByteCount {
                    output.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(byteIndex))))
                }
                start += repeatLength
                continue
            }
            // Bit-pack groups of eight until a long repeat begins on a group boundary.
            var end = start
            repeat {
                end += 8
            } while end < values.count && !repeatsAtLeast(minimumRepeatRunLength, in: values, from: end)
            let groupCount = (end - start) / 8
            output.appendULEB128(UInt64(groupCount) << 1 | 1)
            appendBitPacked(values, from: start, groupCount: groupCount, bitWidth: bitWidth, into: output)
            start = end
        }
    }

    /// The same for arrays, appending to an array (tests and small inputs).
    static func encode<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: [Value], bitWidth: Int, into output: inout [UInt8]
    ) {
        let buffer = PageBuffer<UInt8>()
        values.withUnsafeBufferPointer { encode($0, bitWidth: bitWidth, into: buffer) }
        output.append(contentsOf: buffer.buffer)
    }

    private static func lengthOfRepeat<Value: Equatable>(in values: UnsafeBufferPointer<Value>, from start: Int) -> Int {
        let first = values[start]
        var end = start + 1
        while end < values.count && values[end] == first {
            end += 1
        }
        return end - start
    }

    /// Like `lengthOfRepeat(in:from:) >= count`, but stops after `count` values so bit-packing
    /// stays linear even when it probes the start of a long run.
    private static func repeatsAtLeast<Value: Equatable>(_ count: Int, in values: UnsafeBufferPointer<Value>, from start: Int) -> Bool {
        guard start + count <= values.count else { return false }
        let first = values[start]
        for index in (start + 1)..<(start + count) where values[index] != first {
            return false
        }
        return true
    }

    /// Packs `groupCount * 8` values from the least significant bit of each byte upwards,
    /// padding past the end of `values` with zeros.
    private static func appendBitPacked<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<Value>, from start: Int, groupCount: Int, bitWidth: Int, into output: PageBuffer<UInt8>
    ) {
        let available = values.count
        if bitWidth <= 8 {
            // Eight values of at most 8 bits fill one word: pack it, then store its low
            // `bitWidth` bytes at once (levels and small dictionaries are all this case).
            for group in 0..<groupCount {
                let first = start + group * 8
                var packed: UInt64 = 0
                if first + 8 <= available {
                    for offset in 0..<8 {
                        packed |= UInt64(values[first + offset]) << UInt64(offset * bitWidth)
                    }
                } else {
                    for offset in 0..<8 where first + offset < available {
                        packed |= UInt64(values[first + offset]) << UInt64(offset * bitWidth)
                    }
                }
                withUnsafeBytes(of: packed.littleEndian) { output.append(bytes: UnsafeRawBufferPointer(rebasing: $0[0..<bitWidth])) }
            }
            return
        }
        var buffer: UInt64 = 0
        var bufferedBits = 0
        for index in start..<(start + groupCount * 8) {
            let value = index < available ? UInt64(values[index]) : 0
            buffer |= value << UInt64(bufferedBits)
            bufferedBits += bitWidth
            while bufferedBits >= 8 {
                output.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                bufferedBits -= 8
            }
        }
        // 8 values of `bitWidth` bits are exactly `bitWidth` bytes, so nothing is left over.
        assert(bufferedBits == 0)
    }
}

extension PageBuffer where Element == UInt8 {
    /// An unsigned LEB128 varint (RLE run headers).
    func appendULEB128(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        append(UInt8(remaining))
    }
}
