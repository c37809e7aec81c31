/// Limits a task's container runs under (spec 2.4).
public struct ResourceLimits: Codable, Sendable, Equatable {
    public var memoryMB: Int
    public var cpuCores: Double
    public var diskGB: Double
    public var networkMbps: Int
    public var maxProcesses: Int

    public init(memoryMB: Int = 1024, cpuCores: Double = 1.0, diskGB: Double = 1, networkMbps: Int = 0, maxProcesses: Int = 256) {
        self.memoryMB = memoryMB
        self.cpuCores = cpuCores
        self.diskGB = diskGB
        self.networkMbps = networkMbps
        self.maxProcesses = maxProcesses
    }

    enum CodingKeys: String, CodingKey {
        case memoryMB = "memory_mb", cpuCores = "cpu_cores", diskGB = "disk_gb"
        case networkMbps = "network_mbps", maxProcesses = "max_processes"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ResourceLimits()
        memoryMB = try c.decodeIfPresent(Int.self, forKey: .memoryMB) ?? defaults.memoryMB
        cpuCores = try c.decodeIfPresent(Double.self, forKey: .cpuCores) ?? defaults.cpuCores
        diskGB = try c.decodeIfPresent(Double.self, forKey: .diskGB) ?? defaults.diskGB
        networkMbps = try c.decodeIfPresent(Int.self, forKey: .networkMbps) ?? defaults.networkMbps
        maxProcesses = try c.decodeIfPresent(Int.self, forKey: .maxProcesses) ?? defaults.maxProcesses
    }
}
