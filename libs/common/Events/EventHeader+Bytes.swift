import Foundation

/// The envelope's header read straight from its bytes: every consumer reads one per event,
/// and JSONDecoder took a few percent of the collector's CPU per event for it.
extension EventHeader {
    /// nil when the bytes hold anything this reader does not take on itself (as
    /// `StepExecuted(envelopeBytes:)`): the caller then decodes with JSONDecoder. The payload is
    /// checked to be well-formed JSON, as JSONDecoder checks the whole document.
    public init?(envelopeBytes bytes: [UInt8]) {
        let header = bytes.withUnsafeBufferPointer { buffer -> EventHeader? in
            var reader = JSONValue.Reader(bytes: buffer)
            return try? reader.eventHeader()
        }
        guard let header else { return nil }
        self = header
    }
}

extension JSONValue.Reader {
    mutating func eventHeader() throws(ParseError) -> EventHeader {
        var header = HeaderMembers()
        try members { (reader, key) throws(ParseError) in
            if try !header.read(key, &reader) { try reader.check(depth: 1) }
        }
        skipWhitespace()
        guard position == bytes.count, let read = header.header else { throw failure("not an event envelope") }
        return read
    }

    /// The envelope's five header members, met among its other members: read alike by the
    /// header-only reader above and by the one-pass StepExecuted reader.
    struct HeaderMembers {
        private var eventID: String?, type: String?, schemaVersion: Int?, occurredAt: Date?, source: String?
        private var seen = Seen()

        /// Reads the member if `key` names a header field; false for any other key.
        mutating func read(_ key: Key, _ reader: inout JSONValue.Reader) throws(ParseError) -> Bool {
            if key.is("event_id") { try seen.once(0, reader); eventID = try reader.text() }
            else if key.is("type") { try seen.once(1, reader); type = try reader.text() }
            else if key.is("schema_version") { try seen.once(2, reader); schemaVersion = try reader.integer() }
            else if key.is("occurred_at") { try seen.once(3, reader); occurredAt = try reader.date() }
            else if key.is("source") { try seen.once(4, reader); source = try reader.text() }
            else { return false }
            return true
        }

        /// nil until every header member has been read.
        var header: EventHeader? {
            guard let eventID, let type, let schemaVersion, let occurredAt, let source else { return nil }
            return EventHeader(eventID: eventID, type: type, schemaVersion: schemaVersion, occurredAt: occurredAt, source: source)
        }
    }

    /// Past one value, checked as `value(depth:)` checks it but without building it: plain ASCII
    /// strings are only scanned, the rest read as `value` reads them.
    mutating func check(depth: Int) throws(ParseError) {
        guard position < bytes.count else { throw failure("unexpected end of data") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { throw failure("nested too deeply") }
            position += 1
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return }
            var members = 0
            while true {
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}"), members > 0 { position += 1; return }  // trailing comma
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a string key") }
                try checkString()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("expected ':'") }
                position += 1
                skipWhitespace()
                try check(depth: depth + 1)
                members += 1
                skipWhitespace()
                guard position < bytes.count else { throw failure("unexpected end of data in an object") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return }
                throw failure("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw failure("nested too deeply") }
            position += 1
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return }
            var items = 0
            while true {
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]"), items > 0 { position += 1; return }  // trailing comma
                try check(depth: depth + 1)
                items += 1
                skipWhitespace()
                guard position < bytes.count else { throw failure("unexpected end of data in an array") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return }
                throw failure("expected ',' or ']'")
            }
        case UInt8(ascii: "\""): try checkString()
        default: _ = try value(depth: depth)
        }
    }

    private mutating func checkString() throws(ParseError) {
        let start = position
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { position += 1; return }
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { break }
            position += 1
        }
        // Escapes, non-ASCII or an error: the full reader decides.
        position = start
        _ = try string()
    }
}
