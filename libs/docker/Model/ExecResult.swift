/// Outcome of `DockerClient.exec`.
public struct ExecResult: Sendable, Equatable {
    /// The process's exit status; 137 when it was killed with SIGKILL
    /// (timeout, OOM), 126/127 when the command could not be run, -1 if the
    /// daemon never reported one.
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
    /// The command wrote more than the exec's `stopAfterBytes`, so reading
    /// stopped and its processes were killed (endless output).
    public var outputStopped: Bool = false
    /// Bytes the command wrote to stdout and stderr, including what was dropped.
    public var outputBytes: Int = 0

    public var truncated: Bool { stdoutTruncated || stderrTruncated }
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}
