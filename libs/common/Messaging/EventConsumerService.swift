import Foundation
import Logging
import Metrics
import ServiceLifecycle
import SynthKafka

/// Consumes topics in a consumer group and hands each event to `handler`, or
/// each batch of events to a batch handler.
/// The offset is committed only after the handler returns, i.e. after its
/// effect is durable; a failing handler is retried with backoff rather than
/// skipped, so nothing is lost. An event that cannot even be decoded is logged
/// and skipped: retrying it would block the partition forever.
public final class EventConsumerService: Service, Sendable {
    public typealias Handler = @Sendable (ConsumedEvent) async throws -> Void
    /// Gets every decodable event of a batch, in the order read (offset order per partition).
    /// It must be idempotent as a whole: after a failure or a crash the same batch, or one
    /// overlapping it, is handed over again.
    public typealias BatchHandler = @Sendable ([ConsumedEvent]) async throws -> Void
    /// The two stages of a pipelined batch handler: `prepare` does the batch's CPU work (decode,
    /// build rows) without side effects and returns the write, which makes the batch durable.
    /// The service prepares batch N+1 while batch N is being written, so decoding overlaps the
    /// database; writes still run one at a time, in order, each followed by its offset commit.
    public typealias BatchWrite = @Sendable () async throws -> Void
    public typealias BatchPreparer = @Sendable ([ConsumedEvent]) async throws -> BatchWrite
    /// Reads the header and the payload of the envelopes a consumer decodes in bulk in one
    /// pass (`StepExecuted.envelope(bytes:)`); nil hands the bytes to the usual header reader.
    /// It must give the header the usual reader gives, and take only well-formed envelopes.
    public typealias EnvelopeReader = @Sendable ([UInt8]) -> (header: EventHeader, payload: any Sendable)?

    private enum Mode: Sendable {
        case single(Handler)
        case batch(BatchPreparer, maxEvents: Int)
    }

    private let consumer: KafkaConsumer
    private let mode: Mode
    private let logger: Logger
    private let groupID: String
    private let lagReporter: ConsumerLagReporter
    private let envelopeReader: EnvelopeReader?

    public convenience init(configuration: SynthConfiguration, groupID: String, topics: [Topic], logger: Logger,
                            handler: @escaping Handler) throws {
        try self.init(configuration: configuration, groupID: groupID, topics: topics, logger: logger, mode: .single(handler))
    }

    /// Batch mode: one handler call and one offset commit per batch of up to `maxEvents`.
    public convenience init(configuration: SynthConfiguration, groupID: String, topics: [Topic], logger: Logger,
                            maxEvents: Int, batchHandler: @escaping BatchHandler) throws {
        try self.init(configuration: configuration, groupID: groupID, topics: topics, logger: logger,
                      mode: .batch({ events in { try await batchHandler(events) } }, maxEvents: maxEvents))
    }

    /// Pipelined batch mode: `prepare` of the next batch runs while the previous batch's write
    /// does; one offset commit per batch, after its write returned. `read` takes the envelopes it
    /// can in one pass (their `payloadRead` is set), the rest go through the header reader.
    public convenience init(configuration: SynthConfiguration, groupID: String, topics: [Topic], logger: Logger,
                            maxEvents: Int, read: EnvelopeReader? = nil, prepare: @escaping BatchPreparer) throws {
        try self.init(configuration: configuration, groupID: groupID, topics: topics, logger: logger,
                      mode: .batch(prepare, maxEvents: maxEvents), envelopeReader: read)
    }

