import Foundation

/// The JSON envelope every event travels in. `eventID` is the dedupe key:
/// consumers are idempotent on it, so at-least-once delivery stores once.
public struct EventEnvelope<Payload: Codable & Sendable>: Codable, Sendable {
    public var eventID: String
    public var type: String
    public var schemaVersion: Int
    public var occurredAt: Date
    public var source: String
    public var payload: Payload

    public init(eventID: String = RandomUUID.string(), type: String, schemaVersion: Int = 1,
                occurredAt: Date = Date(), source: String, payload: Payload) {
        self.eventID = eventID
        self.type = type
        self.schemaVersion = schemaVersion
        self.occurredAt = occurredAt
        self.source = source
        self.payload = payload
    }

    enum CodingKeys: String, CodingKey {
        case type, source, payload
        case eventID = "event_id", schemaVersion = "schema_version", occurredAt = "occurred_at"
    }
}

/// The envelope without its payload: read first to learn the type, then the
/// bytes are decoded again with the payload type that goes with it.
public struct EventHeader: Codable, Sendable {
    public var eventID: String
    public var type: String
    public var schemaVersion: Int
    public var occurredAt: Date
    public var source: String

    enum CodingKeys: String, CodingKey {
        case type, source
        case eventID = "event_id", schemaVersion = "schema_version", occurredAt = "occurred_at"
    }
}
