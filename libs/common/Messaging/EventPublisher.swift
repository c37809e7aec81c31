import Foundation
import SynthKafka

/// Wraps payloads in the event envelope and sends them to their topic,
/// returning only once Kafka has acknowledged them.
public struct EventPublisher: Sendable {
    public let producer: KafkaProducer
    public let source: String

    public init(producer: KafkaProducer, source: String) {
        self.producer = producer
        self.source = source
    }

    public static func connect(_ configuration: SynthConfiguration) throws -> EventPublisher {
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: configuration.kafkaBootstrapServers,
                                                               clientID: configuration.instanceID))
        return EventPublisher(producer: producer, source: configuration.serviceName)
    }

    /// The bytes that would be sent, for writing to an outbox first.
    public func encode<P: SystemEventPayload>(_ payload: P, eventID: String = RandomUUID.string()) throws -> EncodedEvent {
        let envelope = EventEnvelope(eventID: eventID, type: P.eventType, source: source, payload: payload)
        if let bytes = envelope.serializedBytes {
            return EncodedEvent(topic: P.topic.rawValue, key: payload.partitionKey, value: bytes)
        }
        return EncodedEvent(topic: P.topic.rawValue, key: payload.partitionKey, value: try SynthJSON.encode(envelope))
    }

    /// TaskSubmitted for a task whose JSON (`SynthJSON.encode(task)`) is at
    /// hand: the bytes `encode(TaskSubmitted(task:))` gives, without encoding
    /// the task a second time.
    public func encodeTaskSubmitted(taskID: String, taskJSON: [UInt8], eventID: String = RandomUUID.string()) throws -> EncodedEvent {
        let value = try EnvelopeWriter.taskSubmitted(taskJSON: taskJSON, eventID: eventID, occurredAt: Date(), source: source)
        return EncodedEvent(topic: TaskSubmitted.topic.rawValue, key: taskID, value: value)
    }

    public func publish<P: SystemEventPayload>(_ payload: P) async throws {
        try await send(try encode(payload))
    }

    public func send(_ event: EncodedEvent) async throws {
        _ = try await producer.send(topic: event.topic, key: Array(event.key.utf8), value: event.value)
    }

    /// Sends many events at once (librdkafka batches them) and returns once
    /// all are acknowledged; throws if any failed (the others may be written).
    public func sendAll(_ events: [EncodedEvent]) async throws {
        _ = try await producer.sendAll(events.map { KafkaRecord(topic: $0.topic, key: Array($0.key.utf8), value: $0.value) })
    }
}

/// An event ready for the wire.
public struct EncodedEvent: Sendable {
    public var topic: String
    public var key: String
    public var value: [UInt8]

    public init(topic: String, key: String, value: [UInt8]) {
        self.topic = topic
        self.key = key
        self.value = value
    }
}
