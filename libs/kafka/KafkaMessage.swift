import CRdKafka
import Foundation

/// A message read from Kafka; pass it back to `KafkaConsumer.commit` once its effect is durable.
public struct KafkaMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// `nil` when the message was produced without a key.
    public var key: [UInt8]?
    /// Empty for a null (tombstone) value.
    public var value: [UInt8]
    /// In the order they were produced; names may repeat.
    public var headers: [(String, [UInt8])]
    /// Create time (or log-append time, depending on the topic), if the broker provided one.
    public var timestamp: Date?

    public init(
        topic: String,
        partition: Int32,
        offset: Int64,
        key: [UInt8]? = nil,
        value: [UInt8],
        headers: [(String, [UInt8])] = [],
        timestamp: Date? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    /// The value of the last header called `name`, if any.
    public func header(_ name: String) -> [UInt8]? {
        headers.last(where: { $0.0 == name })?.1
    }

    /// Copies everything out of librdkafka's message, which the caller then destroys.
    init(copying message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let raw = message.pointee
        topic = raw.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? ""
        partition = raw.partition
        offset = raw.offset
        key = raw.key.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.key_len)) }
        value = raw.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.len)) } ?? []

        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &timestampType)
        timestamp = milliseconds >= 0 ? Date(timeIntervalSince1970: Double(milliseconds) / 1000) : nil

        var copiedHeaders: [(String, [UInt8])] = []
        var headerList: OpaquePointer?
        if rd_kafka_message_headers(message, &headerList) == RD_KAFKA_RESP_ERR_NO_ERROR, let headerList {
            var index = 0
            var name: UnsafePointer<CChar>?
            var headerValue: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(headerList, index, &name, &headerValue, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let bytes = headerValue.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
                copiedHeaders.append((name.map { String(cString: $0) } ?? "", bytes))
                index += 1
            }
        }
        headers = copiedHeaders
    }
}
