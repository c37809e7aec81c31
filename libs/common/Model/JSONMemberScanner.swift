/// Finds where a member's value lies in a JSON object's bytes without
/// decoding it: the scheduler hands the queue the task definition exactly as
/// it came in the TaskSubmitted event, so nothing is encoded twice. It only
/// skips over values; anything malformed yields nil and the caller encodes.
public enum JSONMemberScanner {
    /// The bytes of the value at `path` (object keys, outermost first), or nil.
    /// Keys are compared as written, so a key spelled with escapes is not found.
    public static func value(at path: [String], in bytes: [UInt8]) -> ArraySlice<UInt8>? {
        var range = bytes.startIndex..<bytes.endIndex
        for key in path {
            guard let found = member(Array(key.utf8), in: bytes, range) else { return nil }
            range = found
        }
        return bytes[range]
    }

    /// Whether the object in `bytes` has every one of `keys` as a top-level member.
    public static func hasMembers(_ keys: [String], in bytes: ArraySlice<UInt8>) -> Bool {
        let array = Array(bytes)
        return keys.allSatisfy { member(Array($0.utf8), in: array, array.startIndex..<array.endIndex) != nil }
    }

    private static func member(_ key: [UInt8], in bytes: [UInt8], _ range: Range<Int>) -> Range<Int>? {
        var index = skipSpace(bytes, range.lowerBound, range.upperBound)
        let end = range.upperBound
        guard index < end, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            index = skipSpace(bytes, index, end)
            guard index < end else { return nil }
            if bytes[index] == UInt8(ascii: "}") { return nil }
            guard bytes[index] == UInt8(ascii: "\""), let keyEnd = skipString(bytes, index, end) else { return nil }
            let matches = bytes[(index + 1)..<(keyEnd - 1)].elementsEqual(key)
            index = skipSpace(bytes, keyEnd, end)
            guard index < end, bytes[index] == UInt8(ascii: ":") else { return nil }
            let valueStart = skipSpace(bytes, index + 1, end)
            guard let valueEnd = skipValue(bytes, valueStart, end) else { return nil }
            if matches { return valueStart..<valueEnd }
            index = skipSpace(bytes, valueEnd, end)
            guard index < end else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1 } else { return nil }
        }
    }

    private static func skipSpace(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int {
        var index = start
        while index < end, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index
    }

    /// From an opening quote to just past the closing one.
    private static func skipString(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int? {
        var index = start + 1
        while index < end {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// Just past the value starting at `start`: strings, and nested objects
    /// and arrays by depth; numbers and literals up to the next delimiter.
    private static func skipValue(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Int? {
        guard start < end else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return skipString(bytes, start, end)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < end {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let next = skipString(bytes, index, end) else { return nil }
                    index = next
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default: break
                }
                index += 1
            }
            return nil
        default:
            var index = start
            while index < end, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                index += 1
            }
            return index > start ? index : nil
        }
    }
}
