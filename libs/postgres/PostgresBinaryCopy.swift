/// Rows in PostgreSQL's binary COPY format, for `COPY ... FROM STDIN (FORMAT
/// binary)`. Text and JSON go in as their UTF-8 bytes, bytea as its raw bytes:
/// nothing is escaped or hex-encoded on either side, which is most of what a
/// multi-row INSERT of megabytes of JSON costs.
public struct PostgresBinaryCopy: Sendable {
    public private(set) var bytes: [UInt8]
    private var fieldsLeft = 0

    /// Microseconds from the Unix epoch to Postgres' (2000-01-01 UTC).
    static let postgresEpochMicros: Int64 = 946_684_800_000_000
    /// The `text` type's oid, named in a text[] value's header.
    static let textOID: Int32 = 25

    public init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity + 32)
        // Signature, flags (no oids), header extension length.
        bytes += Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]
        append(Int32(0))
        append(Int32(0))
    }

    /// Starts a row of `fields` columns, in the COPY statement's column order.
    public mutating func row(fields: Int) {
        precondition(fieldsLeft == 0, "the previous row has fields missing")
        append(Int16(fields))
        fieldsLeft = fields
    }

    public mutating func null() {
        field(length: -1)
    }

    public mutating func text(_ value: String?) {
        guard var text = value else { return null() }
        text.withUTF8 { utf8 in
            field(length: utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    /// bytea, or text already in UTF-8.
    public mutating func bytes(_ value: [UInt8]?) {
        guard let value else { return null() }
        field(length: value.count)
        bytes += value
    }

    /// jsonb: a version byte, then the JSON text (which Postgres parses and checks).
    public mutating func jsonb(_ json: [UInt8]) {
        field(length: json.count + 1)
        bytes.append(1)
        bytes += json
    }

    public mutating func int32(_ value: Int32?) {
        guard let value else { return null() }
        field(length: 4)
        append(value)
    }

    /// timestamptz, in microseconds from the Unix epoch (Postgres' own resolution).
    public mutating func timestamp(unixMicros: Int64) {
        field(length: 8)
        append(unixMicros - Self.postgresEpochMicros)
    }

    /// A one-dimensional text[] (lower bound 1, no NULL elements).
    public mutating func textArray(_ values: [String]) {
        guard !values.isEmpty else {
            // An empty array has no dimensions.
            field(length: 12)
            append(Int32(0))
            append(Int32(0))
            append(Self.textOID)
            return
        }
        let lengthAt = bytes.count
        field(length: 0)
        let start = bytes.count
        append(Int32(1))
        append(Int32(0))
        append(Self.textOID)
        append(Int32(values.count))
        append(Int32(1))
        for value in values {
            var element = value
            element.withUTF8 { utf8 in
                append(Int32(utf8.count))
                bytes.append(contentsOf: utf8)
            }
        }
        let length = Int32(bytes.count - start).bigEndian
        withUnsafeBytes(of: length) { raw in
            for (offset, byte) in raw.enumerated() { bytes[lengthAt + offset] = byte }
        }
    }

    /// The bytes to send: the rows and the trailer.
    public func finished() -> [UInt8] {
        precondition(fieldsLeft == 0, "the last row has fields missing")
        var out = bytes
        out += [0xFF, 0xFF]
        return out
    }

    private mutating func field(length: Int) {
        precondition(fieldsLeft > 0, "more fields than the row declared")
        fieldsLeft -= 1
        append(Int32(length))
    }

    private mutating func append<I: FixedWidthInteger>(_ value: I) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
