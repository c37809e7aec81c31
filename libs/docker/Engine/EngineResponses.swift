// Decodable shapes of Engine API responses that are not public models.

/// `{"message": "..."}`, the body of every daemon error response.
struct EngineErrorBody: Decodable {
    var message: String
}

/// POST /containers/create and POST /containers/{id}/exec.
struct EngineIDResponse: Decodable {
    var id: String
    enum CodingKeys: String, CodingKey { case id = "Id" }
}

/// POST /containers/{id}/wait.
struct EngineWaitResponse: Decodable {
    struct WaitError: Decodable {
        var message: String?
        enum CodingKeys: String, CodingKey { case message = "Message" }
    }
    var statusCode: Int
    var error: WaitError?
    enum CodingKeys: String, CodingKey { case statusCode = "StatusCode", error = "Error" }
}

/// GET /exec/{id}/json.
struct EngineExecInspect: Decodable {
    var running: Bool
    var exitCode: Int?
    enum CodingKeys: String, CodingKey { case running = "Running", exitCode = "ExitCode" }
}

/// GET /containers/{id}/json.
struct EngineContainerInspect: Decodable {
    struct Config: Decodable {
        var image: String?
        var labels: [String: String]?
        enum CodingKeys: String, CodingKey { case image = "Image", labels = "Labels" }
    }
    var id: String
    var name: String
    var config: Config?
    var state: ContainerState
    enum CodingKeys: String, CodingKey { case id = "Id", name = "Name", config = "Config", state = "State" }
}

/// One line of a pull/import progress stream.
struct EngineProgressLine: Decodable {
    struct Detail: Decodable {
        var current: Int?
        var total: Int?
    }
    struct ErrorDetail: Decodable {
        var message: String?
    }
    var status: String?
    var id: String?
    var progress: String?
    var progressDetail: Detail?
    var error: String?
    var errorDetail: ErrorDetail?
}

/// GET /containers/{id}/stats, the fields we report (cgroup v1 and v2).
struct EngineStats: Decodable {
    struct MemoryStats: Decodable {
        var usage: Int?
        var limit: Int?
        var stats: [String: Int]?
    }
    struct CPUUsage: Decodable {
        var totalUsage: Int?
        enum CodingKeys: String, CodingKey { case totalUsage = "total_usage" }
    }
    struct CPUStats: Decodable {
        var cpuUsage: CPUUsage?
        var systemCPUUsage: Int?
        var onlineCPUs: Int?
        enum CodingKeys: String, CodingKey {
            case cpuUsage = "cpu_usage", systemCPUUsage = "system_cpu_usage", onlineCPUs = "online_cpus"
        }
    }
    struct PidsStats: Decodable {
        var current: Int?
    }
    var read: String?
    var memoryStats: MemoryStats?
    var cpuStats: CPUStats?
    var pidsStats: PidsStats?
    enum CodingKeys: String, CodingKey {
        case read, memoryStats = "memory_stats", cpuStats = "cpu_stats", pidsStats = "pids_stats"
    }
}
