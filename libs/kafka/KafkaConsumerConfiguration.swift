/// How a `KafkaConsumer` joins its group and what it reads.
///
/// Offsets are never committed automatically (`enable.auto.commit=false`,
/// `enable.auto.offset.store=false`, enforced even if `properties` says otherwise): call
/// `KafkaConsumer.commit` once a message's effect is durable, which gives at-least-once delivery.
public struct KafkaConsumerConfiguration: Sendable {
    /// Where to start when the group has no committed offset for a partition.
    public enum AutoOffsetReset: String, Sendable {
        case earliest
        case latest
    }

    public var bootstrapServers: String
    public var groupID: String
    public var topics: [String]
    public var clientID: String
    public var autoOffsetReset: AutoOffsetReset
    /// How long the group waits for a silent member before reassigning its partitions.
    /// librdkafka's default is 45 s; tests use a few seconds.
    public var sessionTimeout: Duration
    /// Messages fetched ahead of the iterating task. When full, the poll thread stops polling
    /// (backpressure); keep the time to process this many messages below `max.poll.interval.ms`.
    public var bufferCapacity: Int
    /// How long `commit` waits for the coordinator's answer.
    public var commitTimeout: Duration
    /// How long `close()` keeps the group membership so that messages already handed out can
    /// still be committed (it stops waiting as soon as they all are). `.zero` for consumers that
    /// never commit.
    public var closeGracePeriod: Duration
    /// Extra librdkafka properties; they override the defaults (except the two commit settings).
    public var properties: [String: String]

    public init(
        bootstrapServers: String,
        groupID: String,
        topics: [String],
        clientID: String = "synth",
        autoOffsetReset: AutoOffsetReset = .earliest,
        sessionTimeout: Duration = .seconds(45),
        bufferCapacity: Int = 1000,
        commitTimeout: Duration = .seconds(10),
        closeGracePeriod: Duration = .seconds(5),
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
        self.topics = topics
        self.clientID = clientID
        self.autoOffsetReset = autoOffsetReset
        self.sessionTimeout = sessionTimeout
        self.bufferCapacity = bufferCapacity
        self.commitTimeout = commitTimeout
        self.closeGracePeriod = closeGracePeriod
        self.properties = properties
    }

    var librdkafkaProperties: [String: String] {
        let sessionMilliseconds = sessionTimeout.librdkafkaMilliseconds
        var merged: [String: String] = [
            "bootstrap.servers": bootstrapServers,
            "group.id": groupID,
            "client.id": clientID,
            "auto.offset.reset": autoOffsetReset.rawValue,
            "session.timeout.ms": "\(sessionMilliseconds)",
            // librdkafka requires heartbeats well inside the session timeout; its default (3 s)
            // is too slow for the short sessions tests use.
            "heartbeat.interval.ms": "\(max(100, min(3000, sessionMilliseconds / 3)))",
        ]
        merged.merge(properties) { _, explicit in explicit }
        // We commit only after the effect is durable; automatic commits would break that.
        merged["enable.auto.commit"] = "false"
        merged["enable.auto.offset.store"] = "false"
        return merged
    }
}
