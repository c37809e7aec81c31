import SynthCommon

/// Executor configuration from the environment.
struct ExecutorSettings: Sendable {
    var workerID: String
    /// Episodes this process runs at once.
    var capacity: Int
    /// A global cap on leased tasks across all executors (0 = none).
    var maxConcurrentTasks: Int
    var leaseSeconds: Double
    var routerURL: String
    var dockerSocket: String
    /// Bytes of a command's output kept in an observation.
    var observationLimit: Int
    var commandTimeoutSeconds: Int
    /// Attempts a task gets when infrastructure fails under it (shared with the scheduler).
    var maxAttempts: Int
    /// Backoff of an infrastructure retry: base x 2^(attempt-1), capped, with jitter.
    var retryBaseSeconds: Double
    var retryMaxSeconds: Double
    /// Host directory for the external scaffold's per-episode relay sockets;
    /// dockerd bind-mounts from it, so it must be on dockerd's host.
    var relayDirectory: String

    static func load(instanceID: String, _ environment: EnvironmentReader = EnvironmentReader()) throws -> ExecutorSettings {
        ExecutorSettings(
            workerID: environment.string("SYNTH_WORKER_ID", default: instanceID),
            capacity: try environment.int("SYNTH_EXECUTOR_CAPACITY", default: 2),
            maxConcurrentTasks: try environment.int("SYNTH_MAX_CONCURRENT_TASKS", default: 0),
            leaseSeconds: try environment.double("SYNTH_LEASE_SECONDS", default: 30),
            routerURL: environment.string("SYNTH_ROUTER_URL", default: "http://127.0.0.1:8401/v1"),
            dockerSocket: environment.string("SYNTH_DOCKER_SOCKET", default: "/var/run/docker.sock"),
            observationLimit: try environment.int("SYNTH_OBSERVATION_LIMIT_BYTES", default: 64 * 1024),
            commandTimeoutSeconds: try environment.int("SYNTH_COMMAND_TIMEOUT_SECONDS", default: 120),
            maxAttempts: try environment.int("SYNTH_MAX_ATTEMPTS", default: 3),
            retryBaseSeconds: try environment.double("SYNTH_RETRY_BASE_SECONDS", default: 2),
            retryMaxSeconds: try environment.double("SYNTH_RETRY_MAX_SECONDS", default: 300),
            relayDirectory: environment.string("SYNTH_RELAY_DIRECTORY", default: "/tmp/synth-relay"))
    }
}
