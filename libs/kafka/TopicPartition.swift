import CRdKafka

/// Identifies one partition of one topic (for commits and rebalance bookkeeping).
struct TopicPartition: Hashable, Sendable {
    var topic: String
    var partition: Int32

    /// Copies the entries of a librdkafka partition list.
    static func all(in list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [TopicPartition] {
        guard let list else { return [] }
        return (0..<Int(list.pointee.cnt)).map { index in
            let element = list.pointee.elems[index]
            return TopicPartition(topic: String(cString: element.topic), partition: element.partition)
        }
    }

    /// Copies partition ids and offsets of a librdkafka partition list.
    static func offsets(in list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [(partition: Int32, offset: Int64)] {
        guard let list else { return [] }
        return (0..<Int(list.pointee.cnt)).map { (list.pointee.elems[$0].partition, list.pointee.elems[$0].offset) }
    }
}
