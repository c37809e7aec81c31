/// A direct JSON reader and writer for `JSONValue`, for request paths where
/// every call parses and writes a body (the LLM router). Decoding through
/// `Decodable` tries each case in turn and builds a `DecodingError` for every
/// miss, and `JSONEncoder` goes through its generic containers; these work on
/// the bytes and cost a fraction of that. RFC 8259 plus the one leniency
/// JSONDecoder has (a trailing comma in an array or object), so a body the
/// router accepted before is still accepted; what JSONDecoder rejects is
/// rejected here too, with a message saying where.
extension JSONValue {
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var offset: Int
        public var reason: String
        public var description: String { "\(reason) at byte \(offset)" }
    }

    /// Parses one JSON document (surrounding whitespace allowed).
    public init(parsing bytes: [UInt8]) throws(ParseError) {
        self = try bytes.withUnsafeBufferPointer { (buffer) throws(ParseError) -> JSONValue in
            var reader = Reader(bytes: buffer)
            reader.skipWhitespace()
            let value = try reader.value(depth: 0)
            reader.skipWhitespace()
            guard reader.position == buffer.count else { throw reader.failure("unexpected data after the JSON value") }
            return value
        }
    }

    /// Compact JSON with keys sorted (stable bytes), slashes unescaped, as SynthJSON writes.
    /// Non-finite numbers, which JSON cannot express, are written as null.
    public var serializedBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        _ = JSONBytesWriter.value(self, to: &out)
        return out
    }

    /// Also reads the parts of documents whose shape is known (TaskDefinition's bytes codec).
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        /// JSONDecoder's limit too: deeper documents are refused rather than overflowing the stack.
        static let maximumDepth = 512

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func failure(_ reason: String) -> ParseError { ParseError(offset: position, reason: reason) }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(ParseError) -> JSONValue {
            guard position < bytes.count else { throw failure("unexpected end of data") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw failure("unexpected character '\(Unicode.Scalar(bytes[position]))'")
            }
        }

        mutating func literal(_ word: StaticString) throws(ParseError) {
            let count = word.utf8CodeUnitCount
            guard position + count <= bytes.count,
                  memcmpEqual(word.utf8Start, bytes.baseAddress! + position, count) else { throw failure("invalid literal") }
            position += count
        }

        private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
            for index in 0..<count where a[index] != b[index] { return false }
            return true
        }

        mutating func object(depth: Int) throws(ParseError) -> JSONValue {
            guard depth <= Self.maximumDepth else { throw failure("nested too deeply") }
            position += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}"), !members.isEmpty {  // trailing comma
                    position += 1
                    return .object(members)
                }
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a string key") }
                let key = try string()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                position += 1
                skipWhitespace()
                // The first of repeated keys wins, as in JSONDecoder.
                let member = try value(depth: depth)
                if members[key] == nil { members[key] = member }
                skipWhitespace()
                guard position < bytes.count else { throw failure("unexpected end of data in an object") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                throw failure("expected ',' or '}'")
            }
        }

        mutating func array(depth: Int) throws(ParseError) -> JSONValue {
            guard depth <= Self.maximumDepth else { throw failure("nested too deeply") }
            position += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            }
            while true {
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]"), !items.isEmpty {  // trailing comma
                    position += 1
                    return .array(items)
                }
                items.append(try value(depth: depth))
                skipWhitespace()
                guard position < bytes.count else { throw failure("unexpected end of data in an array") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                throw failure("expected ',' or ']'")
            }
        }

        mutating func string() throws(ParseError) -> String {
            position += 1  // opening quote
            let start = position
            // Fast path: no escapes, the bytes are the string.
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                    position += 1
                    return try validated(slice, from: start)
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw failure("unescaped control character in a string") }
                position += 1
            }
            var decoded = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return try decoded.withUnsafeBufferPointer { (buffer) throws(ParseError) -> String in try validated(buffer, from: start) }
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { throw failure("unexpected end of data in a string") }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""): decoded.append(0x22)
                    case UInt8(ascii: "\\"): decoded.append(0x5C)
                    case UInt8(ascii: "/"): decoded.append(0x2F)
                    case UInt8(ascii: "b"): decoded.append(0x08)
                    case UInt8(ascii: "f"): decoded.append(0x0C)
                    case UInt8(ascii: "n"): decoded.append(0x0A)
                    case UInt8(ascii: "r"): decoded.append(0x0D)
                    case UInt8(ascii: "t"): decoded.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar) {
                            // A high surrogate must be followed by an escaped low one.
                            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                                throw failure("unpaired surrogate in a string")
                            }
                            position += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate in a string") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else if (0xDC00..<0xE000).contains(scalar) {
                            throw failure("unpaired surrogate in a string")
                        }
                        decoded.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
                    default:
                        throw failure("invalid escape in a string")
                    }
                default:
                    if byte < 0x20 { throw failure("unescaped control character in a string") }
                    decoded.append(byte)
                }
            }
            throw failure("unexpected end of data in a string")
        }

        private func validated(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) throws(ParseError) -> String {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw ParseError(offset: start, reason: "a string is not valid UTF-8")
            }
            return text
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw failure("unexpected end of data in a \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw failure("invalid \\u escape")
                }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            return value
        }

        /// RFC 8259's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
        mutating func number() throws(ParseError) -> Double {
            let start = position
            func digits(_ reader: inout Reader) -> Int {
                let from = reader.position
                while reader.position < reader.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(reader.bytes[reader.position]) {
                    reader.position += 1
                }
                return reader.position - from
            }
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard position < bytes.count else { throw failure("invalid number") }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
            } else if digits(&self) == 0 {
                throw failure("invalid number")
            }
            var integral = true
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                integral = false
                position += 1
                guard digits(&self) > 0 else { throw failure("invalid number") }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                integral = false
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
                guard digits(&self) > 0 else { throw failure("invalid number") }
            }
            // Short integers (token counts, indices, timestamps) without a String.
            if integral, position - start <= 15 {
                var value: Int64 = 0
                var index = start
                let negative = bytes[index] == UInt8(ascii: "-")
                if negative { index += 1 }
                while index < position {
                    value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
                    index += 1
                }
                // "-0" is negative zero, as JSONDecoder reads it.
                return negative ? -Double(value) : Double(value)
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let value = Double(text), value.isFinite else {
                throw ParseError(offset: start, reason: "number \(text) does not fit a Double")
            }
            return value
        }
    }
}
