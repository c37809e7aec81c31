/// Outcome of `DockerClient.exec`.
public struct ExecResult: Sendable, Equatable {
    /// The process's exit status; 137 when it was killed with SIGKILL
    /// (timeout, OOM), 126/127 when the command could not be run.
    public var exitCode: Int
    /// At most `outputLimit` bytes each.
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    public var stdoutTruncated: Bool
    public var stderrTruncated: Bool
    /// The command ran past its timeout and was killed.
    public var timedOut: Bool
    /// The process outlived its in-container kill, so the whole container
    /// was killed to stop it; the container is no longer running.
    public var containerKilled: Bool
    public var duration: Duration

    public var truncated: Bool { stdoutTruncated || stderrTruncated }
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}
