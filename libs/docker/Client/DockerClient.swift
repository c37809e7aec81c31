import Logging
import SynthHTTPClient

/// A client for the Docker Engine API (v1.41) over its unix socket.
///
/// ```swift
/// let docker = try DockerClient()
/// let id = try await docker.createContainer(ContainerSpec(image: "synth-python:bookworm",
///                                                         command: ["sleep", "infinity"]))
/// try await docker.start(id)
/// let result = try await docker.exec(id, command: ["python3", "-V"], timeout: .seconds(30))
/// try await docker.remove(id)
/// ```
///
/// Errors: the daemon's refusals throw `DockerError` (status + the daemon's
/// message); transport failures throw `HTTPClientError`.
public final class DockerClient: Sendable {
    public let socketPath: String
    let http: HTTPClient
    let logger: Logger

    /// Limit for ordinary daemon calls; streaming and long-poll calls
    /// (exec, wait, pull) set their own.
    static let defaultTimeout: Duration = .seconds(60)
    /// Limit for archive transfers and image imports, which move bulk data.
    static let bulkTimeout: Duration = .seconds(600)

    /// - Parameter httpClient: share one with other subsystems if desired;
    ///   by default the Docker client gets its own transfer thread.
    public init(
        socketPath: String = "/var/run/docker.sock",
        httpClient: HTTPClient? = nil,
        logger: Logger = Logger(label: "synth.docker")
    ) throws {
        self.socketPath = socketPath
        self.http = try httpClient ?? HTTPClient()
        self.logger = logger
    }
}
