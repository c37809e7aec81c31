import Foundation
import Logging
import Metrics
import ServiceLifecycle
import SynthKafka

/// Consumes topics in a consumer group and hands each event to `handler`.
/// The offset is committed only after the handler returns, i.e. after its
/// effect is durable; a failing handler is retried with backoff rather than
/// skipped, so nothing is lost. An event that cannot even be decoded is logged
/// and skipped: retrying it would block the partition forever.
public final class EventConsumerService: Service, Sendable {
    public typealias Handler = @Sendable (ConsumedEvent) async throws -> Void

    private let consumer: KafkaConsumer
    private let handler: Handler
    private let logger: Logger
    private let groupID: String
    private let lagReporter: ConsumerLagReporter

    public init(configuration: SynthConfiguration, groupID: String, topics: [Topic], logger: Logger, handler: @escaping Handler) throws {
        self.consumer = try KafkaConsumer(configuration: .init(
            bootstrapServers: configuration.kafkaBootstrapServers,
            groupID: groupID,
            topics: topics.map(\.rawValue),
            clientID: configuration.instanceID,
            sessionTimeout: .milliseconds(configuration.kafkaSessionTimeoutMS)))
        self.handler = handler
        self.logger = logger
        self.groupID = groupID
        self.lagReporter = ConsumerLagReporter(
            admin: try KafkaAdmin(bootstrapServers: configuration.kafkaBootstrapServers, clientID: configuration.instanceID + "-lag"),
            group: groupID, topics: topics.map(\.rawValue),
            interval: .milliseconds(configuration.lagIntervalMS), logger: logger)
    }

    public func run() async throws {
        let consumer = self.consumer
        let processed = Counter(label: "synth_events_consumed_total", dimensions: [("group", groupID)])
        let lagReporter = self.lagReporter
        let reporting = Task { await lagReporter.run() }
        defer { reporting.cancel() }
        try await withGracefulShutdownHandler {
            for try await message in consumer.messages {
                guard let header = try? SynthJSON.decode(EventHeader.self, from: message.value) else {
                    logger.error("event_undecodable", metadata: ["topic": "\(message.topic)", "offset": "\(message.offset)"])
                    try await consumer.commit(message)
                    continue
                }
                let event = ConsumedEvent(header: header, bytes: message.value, topic: message.topic)
                try await handleWithRetry(event)
                try await consumer.commit(message)
                processed.increment()
            }
        } onGracefulShutdown: {
            // Ends `messages` after the event in hand is handled and committed.
            Task { await consumer.close() }
        }
    }

    private func handleWithRetry(_ event: ConsumedEvent) async throws {
        var delay = 0.1
        while true {
            do {
                try await handler(event)
                return
            } catch is DecodingError {
                logger.error("event_payload_undecodable", metadata: ["type": "\(event.header.type)", "event_id": "\(event.header.eventID)"])
                return
            } catch {
                logger.warning("event_handler_failed", metadata: ["type": "\(event.header.type)", "error": "\(error)", "retry_in_s": "\(delay)"])
                try await Task.sleep(for: .seconds(delay))
                delay = min(delay * 2, 5)
            }
        }
    }
}
