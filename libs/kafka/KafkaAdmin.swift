import CRdKafka
import Foundation
import Logging

/// Read-only cluster queries: partitions, high watermarks, a group's committed offsets and the
/// resulting consumer lag (for metrics).
///
/// ```swift
/// let admin = try KafkaAdmin(bootstrapServers: bootstrap)
/// let lag = try await admin.lag(group: "synth-scheduler", topic: "synth.tasks")  // [partition: messages]
/// await admin.close()
/// ```
public final class KafkaAdmin: Sendable {
    private let client: RdKafkaClient
    /// Every query blocks on the network, so they run here, one at a time, off the cooperative pool.
    private let queue = DispatchQueue(label: "synth.kafka.admin")
    private let closed = CompletionSignal()

    public init(
        bootstrapServers: String,
        clientID: String = "synth-admin",
        properties: [String: String] = [:],
        logger: Logger = Logger(label: "synth.kafka.admin")
    ) throws {
        var merged = ["bootstrap.servers": bootstrapServers, "client.id": clientID]
        merged.merge(properties) { _, explicit in explicit }
        client = try RdKafkaClient(type: RD_KAFKA_PRODUCER, properties: merged, context: ClientContext(logger: logger), what: "KafkaAdmin")
    }

    deinit {
        guard !closed.isFired else { return }
        // rd_kafka_destroy joins librdkafka's threads; do not do that on whatever thread
        // happened to release the last reference (possibly one of the cooperative pool's).
        let client = self.client
        Thread.detachNewThread { client.destroy() }
    }

    /// The partition ids of `topic`, ascending.
    /// - Throws: `KafkaError` with code `unknownTopicOrPartition` if the topic does not exist.
    public func partitions(of topic: String, timeout: Duration = .seconds(10)) async throws -> [Int32] {
        let milliseconds = timeout.librdkafkaMilliseconds
        return try await run { handle in try Self.partitions(of: topic, timeout: milliseconds, handle: handle) }
    }

    /// The next offset to be written, per partition.
    public func highWatermarks(topic: String, timeout: Duration = .seconds(10)) async throws -> [Int32: Int64] {
        let milliseconds = timeout.librdkafkaMilliseconds
        return try await run { handle in
            try Self.watermarks(topic: topic, timeout: milliseconds, handle: handle).mapValues(\.high)
        }
    }

    /// The group's committed offsets (next offset to read) per partition; partitions without a
    /// committed offset are absent.
    public func committedOffsets(group: String, topic: String, timeout: Duration = .seconds(10)) async throws -> [Int32: Int64] {
        let milliseconds = timeout.librdkafkaMilliseconds
        return try await run { handle in
            let partitions = try Self.partitions(of: topic, timeout: milliseconds, handle: handle)
            return try Self.committedOffsets(group: group, topic: topic, partitions: partitions, timeout: milliseconds, handle: handle)
        }
    }

    /// Messages not yet committed by `group`, per partition: high watermark minus committed
    /// offset. A partition the group never committed counts from its low watermark (as with
    /// `auto.offset.reset=earliest`).
    public func lag(group: String, topic: String, timeout: Duration = .seconds(10)) async throws -> [Int32: Int64] {
        let milliseconds = timeout.librdkafkaMilliseconds
        return try await run { handle in
            let watermarks = try Self.watermarks(topic: topic, timeout: milliseconds, handle: handle)
            let committed = try Self.committedOffsets(
                group: group, topic: topic, partitions: Array(watermarks.keys), timeout: milliseconds, handle: handle)
            return watermarks.reduce(into: [Int32: Int64]()) { lag, entry in
                let (partition, marks) = entry
                let position = committed[partition] ?? marks.low
                lag[partition] = max(0, marks.high - position)
            }
        }
    }

    /// Releases the handle; later queries throw `clientClosed`. Safe to call more than once.
    public func close() async {
        let client = self.client
        _ = try? await queue.runBlocking { client.destroy() }
        closed.fire()
    }

