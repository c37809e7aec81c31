/// Everything needed to create a task container, with the platform's
/// isolation defaults spelled out as fields so callers can see and override
/// each one.
///
/// Defaults: 2 GiB memory and no swap, 1 CPU, 256 processes, no network,
/// all capabilities dropped, no-new-privileges, read-only root filesystem
/// with a 512 MiB tmpfs workspace at the working directory and a 64 MiB
/// tmpfs /tmp, docker-init as PID 1 (reaps zombies, forwards signals), and
/// a 10 MB json-file log cap.
public struct ContainerSpec: Sendable, Equatable {
    public var image: String
    /// The container's main process. Tasks usually keep the container alive
    /// with e.g. ["sleep", "infinity"] and run work through `exec`.
    public var command: [String]
    public var entrypoint: [String]?
    public var environment: [String: String]
    public var workingDirectory: String
    public var labels: [String: String]
    /// "uid", "uid:gid" or a user name known to the image; nil = image default.
    public var user: String?

    // MARK: Resource limits

    public var memoryLimitBytes: Int
    /// Swap allowed on top of memory. 0 sets MemorySwap = memory (no swap),
    /// so a memory hog is OOM-killed instead of thrashing the host.
    public var additionalSwapBytes: Int
    /// CPU quota in billionths of a CPU (1_000_000_000 = one CPU).
    public var nanoCPUs: Int
    /// Maximum processes/threads, which defuses fork bombs.
    public var pidsLimit: Int

    // MARK: Isolation

    /// "none" gives the container only a loopback interface.
    public var networkMode: String
    public var networkDisabled: Bool
    public var capDrop: [String]
    public var capAdd: [String]
    public var securityOptions: [String]
    public var readonlyRootfs: Bool
    /// Writable tmpfs-backed volume; nil for none.
    public var workspace: ContainerWorkspace?
    /// More writable tmpfs-backed volumes of the same kind (for example a
    /// directory the platform fills only after the agent is done).
    public var extraVolumes: [ContainerWorkspace] = []
    /// Plain tmpfs mounts: path -> mount options.
    public var tmpfs: [String: String]
    /// Host paths bind-mounted in, as "host:container[:options]" (the
    /// executor's per-episode relay socket for an external agent).
    public var binds: [String] = []
    /// Run docker-init as PID 1.
    public var useInit: Bool
    public var logConfig: ContainerLogConfig

    public init(
        image: String,
        command: [String],
        environment: [String: String] = [:],
        workingDirectory: String = "/workspace",
        labels: [String: String] = [:],
        user: String? = nil
    ) {
        self.image = image
        self.command = command
        self.entrypoint = nil
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.labels = labels
        self.user = user
        self.memoryLimitBytes = 2 << 30
        self.additionalSwapBytes = 0
        self.nanoCPUs = 1_000_000_000
        self.pidsLimit = 256
        self.networkMode = "none"
        self.networkDisabled = true
        self.capDrop = ["ALL"]
        self.capAdd = []
        self.securityOptions = ["no-new-privileges"]
        self.readonlyRootfs = true
        self.workspace = ContainerWorkspace(path: workingDirectory)
        self.tmpfs = ["/tmp": "rw,nosuid,nodev,size=64m"]
        self.useInit = true
        self.logConfig = ContainerLogConfig()
    }
}
