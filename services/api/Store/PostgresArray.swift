/// Postgres array literals for unnest()-based bulk statements: one round trip
/// for a batch of 10,000 rows instead of 10,000.
enum PostgresArray {
    static func literal(_ values: [String?]) -> String {
        literal(values, bytes: \.utf8)
    }

    /// Elements that are UTF-8 text already (JSON from JSONEncoder).
    static func literal(utf8 values: [[UInt8]?]) -> String {
        literal(values, bytes: { $0 })
    }

    /// Built byte by byte: a batch's definitions are megabytes, and appending
    /// them to a String one Unicode scalar at a time cost more than encoding them.
    private static func literal<Element, Bytes: Sequence<UInt8>>(_ values: [Element?], bytes: (Element) -> Bytes) -> String {
        var text: [UInt8] = [UInt8(ascii: "{")]
        text.reserveCapacity(values.reduce(2) { $0 + ($1.map { bytes($0).underestimatedCount } ?? 4) + 3 })
        for (index, value) in values.enumerated() {
            if index > 0 { text.append(UInt8(ascii: ",")) }
            guard let value else {
                text += "NULL".utf8
                continue
            }
            text.append(UInt8(ascii: "\""))
            for byte in bytes(value) {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { text.append(UInt8(ascii: "\\")) }
                text.append(byte)
            }
            text.append(UInt8(ascii: "\""))
        }
        text.append(UInt8(ascii: "}"))
        return String(decoding: text, as: UTF8.self)
    }
}
