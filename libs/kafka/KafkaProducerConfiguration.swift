/// How to connect a `KafkaProducer`.
public struct KafkaProducerConfiguration: Sendable {
    /// Comma-separated `host:port` list, e.g. the content of the dev broker's bootstrap file.
    public var bootstrapServers: String
    /// Shows up in broker logs and librdkafka's own log lines.
    public var clientID: String
    /// Extra librdkafka properties; they override the defaults below
    /// (see librdkafka's CONFIGURATION.md for names).
    public var properties: [String: String]
    /// How long `shutdown()` waits for queued messages to be delivered before purging them.
    public var shutdownFlushTimeout: Duration
    /// How long a `send` waits between retries when librdkafka's local queue is full.
    public var queueFullBackoff: Duration

    /// The defaults aim at "no loss, no duplicates from retries, still batched":
    /// `acks=all` waits for all in-sync replicas, `enable.idempotence=true` lets librdkafka
    /// retry without duplicating or reordering, and a small `linger.ms` batches concurrent sends.
    public static let defaultProperties: [String: String] = [
        "acks": "all",
        "enable.idempotence": "true",
        "linger.ms": "5",
    ]

    public init(
        bootstrapServers: String,
        clientID: String = "synth",
        properties: [String: String] = [:],
        shutdownFlushTimeout: Duration = .seconds(10),
        queueFullBackoff: Duration = .milliseconds(5)
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.properties = properties
        self.shutdownFlushTimeout = shutdownFlushTimeout
        self.queueFullBackoff = queueFullBackoff
    }

    var librdkafkaProperties: [String: String] {
        var merged = Self.defaultProperties
        merged["bootstrap.servers"] = bootstrapServers
        merged["client.id"] = clientID
        merged.merge(properties) { _, explicit in explicit }
        return merged
    }
}
