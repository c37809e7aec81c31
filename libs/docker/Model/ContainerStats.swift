/// One sample of GET /containers/{id}/stats?stream=false&one-shot=true.
/// CPU figures are cumulative; take two samples to compute a rate.
public struct ContainerStats: Sendable, Equatable {
    /// Memory charged to the cgroup, page cache included.
    public var memoryUsageBytes: Int
    /// Usage minus inactive page cache: what `docker stats` shows and what
    /// the OOM killer effectively compares against the limit.
    public var memoryWorkingSetBytes: Int
    public var memoryLimitBytes: Int
    /// Total CPU time consumed by the container, in nanoseconds.
    public var cpuTotalNanoseconds: Int
    /// Host CPU time at the sample (all CPUs), for utilisation ratios.
    public var systemCPUNanoseconds: Int?
    public var onlineCPUs: Int?
    public var processCount: Int?
    /// Sample time as reported by the daemon (RFC 3339).
    public var readAt: String
}
