import SynthKafka

/// An event read from Kafka: its header is decoded, the payload is decoded on
/// demand with the type that goes with `header.type`.
public struct ConsumedEvent: Sendable {
    public let header: EventHeader
    public let bytes: [UInt8]
    public let topic: String
    /// The payload, when the consumer's envelope reader (`EventConsumerService`'s `read`) took
    /// it with the header in one pass; nil otherwise (then `decode` or `payload`).
    public let payloadRead: (any Sendable)?

    public init(header: EventHeader, bytes: [UInt8], topic: String, payloadRead: (any Sendable)? = nil) {
        self.header = header
        self.bytes = bytes
        self.topic = topic
        self.payloadRead = payloadRead
    }

    public func decode<P: SystemEventPayload>(_ type: P.Type) throws -> EventEnvelope<P> {
        try SynthJSON.decode(EventEnvelope<P>.self, from: bytes)
    }

    public func payload<P: SystemEventPayload>(_ type: P.Type) throws -> P {
        try decode(type).payload
    }
}
