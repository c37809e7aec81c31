import Testing
@testable import SynthParquet
import SynthTesting

/// Byte-level checks of the two hand-written encoders against examples derived from the specifications.
@Suite struct EncodingTests {
    @Test func bitPackedRunMatchesSpecificationExample() {
        // Encodings.md: 0...7 with bit width 3 pack to 10001000 11000110 11111010.
        var output: [UInt8] = []
        RLEHybridEncoder.encode([UInt32](0...7), bitWidth: 3, into: &output)
        #expect(output == [0b0000_0011, 0b1000_1000, 0b1100_0110, 0b1111_1010])
    }

    @Test func longRepeatBecomesOneRLERun() {
        var output: [UInt8] = []
        RLEHybridEncoder.encode([UInt16](repeating: 5, count: 100), bitWidth: 3, into: &output)
        // Header ULEB128(100 << 1) = C8 01, then the value in one byte.
        #expect(output == [0xC8, 0x01, 0x05])
    }

    @Test func shortTailIsBitPackedWithPadding() {
        // 1,2,3 then five zeros: too short for an RLE run, so two padded bit-packed groups.
        var output: [UInt8] = []
        RLEHybridEncoder.encode([UInt16]([1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), bitWidth: 2, into: &output)
        #expect(output == [0x05, 0b0011_1001, 0x00, 0x00, 0x00])
    }

    @Test func bitPackedPrefixThenRLERun() {
        // A run of eight 1s starting on a group boundary after one mixed group.
        var output: [UInt8] = []
        RLEHybridEncoder.encode([UInt16]([0, 1, 0, 1, 0, 1, 0, 1] + Array(repeating: 1, count: 8)), bitWidth: 1, into: &output)
        #expect(output == [0x03, 0b1010_1010, 0x10, 0x01])
    }

    @Test func thriftCompactFieldsAndDeltas() {
        struct Sample: ThriftStruct {
            func writeFields(to writer: inout ThriftCompactWriter) {
                writer.writeI32(field: 1, -1)          // short header, zigzag(-1) = 1
                writer.writeString(field: 2, "ab")     // short header, length, bytes
                writer.writeI64(field: 20, 300)        // delta 18 > 15: long header with zigzag id
                writer.writeBool(field: 21, true)      // value lives in the type nibble
            }
        }
        #expect(ThriftCompactWriter.serialize(Sample()) == [
            0x15, 0x01,
            0x18, 0x02, 0x61, 0x62,
            0x06, 0x28, 0xD8, 0x04,
            0x11,
            0x00,
        ])
    }

    @Test func thriftNestedStructRestartsFieldDeltas() {
        #expect(ThriftCompactWriter.serialize(ColumnOrder()) == [0x1C, 0x00, 0x00])
        let statistics = Statistics(nullCount: 2, maxValue: [9], minValue: [1], nanCount: nil)
        #expect(ThriftCompactWriter.serialize(statistics) == [0x36, 0x04, 0x28, 0x01, 0x09, 0x18, 0x01, 0x01, 0x00])
    }

    /// The word-wise shortcuts must order and match values exactly as byte-wise comparison
    /// does, at every length around the 4-, 8- and 16-byte boundaries they switch at.
    @Test func rawBytesCompareLikeLexicographicOrder() {
        var random = SplitMix64(seed: 7)
        // Few distinct byte values, so equal prefixes of every length are common.
        let values: [[UInt8]] = (0..<400).map { _ in
            (0..<Int.random(in: 0...24, using: &random)).map { _ in [0x00, 0x61, 0x62, 0xFF][Int.random(in: 0..<4, using: &random)] }
        }
        for left in values.prefix(60) {
            for right in values {
                let expected = left.lexicographicallyPrecedes(right) ? -1 : (left == right ? 0 : 1)
                let order = left.withUnsafeBytes { l in right.withUnsafeBytes { r in RawBytes.compare(l, r) } }
                #expect(order.signum() == expected, "\(left) vs \(right)")
                let equal = left.withUnsafeBytes { l in right.withUnsafeBytes { r in RawBytes.equal(l, r) } }
                #expect(equal == (left == right), "\(left) == \(right)")
            }
        }
    }
}
