extension DockerClient {
    /// Succeeds when the daemon answers GET /_ping with "OK".
    public func ping() async throws {
        let response = try await call(.get, "/_ping", timeout: .seconds(10))
        guard response.bodyText == "OK" else {
            throw DockerError(status: response.status, message: "unexpected ping reply: \(response.bodyText)",
                              operation: "GET /_ping")
        }
    }

    public func version() async throws -> DockerVersion {
        let response = try await call(.get, "/version")
        return try decode(DockerVersion.self, from: response, operation: "GET /version")
    }
}
