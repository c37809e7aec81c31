import CRdKafka
import Foundation
import Logging

/// An in-process Kafka cluster (librdkafka's mock cluster) listening on 127.0.0.1, for tests and
/// the dev broker. It speaks the real protocol, so any Kafka client can use `bootstrapServers`.
///
/// The mock has no persistence and simplified group coordination; see the quirks noted in
/// `tools/dev-broker`.
public final class KafkaMockCluster: @unchecked Sendable {
    // Safe to share: `cluster` and `host` are only touched while `lock` is held (librdkafka's
    // mock functions are thread-safe themselves; the lock orders them against destruction).
    private let lock = NSLock()
    private var cluster: OpaquePointer?
    private var host: RdKafkaClient?

    /// Comma-separated `127.0.0.1:port` list of the mock brokers.
    public let bootstrapServers: String
    /// Broker ids are 1...brokerCount.
    public let brokerCount: Int32

    /// Starts `brokers` mock brokers on ephemeral loopback ports.
    public init(brokers: Int32 = 1, logger: Logger = Logger(label: "synth.kafka.mock")) throws {
        precondition(brokers >= 1, "a cluster needs at least one broker")
        // The mock cluster lives inside a client instance; a producer without any bootstrap
        // servers is the lightest host (it never connects anywhere by itself).
        let host = try RdKafkaClient(
            type: RD_KAFKA_PRODUCER,
            properties: [
                "client.id": "synth-mock-cluster-host",
                // Silences the host's own "no bootstrap.servers configured" notice.
                "log_level": "4",
            ],
            context: ClientContext(logger: logger),
            what: "KafkaMockCluster"
        )
        guard let cluster = rd_kafka_mock_cluster_new(host.ownerHandle, Int32(brokers)) else {
            host.destroy()
            throw KafkaError(RD_KAFKA_RESP_ERR__FAIL, message: "could not start the mock cluster")
        }
        self.host = host
        self.cluster = cluster
        self.brokerCount = brokers
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        destroy()
    }

    /// Creates a topic. `replicationFactor` must not exceed the broker count.
    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws {
        try withCluster { cluster in
            let error = rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(error, message: "creating topic \(name): \(String(cString: rd_kafka_err2str(error)))")
            }
        }
    }

    /// Fault injection: `up: false` drops the broker's connections and refuses new ones (its
    /// partitions keep it as leader, so clients wait / retry); `up: true` lets them back in.
    public func setBroker(_ id: Int32, up: Bool) throws {
        try withCluster { cluster in
            let error = up ? rd_kafka_mock_broker_set_up(cluster, id) : rd_kafka_mock_broker_set_down(cluster, id)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(error, message: "setting broker \(id) \(up ? "up" : "down"): \(String(cString: rd_kafka_err2str(error)))")
            }
        }
    }

    /// Stops the brokers (connected clients see them disappear) and frees the cluster.
    /// Idempotent. Runs the blocking teardown on a dedicated thread.
    public func close() async {
        let signal = CompletionSignal()
        let thread = Thread { [self] in
            destroy()
            signal.fire()
        }
        thread.name = "synth.kafka.mock.close"
        thread.start()
        await signal.wait()
    }

    private func withCluster<Result>(_ body: (OpaquePointer) throws -> Result) throws -> Result {
        lock.lock()
        defer { lock.unlock() }
        guard let cluster else { throw KafkaError.closed("KafkaMockCluster") }
        return try body(cluster)
    }

    private func destroy() {
        lock.lock()
        defer { lock.unlock() }
        if let cluster { rd_kafka_mock_cluster_destroy(cluster) }
        host?.destroy()
        cluster = nil
        host = nil
    }
}
