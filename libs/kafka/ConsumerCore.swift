import CRdKafka
import Foundation
import Logging

/// The consumer's librdkafka handle, its poll thread, commits and its close sequence.
///
/// Kept apart from `KafkaConsumer` so the poll thread references only this object and the
/// public consumer's `deinit` can still ask it to close.
final class ConsumerCore: Sendable {
    let client: RdKafkaClient
    let buffer: MessageBuffer
    let progress: CommitProgress
    let configuration: KafkaConsumerConfiguration
    let logger: Logger
    let closeComplete = CompletionSignal()
    /// Commits block while they wait for the coordinator, so they run here. One serial queue
    /// also keeps commits in call order, so an older commit can never overwrite a newer one.
    let commitQueue = DispatchQueue(label: "synth.kafka.consumer.commit")
    private let closeRequested = LockedState(false)

    init(configuration: KafkaConsumerConfiguration, logger: Logger) throws {
        let progress = CommitProgress()
        let buffer = MessageBuffer(capacity: max(1, configuration.bufferCapacity)) { progress.handedOut($0) }
        self.buffer = buffer
        self.progress = progress
        self.configuration = configuration
        self.logger = logger
        self.client = try RdKafkaClient(
            type: RD_KAFKA_CONSUMER,
            properties: configuration.librdkafkaProperties,
            context: ClientContext(logger: logger, messageBuffer: buffer, commitProgress: progress),
            what: "KafkaConsumer"
        ) { librdkafkaConfiguration in
            // Served on the poll thread, inside rd_kafka_consumer_poll / rd_kafka_consumer_close.
            rd_kafka_conf_set_rebalance_cb(librdkafkaConfiguration) { handle, error, partitions, opaque in
                guard let handle, let opaque else { return }
                ConsumerCore.rebalance(handle: handle, error: error, partitions: partitions, context: ClientContext.from(opaque))
            }
        }
        let handle = client.ownerHandle
        // Route log/error events to the consumer queue so rd_kafka_consumer_poll serves them.
        rd_kafka_poll_set_consumer(handle)

        let topics = rd_kafka_topic_partition_list_new(Int32(configuration.topics.count))!
        defer { rd_kafka_topic_partition_list_destroy(topics) }
        for topic in configuration.topics {
            rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA)
        }
        let error = rd_kafka_subscribe(handle, topics)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            // Never joined a group, so letting `client` deinit destroy the handle is quick.
            throw KafkaError(error, message: "subscribing to \(configuration.topics): \(String(cString: rd_kafka_err2str(error)))")
        }
    }

    func startPollThread() {
        let thread = Thread { [self] in runPollLoop() }
        thread.name = "synth.kafka.consumer.poll"
        thread.start()
    }

    func requestClose() {
        closeRequested.withLock { $0 = true }
    }

    private var isCloseRequested: Bool { closeRequested.withLock { $0 } }

    /// Commits `offsets` (the next offset to read, i.e. last processed + 1) and waits for the
    /// coordinator to confirm every partition.
    func commit(_ offsets: [TopicPartition: Int64]) async throws {
        guard !offsets.isEmpty else { return }
        let client = self.client
        let timeout = configuration.commitTimeout.librdkafkaMilliseconds
        try await commitQueue.runBlocking {
            try client.withHandle { handle in
                try Self.commitBlocking(offsets, timeout: timeout, handle: handle)
            }
        }
        progress.committed(offsets)
    }

    private static func commitBlocking(_ offsets: [TopicPartition: Int64], timeout: Int32, handle: OpaquePointer) throws {
        let list = rd_kafka_topic_partition_list_new(Int32(offsets.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (topicPartition, offset) in offsets {
            rd_kafka_topic_partition_list_add(list, topicPartition.topic, topicPartition.partition).pointee.offset = offset
        }
        // A private result queue (instead of a plain synchronous rd_kafka_commit) lets us bound
        // the wait: a synchronous commit waits as long as the coordinator is unreachable.
        let results = rd_kafka_queue_new(handle)!
        defer { rd_kafka_queue_destroy(results) }
        let error = rd_kafka_commit_queue(handle, list, results, nil, nil)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(error, message: "commit: \(String(cString: rd_kafka_err2str(error)))")
        }
        guard let event = rd_kafka_queue_poll(results, timeout) else {
            throw KafkaError(code: .timedOut, message: "commit not confirmed within \(timeout) ms; it may still succeed")
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        guard eventError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(eventError, message: "commit: \(String(cString: rd_kafka_event_error_string(event)))")
        }
        if let committed = rd_kafka_event_topic_partition_list(event) {
            for index in 0..<Int(committed.pointee.cnt) {
                let element = committed.pointee.elems[index]
                guard element.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    let topic = String(cString: element.topic)
                    throw KafkaError(element.err, message: "commit of \(topic)[\(element.partition)]: \(String(cString: rd_kafka_err2str(element.err)))")
                }
            }
        }
    }

    /// Polls into the buffer until close is requested, then leaves the group and destroys the
    /// handle.
    private func runPollLoop() {
        let handle = client.ownerHandle
        while !isCloseRequested {
            // Backpressure: while the buffer is full, stop fetching (the wait is bounded so a
            // close request is noticed). Group heartbeats continue on librdkafka's own threads.
            guard buffer.waitForSpace(timeout: 0.1) else { continue }
            guard let message = rd_kafka_consumer_poll(handle, 100) else { continue }
            defer { rd_kafka_message_destroy(message) }
            let error = message.pointee.err
            if error == RD_KAFKA_RESP_ERR_NO_ERROR {
                buffer.push(KafkaMessage(copying: message))
            } else if error == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                continue
            } else {
                handlePollError(error, message: message, handle: handle)
            }
        }
        // Buffered messages are not committed, so dropping them is safe: they are read again.
        buffer.finish()
        waitForHandedOutMessagesToBeCommitted(handle: handle)
        // Let commits already under way finish before leaving the group; later ones fail.
        client.stopAcceptingUses()
        let closeError = rd_kafka_consumer_close(handle)
        if closeError != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("leaving the consumer group failed: \(String(cString: rd_kafka_err2str(closeError)))")
        }
        client.destroy()
        closeComplete.fire()
    }

    /// The application may still be working on messages it was given; leaving the group now
    /// would fail their commits and get them processed twice. Give it `closeGracePeriod`.
    private func waitForHandedOutMessagesToBeCommitted(handle: OpaquePointer) {
        let deadline = ContinuousClock.now + configuration.closeGracePeriod
        while !progress.isSettled && ContinuousClock.now < deadline {
            // Keep serving the consumer queue (rebalance callbacks, and the poll interval);
            // messages fetched now are dropped uncommitted and will be read again.
            if let message = rd_kafka_consumer_poll(handle, 50) {
                rd_kafka_message_destroy(message)
            }
        }
        if !progress.isSettled {
            logger.warning("closing with uncommitted messages in hand; they will be delivered again")
        }
    }

    private func handlePollError(_ error: rd_kafka_resp_err_t, message: UnsafeMutablePointer<rd_kafka_message_t>, handle: OpaquePointer) {
        let text = String(cString: rd_kafka_message_errstr(message))
        var fatalText = [CChar](repeating: 0, count: 512)
        let fatal = fatalText.withUnsafeMutableBufferPointer { rd_kafka_fatal_error(handle, $0.baseAddress, $0.count) }
        if fatal != RD_KAFKA_RESP_ERR_NO_ERROR {
            // The handle cannot be used any more: end the sequence with the reason and close.
            let fatalError = KafkaError(fatal, message: RdKafkaClient.string(from: fatalText))
            logger.error("fatal consumer error: \(fatalError)")
            buffer.finish(throwing: fatalError)
            requestClose()
            return
        }
        // Everything else (unknown topic yet, broker connection lost, ...) is retried by
        // librdkafka itself; the application only needs to know.
        let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "-"
        logger.warning(
            "consumer error \(String(cString: rd_kafka_err2name(error))): \(text)",
            metadata: ["topic": "\(topic)", "partition": "\(message.pointee.partition)"]
        )
    }

    /// Applies a group rebalance: librdkafka asks us to (un)assign partitions.
    private static func rebalance(
        handle: OpaquePointer,
        error: rd_kafka_resp_err_t,
        partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
        context: ClientContext
    ) {
        let logger = context.logger
        let cooperative = rd_kafka_rebalance_protocol(handle).map { String(cString: $0) } == "COOPERATIVE"
        let affected = TopicPartition.all(in: partitions)
        let description = affected.map { "\($0.topic)[\($0.partition)]" }.sorted().joined(separator: ",")
        switch error {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            logger.info("partitions assigned", metadata: ["partitions": "\(description)"])
            if cooperative {
                if let failure = rd_kafka_incremental_assign(handle, partitions) {
                    logger.error("incremental assign failed: \(KafkaError(consuming: failure))")
                }
            } else {
                let failure = rd_kafka_assign(handle, partitions)
                if failure != RD_KAFKA_RESP_ERR_NO_ERROR {
                    logger.error("assign failed: \(KafkaError(failure))")
                }
            }
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            // Buffered messages of these partitions were not handed out yet; whoever gets the
            // partition next reads them again from the committed offset, so handing them out
            // here as well would only process them twice (and out of order).
            let revoked = Set(affected)
            let dropped = context.messageBuffer?.discard { revoked.contains(TopicPartition(topic: $0.topic, partition: $0.partition)) } ?? 0
            context.commitProgress?.forget(revoked)
            let lost = rd_kafka_assignment_lost(handle) != 0
            logger.info(
                lost ? "partitions lost" : "partitions revoked",
                metadata: ["partitions": "\(description)", "droppedBufferedMessages": "\(dropped)"]
            )
            if cooperative {
                if let failure = rd_kafka_incremental_unassign(handle, partitions) {
                    logger.error("incremental unassign failed: \(KafkaError(consuming: failure))")
                }
            } else {
                _ = rd_kafka_assign(handle, nil)
            }
        default:
            logger.error("rebalance failed: \(String(cString: rd_kafka_err2str(error)))")
            _ = rd_kafka_assign(handle, nil)
        }
    }
}
