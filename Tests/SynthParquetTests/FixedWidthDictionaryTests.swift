import SynthTesting
import Testing
@testable import SynthParquet

/// Small values go to the dictionary's dense array, the rest to its hash table: either way
/// every value gets the index of its first appearance, as a plain Swift dictionary gives it.
@Suite("Number dictionary indices")
struct FixedWidthDictionaryTests {
    @Test(arguments: [4, 8])
    func indicesAreFirstSeenOrderAcrossTheDenseArrayAndTheHashTable(width: Int) {
        var random = SplitMix64(seed: UInt64(width))
        let dictionary = FixedWidthDictionary(width: width)
        var expected: [UInt64: UInt32] = [:]
        var order: [UInt64] = []
        var values: [UInt64] = []
        for _ in 0..<60_000 {
            let bits: UInt64 = switch random.below(5) {
            case 0: UInt64(random.below(300))  // repeats, in the first dense block
            case 1: UInt64(random.below(Int(FixedWidthDictionary.denseLimit)))  // grows the dense array
            case 2: FixedWidthDictionary.denseLimit + UInt64(random.below(5_000))  // just past it: hashed
            case 3: UInt64(bitPattern: -Int64(1 + random.below(1_000)))  // negative numbers: hashed
            default: random.next()  // doubles' bit patterns: hashed, mostly new
            }
            values.append(bits)
            if expected[bits] == nil {
                expected[bits] = UInt32(order.count)
                order.append(bits)
            }
        }
        let output = PageBuffer<UInt32>()
        values.withUnsafeBufferPointer { dictionary.appendIndices(of: $0, to: output) }
        #expect(Array(output.buffer) == values.map { expected[$0]! })
        #expect(dictionary.count == order.count)
        #expect(dictionary.hashedCount == order.filter { $0 >= FixedWidthDictionary.denseLimit }.count)
        for (index, bits) in order.enumerated().prefix(2_000) {
            #expect(dictionary.index(of: bits) == UInt32(index))
        }
    }
}
