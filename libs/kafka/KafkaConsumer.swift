import Logging

/// A member of a Kafka consumer group that hands out messages as an `AsyncSequence` and
/// commits only when told to (at-least-once).
///
/// A dedicated thread polls librdkafka into a bounded buffer; when the application falls behind
/// the thread stops fetching. Rebalances are applied automatically; buffered messages of revoked
/// partitions are dropped (they are read again from the committed offset by the new owner).
///
/// ```swift
/// let consumer = try KafkaConsumer(configuration: .init(
///     bootstrapServers: bootstrap, groupID: "synth-scheduler", topics: ["synth.tasks"]))
/// for try await message in consumer.messages {
///     try await handle(message)            // make the effect durable first...
///     try await consumer.commit(message)   // ...then commit offset + 1
/// }
/// await consumer.close()
/// ```
public final class KafkaConsumer: Sendable {
    private let core: ConsumerCore

    public init(
        configuration: KafkaConsumerConfiguration,
        logger: Logger = Logger(label: "synth.kafka.consumer")
    ) throws {
        core = try ConsumerCore(configuration: configuration, logger: logger)
        core.startPollThread()
    }

    deinit {
        core.requestClose()
    }

    /// The messages of the assigned partitions, in offset order per partition. Ends after
    /// `close()`; throws if librdkafka reports a fatal error. Iterating keeps the consumer alive.
    public var messages: KafkaConsumerMessages {
        KafkaConsumerMessages(consumer: self)
    }

    func nextMessage() async throws -> KafkaMessage? {
        try await core.buffer.next()
    }

    /// The next batch: waits for one message, then adds whatever else is buffered, up to
    /// `maxMessages`. When that leaves the batch short it waits `linger` once more and drains
    /// again, so a steady stream is handled in full batches while a lone event is not held up
    /// longer than `linger`. `nil` once the consumer is closed, as for `messages`.
    ///
    /// Messages of one partition stay in offset order; commit the batch with `commit(_:)`
    /// after its effect is durable.
    public func nextBatch(maxMessages: Int, linger: Duration = .milliseconds(5)) async throws -> [KafkaMessage]? {
        guard let first = try await core.buffer.next() else { return nil }
        var batch = [first]
        let limit = max(1, maxMessages)
        batch += core.buffer.take(upTo: limit - batch.count)
        if batch.count < limit && linger > .zero {
            try? await Task.sleep(for: linger)
            batch += core.buffer.take(upTo: limit - batch.count)
        }
        return batch
    }

    /// Commits `message.offset + 1` for its partition and waits for the coordinator's answer.
    /// - Throws: `KafkaError` (e.g. the partition was reassigned meanwhile, or `clientClosed`).
    public func commit(_ message: KafkaMessage) async throws {
        try await commit([message])
    }

    /// Commits a batch: for each partition, the highest offset among `messages` + 1.
    public func commit(_ messages: some Sequence<KafkaMessage>) async throws {
        var offsets: [TopicPartition: Int64] = [:]
        for message in messages {
            let key = TopicPartition(topic: message.topic, partition: message.partition)
            offsets[key] = max(offsets[key] ?? Int64.min, message.offset + 1)
        }
        try await core.commit(offsets)
    }

    /// Ends `messages` at once, lets the application commit what it was already given, then
    /// leaves the group cleanly (its partitions move to other members without waiting for the
    /// session timeout) and releases the handle.
    ///
    /// Commits keep working until every message handed out is committed or
    /// `closeGracePeriod` has passed; after that they throw `clientClosed`. Messages buffered
    /// but not handed out are dropped uncommitted and will be delivered again. So calling
    /// `close()` from a graceful-shutdown handler while a message is being processed is fine.
    /// Safe to call more than once; every call returns once the consumer is closed.
    public func close() async {
        core.requestClose()
        await core.closeComplete.wait()
    }
}
