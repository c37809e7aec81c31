import SynthKafka

/// An event read from Kafka: its header is decoded, the payload is decoded on
/// demand with the type that goes with `header.type`.
public struct ConsumedEvent: Sendable {
    public let header: EventHeader
    public let bytes: [UInt8]
    public let topic: String

    public func decode<P: SystemEventPayload>(_ type: P.Type) throws -> EventEnvelope<P> {
        try SynthJSON.decode(EventEnvelope<P>.self, from: bytes)
    }

    public func payload<P: SystemEventPayload>(_ type: P.Type) throws -> P {
        try decode(type).payload
    }
}
