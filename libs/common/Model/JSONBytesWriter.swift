/// The pieces of JSON text exactly as SynthJSON's JSONEncoder writes them
/// (compact, keys in UTF-8 byte order, slashes unescaped), for writers that
/// build a document's bytes directly: `JSONValue.serializedBytes` and
/// TaskDefinition's bytes codec. Tests compare both with SynthJSON.encode.
enum JSONBytesWriter {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A quoted string: `"` and `\` escaped, control characters as \n, \r,
    /// \t, \b, \f or \u00xx; everything else, non-ASCII included, as is.
    static func string(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Runs without anything to escape are copied in one go.
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                default:
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hexDigits[Int(byte >> 4)])
                    out.append(hexDigits[Int(byte & 0xF)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A finite number as JSONEncoder writes it: Swift's shortest
    /// round-trip text without a trailing ".0" (1, -0, 0.5, 1e+16).
    /// Returns false for a non-finite one (written as null), which
    /// JSONEncoder refuses.
    @discardableResult
    static func number(_ number: Double, to out: inout [UInt8]) -> Bool {
        guard number.isFinite else {
            out.append(contentsOf: "null".utf8)
            return false
        }
        // Integers below 2^53 are the common case (counts, weights of 0 or 1): no String.
        if number == number.rounded(.towardZero), number.magnitude < 9_007_199_254_740_992, !(number == 0 && number.sign == .minus) {
            integer(Int(number), to: &out)
            return true
        }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(contentsOf: text.utf8)
        return true
    }

    static func integer(_ value: Int, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(truncatingIfNeeded: magnitude % 10) + UInt8(ascii: "0")
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[index...]))
        }
    }

    /// Any JSON value. Returns false if it held a non-finite number.
    static func value(_ value: JSONValue, to out: inout [UInt8]) -> Bool {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let value): return number(value, to: &out)
        case .string(let text): string(text, to: &out)
        case .array(let items):
            var finite = true
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                finite = self.value(item, to: &out) && finite
            }
            out.append(UInt8(ascii: "]"))
            return finite
        case .object(let members):
            var finite = true
            out.append(UInt8(ascii: "{"))
            for (index, key) in sortedKeys(members).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                string(key, to: &out)
                out.append(UInt8(ascii: ":"))
                finite = self.value(members[key]!, to: &out) && finite
            }
            out.append(UInt8(ascii: "}"))
            return finite
        }
        return true
    }

    /// An object of strings, keys sorted.
    static func strings(_ members: [String: String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (index, key) in sortedKeys(members).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(key, to: &out)
            out.append(UInt8(ascii: ":"))
            string(members[key]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    static func strings(_ items: [String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(item, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// JSONEncoder's `.sortedKeys` order: the keys' UTF-8 bytes compared
    /// lexicographically (not String's `<`, which compares canonical forms).
    static func sortedKeys<Value>(_ members: [String: Value]) -> [String] {
        members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
