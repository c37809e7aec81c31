/// The runtime state part of a container inspection.
public struct ContainerState: Sendable, Equatable, Decodable {
    /// "created", "running", "paused", "restarting", "removing", "exited", "dead".
    public var status: String
    public var running: Bool
    public var exitCode: Int
    /// True when the kernel OOM killer fired in the container's cgroup; the
    /// Engine reports it once the container has exited.
    public var oomKilled: Bool
    public var pid: Int
    /// The daemon's error for a failed start, else empty.
    public var error: String
    public var startedAt: String?
    public var finishedAt: String?

    enum CodingKeys: String, CodingKey {
        case status = "Status", running = "Running", exitCode = "ExitCode", oomKilled = "OOMKilled"
        case pid = "Pid", error = "Error", startedAt = "StartedAt", finishedAt = "FinishedAt"
    }
}
