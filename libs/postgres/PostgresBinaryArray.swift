/// A one-dimensional array in PostgreSQL's binary format, for a binary statement parameter
/// (`PostgresConnection.query(_:binary:)`), e.g. `unnest($1::text[], $2::int[], $3::jsonb[])`.
/// Elements go in as their bytes: no quoting or escaping on either side, which is most of what
/// a text array literal or a JSON array of megabytes of rows costs. Arrays built apart (one per
/// chunk of rows, on several cores) join with `append(contentsOf:)` in order.
public struct PostgresBinaryArray: Sendable {
    public static let textOID: Int32 = 25
    public static let int4OID: Int32 = 23
    public static let jsonbOID: Int32 = 3802
    public static let jsonOID: Int32 = 114

    public let elementOID: Int32
    public private(set) var count = 0
    /// Each element as its length (Int32, big-endian) and bytes.
    private var elements: [UInt8] = []

    public init(elementOID: Int32, reservingCapacity capacity: Int = 0) {
        self.elementOID = elementOID
        elements.reserveCapacity(capacity)
    }

    /// A text element, from its UTF-8.
    public mutating func append(text: String) {
        var text = text
        text.withUTF8 { utf8 in
            put(Int32(utf8.count))
            elements.append(contentsOf: utf8)
        }
        count += 1
    }

    public mutating func append(int4 value: Int32) {
        put(Int32(4))
        put(value)
        count += 1
    }

    /// A jsonb element: the version byte, then the JSON text `write` appends (Postgres parses
    /// and checks it). Written in place, so the JSON is never copied. When `write` throws, the
    /// array is left as it was.
    public mutating func appendJSONB(_ write: (inout [UInt8]) throws -> Void) rethrows {
        try appendElement(prefix: [1], write)
    }

    /// A json element: the JSON text `write` appends (Postgres checks it and keeps the text).
    /// Written in place; when `write` throws, the array is left as it was.
    public mutating func appendJSON(_ write: (inout [UInt8]) throws -> Void) rethrows {
        try appendElement(prefix: [], write)
    }

    private mutating func appendElement(prefix: [UInt8], _ write: (inout [UInt8]) throws -> Void) rethrows {
        let start = elements.count
        put(Int32(0))
        elements += prefix
        do {
            try write(&elements)
        } catch {
            elements.removeSubrange(start...)
            throw error
        }
        let length = Int32(elements.count - start - 4).bigEndian
        withUnsafeBytes(of: length) { raw in
            for (offset, byte) in raw.enumerated() { elements[start + offset] = byte }
        }
        count += 1
    }

    /// `other`'s elements after this array's (same element type).
    public mutating func append(contentsOf other: PostgresBinaryArray) {
        precondition(other.elementOID == elementOID, "arrays of different element types")
        elements += other.elements
        count += other.count
    }

    /// The parameter's bytes: header (one dimension, no NULLs, element type), then the elements.
    public var bytes: [UInt8] {
        var out = Self.header(dimensions: count == 0 ? 0 : 1, elementOID: elementOID)
        if count > 0 {
            withUnsafeBytes(of: Int32(count).bigEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: Int32(1).bigEndian) { out.append(contentsOf: $0) }
        }
        out.reserveCapacity(out.count + elements.count)
        out += elements
        return out
    }

    private static func header(dimensions: Int32, elementOID: Int32) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(20)
        for value in [dimensions, 0, elementOID] { withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) } }
        return out
    }

    private mutating func put(_ value: Int32) {
        withUnsafeBytes(of: value.bigEndian) { elements.append(contentsOf: $0) }
    }
}
