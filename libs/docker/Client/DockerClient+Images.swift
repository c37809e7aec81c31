import Foundation
import SynthHTTPClient

extension DockerClient {
    /// Whether the daemon has `reference` ("name", "name:tag", "name@sha256:…") locally.
    public func imageExists(_ reference: String) async throws -> Bool {
        let response = try await call(.get, "/images/\(EngineURL.imageReference(reference))/json",
                                      accepting: [200, 404])
        return response.status == 200
    }

    /// Creates an image from a root filesystem tarball (like `docker import`),
    /// which needs no registry. The tar's top level becomes "/".
    public func importImage(tar: [UInt8], repository: String, tag: String = "latest") async throws {
        let operation = "POST /images/create (import \(repository):\(tag))"
        let request = makeRequest(
            .post, "/images/create",
            query: [("fromSrc", "-"), ("repo", repository), ("tag", tag)],
            body: tar, contentType: "application/x-tar", timeout: Self.bulkTimeout
        )
        let response = try await openStream(request, operation: operation)
        try await consumeProgress(response.body, operation: operation) { _ in }
    }

    /// Pulls `reference` from its registry, reporting each progress message.
    /// A reference without tag or digest pulls ":latest" (not every tag).
    ///
    /// Registry failures (unreachable, unknown image, denied) throw
    /// `DockerError` carrying the daemon's message, whether the daemon
    /// reports them as an HTTP error or inside the 200 progress stream.
    public func pullImage(
        _ reference: String,
        timeout: Duration? = nil,
        progress: @Sendable (ImagePullProgress) -> Void = { _ in }
    ) async throws {
        let (name, tag) = Self.splitImageReference(reference)
        let operation = "POST /images/create (pull \(reference))"
        let request = makeRequest(.post, "/images/create", query: [("fromImage", name), ("tag", tag)],
                                  timeout: timeout)
        let response = try await openStream(request, operation: operation)
        try await consumeProgress(response.body, operation: operation, progress: progress)
    }

    /// Deletes a local image; one that does not exist counts as removed.
    public func removeImage(_ reference: String, force: Bool = false) async throws {
        _ = try await call(.delete, "/images/\(EngineURL.imageReference(reference))",
                           query: [("force", force ? "true" : "false")], accepting: [200, 404])
    }

    /// Reads a newline-delimited JSON progress stream, surfacing an embedded
    /// `{"error": …}` message as a `DockerError`.
    private func consumeProgress(
        _ body: AsyncThrowingStream<[UInt8], any Error>,
        operation: String,
        progress: (ImagePullProgress) -> Void
    ) async throws {
        var splitter = JSONLineSplitter()
        func handle(_ line: [UInt8]) throws {
            guard let message = try? JSONDecoder().decode(EngineProgressLine.self, from: Data(line)) else {
                logger.debug("ignoring non-JSON progress line", metadata: ["line": "\(String(decoding: line, as: UTF8.self))"])
                return
            }
            if let error = message.errorDetail?.message ?? message.error {
                throw DockerError(status: 200, message: error, operation: operation)
            }
            progress(ImagePullProgress(
                status: message.status ?? "",
                layerID: message.id,
                progressText: message.progress,
                currentBytes: message.progressDetail?.current,
                totalBytes: message.progressDetail?.total
            ))
        }
        for try await chunk in body {
            for line in splitter.feed(chunk) { try handle(line) }
        }
        if let last = splitter.finish() { try handle(last) }
    }

    /// "registry:5000/team/app:1.2" -> ("registry:5000/team/app", "1.2");
    /// "app@sha256:…" -> ("app", "sha256:…"); "app" -> ("app", "latest").
    static func splitImageReference(_ reference: String) -> (name: String, tag: String) {
        if let at = reference.firstIndex(of: "@") {
            return (String(reference[..<at]), String(reference[reference.index(after: at)...]))
        }
        // A colon before the last "/" belongs to a registry port, not a tag.
        let lastComponentStart = reference.lastIndex(of: "/").map { reference.index(after: $0) } ?? reference.startIndex
        if let colon = reference[lastComponentStart...].lastIndex(of: ":") {
            return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
        }
        return (reference, "latest")
    }
}