    private init(configuration: SynthConfiguration, groupID: String, topics: [Topic], logger: Logger, mode: Mode,
                 envelopeReader: EnvelopeReader? = nil) throws {
        let bufferCapacity: Int
        if case .batch(_, let maxEvents) = mode {
            // Room for the next batch while one is being written.
            bufferCapacity = max(1000, 2 * maxEvents)
        } else {
            bufferCapacity = 1000
        }
        self.consumer = try KafkaConsumer(configuration: .init(
            bootstrapServers: configuration.kafkaBootstrapServers,
            groupID: groupID,
            topics: topics.map(\.rawValue),
            clientID: configuration.instanceID,
            sessionTimeout: .milliseconds(configuration.kafkaSessionTimeoutMS),
            bufferCapacity: bufferCapacity))
        self.mode = mode
        self.envelopeReader = envelopeReader
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
            switch mode {
            case .single(let handler):
                for try await message in consumer.messages {
                    guard let event = decode(message) else {
                        try await consumer.commit(message)
                        continue
                    }
                    try await retrying(type: event.header.type, eventID: event.header.eventID) { try await handler(event) }
                    try await consumer.commit(message)
                    processed.increment()
                }
            case .batch(let prepare, let maxEvents):
                // The next batch is read and prepared in its own task while this one is written.
                // Nothing is committed before its write returned, so a crash at any point only
                // redelivers; a prepared batch still in hand at shutdown is written and committed
                // like the one being written (close() waits for handed-out messages).
                var next = Task { try await self.readBatch(prepare: prepare, maxEvents: maxEvents) }
                defer { next.cancel() }
                while let batch = try await next.value {
                    next = Task { try await self.readBatch(prepare: prepare, maxEvents: maxEvents) }
                    if let write = batch.write {
                        try await retrying(type: "batch of \(batch.events)", eventID: batch.firstEventID) { try await write() }
                    }
                    try await consumer.commit(batch.messages)
                    processed.increment(by: Int64(batch.events))
                }
            }
        } onGracefulShutdown: {
            // Ends `messages` after the event in hand is handled and committed.
            Task { await consumer.close() }
        }
    }

    private struct PreparedBatch: Sendable {
        var messages: [KafkaMessage]
        var events: Int
        var firstEventID: String
        /// `nil` when no message of the batch was decodable: only the offsets are committed.
        var write: BatchWrite?
    }

    /// The next batch with its headers decoded (in parallel chunks) and `prepare` applied;
    /// `nil` once the consumer is closed.
    private func readBatch(prepare: BatchPreparer, maxEvents: Int) async throws -> PreparedBatch? {
        guard let messages = try await consumer.nextBatch(maxMessages: maxEvents) else { return nil }
        let events = await ParallelChunks.compactMap(messages) { self.decode($0) }
        guard let first = events.first else { return PreparedBatch(messages: messages, events: 0, firstEventID: "", write: nil) }
        var write: BatchWrite?
        try await retrying(type: "preparing a batch of \(events.count)", eventID: first.header.eventID) {
            write = try await prepare(events)
        }
        return PreparedBatch(messages: messages, events: events.count, firstEventID: first.header.eventID, write: write)
    }

    private func decode(_ message: KafkaMessage) -> ConsumedEvent? {
        if let read = envelopeReader?(message.value) {
            return ConsumedEvent(header: read.header, bytes: message.value, topic: message.topic, payloadRead: read.payload)
        }
        // The byte-level reader takes the usual envelopes; JSONDecoder decides the rest.
        guard let header = EventHeader(envelopeBytes: message.value) ?? (try? SynthJSON.decode(EventHeader.self, from: message.value)) else {
            logger.error("event_undecodable", metadata: ["topic": "\(message.topic)", "offset": "\(message.offset)"])
            return nil
        }
        return ConsumedEvent(header: header, bytes: message.value, topic: message.topic)
    }

    /// A batch handler decodes payloads itself (one bad payload must not drop its batch), so a
    /// DecodingError reaching here comes from a single event's handler.
    private func retrying(type: String, eventID: String, _ body: () async throws -> Void) async throws {
        var delay = 0.1
        while true {
            do {
                try await body()
                return
            } catch let error as DecodingError {
                logger.error("event_payload_undecodable", metadata: ["type": "\(type)", "event_id": "\(eventID)", "error": "\(error)"])
                return
            } catch {
                logger.warning("event_handler_failed", metadata: ["type": "\(type)", "error": "\(error)", "retry_in_s": "\(delay)"])
                try await Task.sleep(for: .seconds(delay))
                delay = min(delay * 2, 5)
            }
        }
    }
}
