import Foundation

/// Settings every service shares: where Redis, Postgres and Kafka are, and
/// where this process listens. Defaults match `scripts/stack.sh`.
public struct SynthConfiguration: Sendable {
    public var serviceName: String
    public var instanceID: String
    public var httpHost: String
    public var httpPort: Int
    public var redisURL: String
    public var databaseURL: String
    public var kafkaBootstrapServers: String
    public var logLevel: String
    /// How long a silent group member keeps its partitions. Short by default:
    /// the dev broker drops a member that left only after this timeout.
    public var kafkaSessionTimeoutMS: Int
    /// How often consuming services publish their consumer lag.
    public var lagIntervalMS: Int
    public var home: String

    /// Reads `SYNTH_*` variables. `defaultPort` is the service's own port.
    public static func load(service: String, defaultPort: Int, environment: EnvironmentReader = EnvironmentReader()) throws -> SynthConfiguration {
        let home = environment.string("SYNTH_HOME", default: FileManager.default.currentDirectoryPath + "/.synth")
        let bootstrap = try environment.optionalString("SYNTH_KAFKA_BROKERS")
            ?? readBootstrapFile(environment.string("SYNTH_KAFKA_BOOTSTRAP_FILE", default: home + "/kafka.bootstrap"))
        let host = ProcessInfo.processInfo.hostName
        return SynthConfiguration(
            serviceName: service,
            instanceID: environment.string("SYNTH_INSTANCE_ID", default: "\(service)-\(host)-\(ProcessInfo.processInfo.processIdentifier)"),
            httpHost: environment.string("SYNTH_HTTP_HOST", default: "127.0.0.1"),
            httpPort: try environment.int("SYNTH_HTTP_PORT", default: defaultPort),
            redisURL: environment.string("SYNTH_REDIS_URL", default: "redis://127.0.0.1:16379"),
            databaseURL: environment.string("SYNTH_DATABASE_URL", default: "postgresql://synth@127.0.0.1:15432/synth"),
            kafkaBootstrapServers: bootstrap,
            logLevel: environment.string("SYNTH_LOG_LEVEL", default: "info"),
            kafkaSessionTimeoutMS: try environment.int("SYNTH_KAFKA_SESSION_TIMEOUT_MS", default: 10_000),
            lagIntervalMS: try environment.int("SYNTH_KAFKA_LAG_INTERVAL_MS", default: 5_000),
            home: home)
    }

    /// The dev broker picks its own ports and writes them to a file.
    static func readBootstrapFile(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ConfigurationError(name: "SYNTH_KAFKA_BROKERS",
                                     message: "not set, and no bootstrap file at \(path) (is the dev broker running? scripts/stack.sh up)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
