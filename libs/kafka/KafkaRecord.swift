/// One message to produce with `KafkaProducer.sendAll`.
public struct KafkaRecord: Sendable {
    public var topic: String
    /// Messages with the same key go to the same partition (and so stay in order).
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [(String, [UInt8])]
    /// An explicit partition, or `nil` to let the partitioner pick one from the key.
    public var partition: Int32?

    public init(
        topic: String,
        key: [UInt8]? = nil,
        value: [UInt8],
        headers: [(String, [UInt8])] = [],
        partition: Int32? = nil
    ) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.partition = partition
    }
}
