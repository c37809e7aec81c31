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
///
/// With a batch handler, the events already buffered (up to `batchLimit`)
/// are handed over together and committed together once it returns; a
/// failing batch is retried whole, so the handler must be idempotent (as
/// every at-least-once handler is anyway).
public final class EventConsumerService: Service, Sendable {
    public typealias Handler = @Sendable (ConsumedEvent) async throws -> Void
    public typealias BatchHandler = @Sendable ([ConsumedEvent]) async throws -> Void

    private enum Handling: Sendable {
        case single(Handler)
        case batch(BatchHandler, limit: Int)
    }

    private let consumer: KafkaConsumer
    private let handling: Handling
    private let logger: Logger
    private let groupID: String
    private let lagReporter: ConsumerLagReporter

    public convenience init(configuration: SynthConfiguration, groupID: String, topics: [Topic], logger: Logger,
                            handler: @escaping Handler) throws {
        try self.init(configuration: configuration, groupID: groupID, topics: topics, logger: logger, handling: .single(handler))
    }

    public convenience init(configuration: SynthConfiguration, groupID: String, topics: [Topic], logger: Logger, batchLimit: Int = 500,
                            batchHandler: @escaping BatchHandler) throws {
        try self.init(configuration: configuration, groupID: groupID, topics: topics, logger: logger,
                      handling: .batch(batchHandler, limit: max(1, batchLimit)))
    }

    private init(configuration: SynthConfiguration, groupID: String, topics: [Topic], logger: Logger, handling: Handling) throws {
        self.handling = handling
        self.consumer = try KafkaConsumer(configuration: .init(
            bootstrapServers: configuration.kafkaBootstrapServers,
            groupID: groupID,
            topics: topics.map(\.rawValue),
            clientID: configuration.instanceID,
            sessionTimeout: .milliseconds(configuration.kafkaSessionTimeoutMS)))
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
            let handler: Handler
            switch handling {
            case .batch(let batchHandler, let limit):
                try await consumeBatches(batchHandler, limit: limit, processed: processed)
                return
            case .single(let single):
                handler = single
            }
            for try await message in consumer.messages {
                guard let header = try? SynthJSON.decode(EventHeader.self, from: message.value) else {
                    logger.error("event_undecodable", metadata: ["topic": "\(message.topic)", "offset": "\(message.offset)"])
                    try await consumer.commit(message)
                    continue
                }
                let event = ConsumedEvent(header: header, bytes: message.value, topic: message.topic)
                try await handleWithRetry(event, handler)
                try await consumer.commit(message)
                processed.increment()
            }
        } onGracefulShutdown: {
            // Ends `messages` after the event in hand is handled and committed.
            Task { await consumer.close() }
        }
    }

    private func consumeBatches(_ batchHandler: BatchHandler, limit: Int, processed: Counter) async throws {
        while true {
            let messages = try await consumer.nextBatch(limit: limit)
            if messages.isEmpty { return }
            var events: [ConsumedEvent] = []
            for message in messages {
                guard let header = try? SynthJSON.decode(EventHeader.self, from: message.value) else {
                    logger.error("event_undecodable", metadata: ["topic": "\(message.topic)", "offset": "\(message.offset)"])
                    continue
                }
                events.append(ConsumedEvent(header: header, bytes: message.value, topic: message.topic))
            }
            var delay = 0.1
            while !events.isEmpty {
                do {
                    try await batchHandler(events)
                    break
                } catch {
                    // A payload that cannot be decoded is the handler's to skip; anything thrown is retried.
                    logger.warning("event_batch_failed", metadata: ["events": "\(events.count)", "error": "\(error)", "retry_in_s": "\(delay)"])
                    try await Task.sleep(for: .seconds(delay))
                    delay = min(delay * 2, 5)
                }
            }
            try await consumer.commit(messages)
            processed.increment(by: Int64(messages.count))
        }
    }

    private func handleWithRetry(_ event: ConsumedEvent, _ handler: Handler) async throws {
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
