import Foundation

/// Writes an event envelope around a payload that is already JSON, with the
/// bytes `SynthJSON.encode(EventEnvelope(...))` would give (sorted keys, no
/// escaped slashes). The api stores each task's definition and sends it in
/// TaskSubmitted: encoding the task once instead of twice is most of a batch
/// submission's JSON work.
enum EnvelopeWriter {
    static func bytes(eventID: String, type: String, schemaVersion: Int = 1, occurredAt: Date, source: String,
                      payloadJSON: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payloadJSON.count + 160)
        // Keys in JSONEncoder's sorted order.
        out += #"{"event_id":"#.utf8
        try appendString(eventID, to: &out)
        out += #","occurred_at":"#.utf8
        try appendString(SynthJSON.formatTimestamp(occurredAt), to: &out)
        out += #","payload":"#.utf8
        out += payloadJSON
        out += #","schema_version":"#.utf8
        out += String(schemaVersion).utf8
        out += #","source":"#.utf8
        try appendString(source, to: &out)
        out += #","type":"#.utf8
        try appendString(type, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// TaskSubmitted, whose payload is `{"task": <the task's JSON>}`.
    static func taskSubmitted(taskJSON: [UInt8], eventID: String, occurredAt: Date, source: String) throws -> [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(taskJSON.count + 10)
        payload += #"{"task":"#.utf8
        payload += taskJSON
        payload.append(UInt8(ascii: "}"))
        return try bytes(eventID: eventID, type: TaskSubmitted.eventType, occurredAt: occurredAt, source: source, payloadJSON: payload)
    }

    /// A JSON string. Text that needs escaping is left to JSONEncoder, so the
    /// escapes are exactly its own; ids, timestamps and names never need any.
    static func appendString(_ text: String, to out: inout [UInt8]) throws {
        if text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += try SynthJSON.encode(text)
            return
        }
        out.append(UInt8(ascii: "\""))
        out += text.utf8
        out.append(UInt8(ascii: "\""))
    }
}
