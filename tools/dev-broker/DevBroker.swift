import ArgumentParser
import Dispatch
import Foundation
import Logging
import SynthKafka

/// A Kafka cluster for development and tests, without a JVM: librdkafka's in-process mock
/// cluster, exposed on 127.0.0.1 with the synth topics created.
///
/// Lifecycle: once the topics exist, the bootstrap list is written atomically (temp file +
/// rename) to `--bootstrap-file`, so a reader never sees a partial list. SIGTERM or SIGINT
/// removes the file, stops the cluster and exits 0.
///
/// Fault injection from outside (e.g. `kill -USR1 <pid>`):
/// - SIGUSR1 takes broker 1 down: its connections drop and new ones are refused. The mock does
///   not move partition leadership, so clients of its partitions wait and retry.
/// - SIGUSR2 brings broker 1 back up.
///
/// Mock-cluster quirks worth knowing: nothing is persisted; a consumer-group member that
/// disappears without leaving is only dropped after its session timeout (use short
/// `session.timeout.ms` in tests).
@main
struct DevBroker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth-dev-broker",
        abstract: "Run a librdkafka mock Kafka cluster on 127.0.0.1 with the synth topics.",
        discussion: "SIGTERM/SIGINT: stop and remove the bootstrap file. SIGUSR1: broker 1 down. SIGUSR2: broker 1 up."
    )

    static let synthTopics = [
        "synth.tasks", "synth.steps", "synth.llm-calls", "synth.workers",
        "synth.trajectories", "synth.exports", "synth.system",
    ]

    @Option(help: "Number of mock brokers.")
    var brokers: Int32 = 1

    @Option(help: "Partitions per topic.")
    var partitions: Int32 = 6

    @Option(name: .customLong("topic"), help: "Topic to create (repeatable). Default: the synth topics.")
    var topics: [String] = []

    @Option(help: "Where to write the bootstrap server list once the topics exist.")
    var bootstrapFile: String

    func validate() throws {
        guard brokers >= 1 else { throw ValidationError("--brokers must be at least 1") }
        guard partitions >= 1 else { throw ValidationError("--partitions must be at least 1") }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "synth.dev-broker")
        // Install the handlers before anything else so an early SIGTERM is not fatal.
        let signals = SignalListener(signals: [SIGTERM, SIGINT, SIGUSR1, SIGUSR2])

        let topicNames = topics.isEmpty ? Self.synthTopics : topics
        let cluster = try KafkaMockCluster(brokers: brokers, logger: logger)
        // The mock never moves leadership, so more replicas add nothing but are allowed.
        let replicationFactor = min(brokers, 3)
        for topic in topicNames {
            try cluster.createTopic(topic, partitions: partitions, replicationFactor: replicationFactor)
        }
        try Self.writeAtomically(cluster.bootstrapServers, to: bootstrapFile)
        Self.emit([
            "event": "dev-broker.started",
            "bootstrap": cluster.bootstrapServers,
            "bootstrapFile": bootstrapFile,
            "brokers": Int(brokers),
            "partitions": Int(partitions),
            "topics": topicNames,
            "pid": Int(ProcessInfo.processInfo.processIdentifier),
        ])

        signalLoop: for await signal in signals.received {
            switch signal {
            case SIGUSR1:
                do {
                    try cluster.setBroker(1, up: false)
                    Self.emit(["event": "dev-broker.broker-down", "broker": 1])
                } catch {
                    logger.error("could not take broker 1 down: \(error)")
                }
            case SIGUSR2:
                do {
                    try cluster.setBroker(1, up: true)
                    Self.emit(["event": "dev-broker.broker-up", "broker": 1])
                } catch {
                    logger.error("could not bring broker 1 up: \(error)")
                }
            default:
                break signalLoop
            }
        }

        // Remove the file first so nobody picks up the address of a cluster that is going away.
        try? FileManager.default.removeItem(atPath: bootstrapFile)
        await cluster.close()
        Self.emit(["event": "dev-broker.stopped"])
    }

    /// Write to a temporary file in the same directory, then rename over the target: rename is
    /// atomic within a file system, so readers see either no file or the complete list.
    static func writeAtomically(_ content: String, to path: String) throws {
        let target = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        try Data(content.utf8).write(to: temporary)
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ValidationError("could not move the bootstrap file into place at \(path): \(reason)")
        }
    }

    /// One JSON object per line on stdout, for scripts and log collectors.
    static func emit(_ fields: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
