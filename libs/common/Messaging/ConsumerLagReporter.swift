import Logging
import Metrics
import SynthKafka

/// Publishes `synth_kafka_consumer_lag{group, topic, partition}`: how many
/// messages the group has not committed yet, from the broker's high
/// watermarks and the group's committed offsets. An autoscaler (KEDA, or a
/// person with `compose up --scale`) scales each service on its topic's lag.
struct ConsumerLagReporter: Sendable {
    let admin: KafkaAdmin
    let group: String
    let topics: [String]
    let interval: Duration
    let logger: Logger

    func run() async {
        while !Task.isCancelled {
            for topic in topics {
                do {
                    let lag = try await admin.lag(group: group, topic: topic)
                    for (partition, messages) in lag {
                        Gauge(label: "synth_kafka_consumer_lag",
                              dimensions: [("group", group), ("topic", topic), ("partition", String(partition))]).record(messages)
                    }
                    Gauge(label: "synth_kafka_consumer_lag_total", dimensions: [("group", group), ("topic", topic)])
                        .record(lag.values.reduce(0, +))
                } catch {
                    logger.debug("consumer_lag_unavailable", metadata: ["topic": "\(topic)", "error": "\(error)"])
                }
            }
            try? await Task.sleep(for: interval)
        }
    }
}
