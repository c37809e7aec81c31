import SynthHTTPClient

extension DockerClient {
    /// Extracts a tar archive into the directory `path`, which must exist in
    /// the container (e.g. the workspace). Build the tar with `TarArchive`.
    public func putArchive(_ id: String, path: String, tar: [UInt8]) async throws {
        _ = try await call(.put, "/containers/\(EngineURL.segment(id))/archive", query: [("path", path)],
                           body: tar, contentType: "application/x-tar", timeout: Self.bulkTimeout,
                           accepting: [200])
    }

    /// A tar of `path`. Entries are named relative to the path's parent, so
    /// "/workspace" yields "workspace/…"; decode with `TarArchive(decoding:)`.
    public func getArchive(_ id: String, path: String) async throws -> [UInt8] {
        try await call(.get, "/containers/\(EngineURL.segment(id))/archive", query: [("path", path)],
                       timeout: Self.bulkTimeout, accepting: [200]).body
    }
}