    private func run<Result: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> Result) async throws -> Result {
        let client = self.client
        return try await queue.runBlocking {
            try client.withHandle { handle in
                // Nothing else polls this handle: serve queued log/error events now and then.
                rd_kafka_poll(handle, 0)
                return try body(handle)
            }
        }
    }

    private static func partitions(of topic: String, timeout: Int32, handle: OpaquePointer) throws -> [Int32] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        // All topics rather than just this one: a per-topic request from a producer handle
        // asks the broker to auto-create the topic, which a read-only query must not do.
        let error = rd_kafka_metadata(handle, 1, nil, &metadata, timeout)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(error, message: "metadata request: \(String(cString: rd_kafka_err2str(error)))")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let entry = metadata.pointee.topics[index]
            guard String(cString: entry.topic) == topic else { continue }
            guard entry.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(entry.err, message: "topic \(topic): \(String(cString: rd_kafka_err2str(entry.err)))")
            }
            return (0..<Int(entry.partition_cnt)).map { entry.partitions[$0].id }.sorted()
        }
        throw KafkaError(code: .unknownTopicOrPartition, message: "topic \(topic) does not exist")
    }

    private static func watermarks(topic: String, timeout: Int32, handle: OpaquePointer) throws -> [Int32: (low: Int64, high: Int64)] {
        var result: [Int32: (low: Int64, high: Int64)] = [:]
        for partition in try partitions(of: topic, timeout: timeout, handle: handle) {
            var low: Int64 = 0
            var high: Int64 = 0
            let error = rd_kafka_query_watermark_offsets(handle, topic, partition, &low, &high, timeout)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(error, message: "watermarks of \(topic)[\(partition)]: \(String(cString: rd_kafka_err2str(error)))")
            }
            result[partition] = (low, high)
        }
        return result
    }

    private static func committedOffsets(
        group: String, topic: String, partitions: [Int32], timeout: Int32, handle: OpaquePointer
    ) throws -> [Int32: Int64] {
        let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for partition in partitions {
            rd_kafka_topic_partition_list_add(list, topic, partition)
        }
        var request: OpaquePointer? = rd_kafka_ListConsumerGroupOffsets_new(group, list)
        defer { rd_kafka_ListConsumerGroupOffsets_destroy(request) }

        let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errorText = [CChar](repeating: 0, count: 256)
        _ = errorText.withUnsafeMutableBufferPointer {
            rd_kafka_AdminOptions_set_request_timeout(options, timeout, $0.baseAddress, $0.count)
        }

        let results = rd_kafka_queue_new(handle)!
        defer { rd_kafka_queue_destroy(results) }
        rd_kafka_ListConsumerGroupOffsets(handle, &request, 1, options, results)
        // The request carries its own timeout; allow a little more for the result to arrive.
        guard let event = rd_kafka_queue_poll(results, timeout &+ 1000) else {
            throw KafkaError(code: .timedOut, message: "committed offsets of group \(group) not returned in time")
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        guard eventError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(eventError, message: "committed offsets of group \(group): \(String(cString: rd_kafka_event_error_string(event)))")
        }
        guard let response = rd_kafka_event_ListConsumerGroupOffsets_result(event) else {
            throw KafkaError(RD_KAFKA_RESP_ERR__BAD_MSG, message: "unexpected admin result event")
        }
        var groupCount = 0
        guard let groups = rd_kafka_ListConsumerGroupOffsets_result_groups(response, &groupCount) else { return [:] }
        var offsets: [Int32: Int64] = [:]
        for index in 0..<groupCount {
            guard let groupResult = groups[index] else { continue }
            if let failure = rd_kafka_group_result_error(groupResult) {
                // Owned by the result event: read, do not destroy.
                throw KafkaError(
                    code: KafkaError.Code(rd_kafka_error_code(failure)),
                    message: "group \(group): \(String(cString: rd_kafka_error_string(failure)))")
            }
            for partition in TopicPartition.offsets(in: rd_kafka_group_result_partitions(groupResult)) {
                if partition.offset >= 0 { offsets[partition.partition] = partition.offset }
            }
        }
        return offsets
    }
}
