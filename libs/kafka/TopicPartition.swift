/// Identifies one partition of one topic (for commits and rebalance bookkeeping).
struct TopicPartition: Hashable, Sendable {
    var topic: String
    var partition: Int32
}
