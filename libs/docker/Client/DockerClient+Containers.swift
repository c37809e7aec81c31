import Foundation
import SynthHTTPClient

extension DockerClient {
    /// Creates (does not start) a container; returns its id.
    public func createContainer(_ spec: ContainerSpec, name: String? = nil) async throws -> String {
        let query = name.map { [("name", $0)] } ?? []
        let response = try await call(.post, "/containers/create", query: query,
                                      json: ContainerCreateBody(spec), accepting: [201])
        return try decode(EngineIDResponse.self, from: response, operation: "POST /containers/create").id
    }

    /// Starts a created container; starting a running one is not an error.
    public func start(_ id: String) async throws {
        _ = try await call(.post, "/containers/\(EngineURL.segment(id))/start", accepting: [204, 304])
    }

    /// Waits until the container is not running and returns its exit code.
    /// Returns at once for a container that already exited.
    public func wait(_ id: String, timeout: Duration? = nil) async throws -> Int {
        let path = "/containers/\(EngineURL.segment(id))/wait"
        let response = try await call(.post, path, query: [("condition", "not-running")], timeout: timeout,
                                      accepting: [200])
        let result = try decode(EngineWaitResponse.self, from: response, operation: "POST \(path)")
        if let message = result.error?.message, !message.isEmpty {
            throw DockerError(status: response.status, message: message, operation: "POST \(path)")
        }
        return result.statusCode
    }

    public func inspect(_ id: String) async throws -> ContainerInspection {
        let path = "/containers/\(EngineURL.segment(id))/json"
        let response = try await call(.get, path)
        let raw = try decode(EngineContainerInspect.self, from: response, operation: "GET \(path)")
        return ContainerInspection(
            id: raw.id,
            name: raw.name.hasPrefix("/") ? String(raw.name.dropFirst()) : raw.name,
            image: raw.config?.image ?? "",
            labels: raw.config?.labels ?? [:],
            state: raw.state
        )
    }

    /// Sends `signal` ("KILL", "TERM", "SIGINT", …) to the main process.
    /// Throws a 409 `DockerError` when the container is not running.
    public func kill(_ id: String, signal: String = "KILL") async throws {
        _ = try await call(.post, "/containers/\(EngineURL.segment(id))/kill", query: [("signal", signal)],
                           accepting: [204])
    }

    /// SIGTERM, then SIGKILL after `timeout`. Stopping a stopped container is fine.
    public func stop(_ id: String, timeout: Duration = .seconds(10)) async throws {
        let seconds = max(0, Int(timeout.components.seconds))
        _ = try await call(.post, "/containers/\(EngineURL.segment(id))/stop", query: [("t", String(seconds))],
                           timeout: timeout + Self.defaultTimeout, accepting: [204, 304])
    }

    /// Removes the container and its anonymous volumes (the workspace).
    /// A container that is already gone counts as removed.
    public func remove(_ id: String, force: Bool = true) async throws {
        _ = try await call(.delete, "/containers/\(EngineURL.segment(id))",
                           query: [("force", force ? "true" : "false"), ("v", "true")],
                           accepting: [204, 404])
    }

    /// Containers carrying all of `labels` (key=value), stopped ones included when `all`.
    public func listContainers(labels: [String: String] = [:], all: Bool = true) async throws -> [ContainerSummary] {
        var query = [("all", all ? "true" : "false")]
        if !labels.isEmpty {
            let filters = ["label": labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }]
            let encoded = try JSONEncoder().encode(filters)
            query.append(("filters", String(decoding: encoded, as: UTF8.self)))
        }
        let response = try await call(.get, "/containers/json", query: query)
        return try decode([ContainerSummary].self, from: response, operation: "GET /containers/json")
    }

    /// One stats sample, taken without the Engine's one-second CPU pre-sample.
    public func stats(_ id: String) async throws -> ContainerStats {
        let path = "/containers/\(EngineURL.segment(id))/stats"
        let response = try await call(.get, path, query: [("stream", "false"), ("one-shot", "true")])
        let raw = try decode(EngineStats.self, from: response, operation: "GET \(path)")
        let usage = raw.memoryStats?.usage ?? 0
        // cgroup v1 reports total_inactive_file, v2 inactive_file.
        let inactive = raw.memoryStats?.stats?["total_inactive_file"] ?? raw.memoryStats?.stats?["inactive_file"] ?? 0
        return ContainerStats(
            memoryUsageBytes: usage,
            memoryWorkingSetBytes: max(0, usage - inactive),
            memoryLimitBytes: raw.memoryStats?.limit ?? 0,
            cpuTotalNanoseconds: raw.cpuStats?.cpuUsage?.totalUsage ?? 0,
            systemCPUNanoseconds: raw.cpuStats?.systemCPUUsage,
            onlineCPUs: raw.cpuStats?.onlineCPUs,
            processCount: raw.pidsStats?.current,
            readAt: raw.read ?? ""
        )
    }
}
