import CRdKafka
import Logging

/// Produces messages to Kafka; every send resumes only once the broker has acknowledged it
/// (librdkafka's delivery report), so a returned offset means the message is durable per `acks`.
///
/// Delivery reports are served by a dedicated background thread, never by Swift's cooperative
/// pool. Call `shutdown()` before dropping the producer to deliver what is still queued; if the
/// last reference goes away first, shutdown still happens in the background.
///
/// ```swift
/// let producer = try KafkaProducer(configuration: .init(bootstrapServers: bootstrap, clientID: "synth-api"))
/// let (partition, offset) = try await producer.send(topic: "synth.tasks", key: Array(id.utf8), value: payload)
/// try await producer.sendAll(records)   // many in flight at once
/// await producer.shutdown()
/// ```
public final class KafkaProducer: Sendable {
    private let core: ProducerCore

    public init(
        configuration: KafkaProducerConfiguration,
        logger: Logger = Logger(label: "synth.kafka.producer")
    ) throws {
        core = try ProducerCore(configuration: configuration, logger: logger)
        core.startPollThread()
    }

    deinit {
        core.requestShutdown()
    }

    /// Sends one message and waits for its delivery report.
    /// - Returns: the partition and offset the broker stored the message at.
    /// - Throws: `KafkaError` with librdkafka's reason (e.g. `messageTimedOut` when no broker
    ///   took it within `message.timeout.ms`, `clientClosed` after `shutdown()`), or
    ///   `CancellationError` if the task was cancelled while waiting for local queue space.
    @discardableResult
    public func send(
        topic: String,
        key: [UInt8]?,
        value: [UInt8],
        headers: [(String, [UInt8])] = []
    ) async throws -> (partition: Int32, offset: Int64) {
        try await send(KafkaRecord(topic: topic, key: key, value: value, headers: headers))
    }

    /// Sends one record (which may name an explicit partition) and waits for its delivery report.
    @discardableResult
    public func send(_ record: KafkaRecord) async throws -> (partition: Int32, offset: Int64) {
        try await sendAll([record])[0]
    }

    /// Enqueues all records at once (so librdkafka can batch them) and waits for every
    /// delivery report.
    ///
    /// - Returns: one `(partition, offset)` per record, in the order of `records`.
    /// - Throws: the first record's error if any record failed. Records are independent: when
    ///   this throws, others may have been written, so a retry of the whole batch can duplicate
    ///   them (at-least-once).
    @discardableResult
    public func sendAll(_ records: [KafkaRecord]) async throws -> [(partition: Int32, offset: Int64)] {
        guard !records.isEmpty else { return [] }
        let tracker = DeliveryTracker(count: records.count)
        for (index, record) in records.enumerated() {
            do {
                try await core.enqueue(record, tracker: tracker, index: index)
            } catch {
                tracker.failRemaining(from: index, with: error)
                break
            }
        }
        // Even after a failure, wait for the records already handed to librdkafka: returning
        // early would hide whether they were written.
        let results = await tracker.results()
        return try results.map { try $0.get() }
    }

    /// Waits until every message sent so far has its delivery report.
    /// - Throws: `KafkaError` with code `timedOut` if messages remain after `timeout`.
    public func flush(timeout: Duration) async throws {
        let milliseconds = timeout.librdkafkaMilliseconds
        let client = core.client
        try await core.blockingQueue.runBlocking {
            try client.withHandle { handle in
                let error = rd_kafka_flush(handle, milliseconds)
                guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    throw KafkaError(error, message: "\(rd_kafka_outq_len(handle)) messages or requests still queued after flush")
                }
            }
        }
    }

    /// Stops accepting sends, delivers what is queued (up to the configuration's
    /// `shutdownFlushTimeout`, then fails the rest with `purged*` errors) and releases the
    /// librdkafka handle. Safe to call more than once and concurrently; every call returns once
    /// shutdown is complete.
    public func shutdown() async {
        core.requestShutdown()
        await core.shutdownComplete.wait()
    }
}
