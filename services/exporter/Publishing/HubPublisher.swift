import Foundation
import SynthCommon
import SynthHTTPClient
import SynthObjectStore

/// Publishes one dataset version as one commit to a dataset repository, with the HTTP API the
/// `huggingface_hub` client uses (its non-Xet path): create the repository (409 = it exists),
/// ask `preupload` which files go to LFS, upload those through the Git LFS batch API (basic
/// transfer), then commit NDJSON with small files inline (base64) and LFS files by oid. Files
/// under `data/` that the previous version had and this one has not are deleted in the same
/// commit, so the head of the repository is exactly the latest version.
struct HubPublisher: Sendable {
    let settings: HubSettings
    let client: HTTPClient

    struct Commit: Sendable {
        var oid: String
        /// The repository's tree at that commit, as a browser shows it.
        var url: String
    }

    private struct Upload {
        var path: String
        var localPath: String
        var size: Int
        var oid: String
        var lfs = false
    }

    /// `files` are paths relative to `directory`, which become the paths in the repository.
    func publish(exportID: String, directory: String, files: [String], summary: String) async throws -> Commit {
        try await createRepository()
        var uploads = try files.map { path in
            let localPath = directory + "/" + path
            let size = try (FileManager.default.attributesOfItem(atPath: localPath)[.size] as? NSNumber)?.intValue ?? 0
            return Upload(path: path, localPath: localPath, size: size, oid: SHA256Digest.hex(try SHA256Digest.hash(file: localPath)))
        }
        let modes = try await uploadModes(uploads)
        for index in uploads.indices {
            // The Hub cannot store an empty LFS object, so empty files always go inline (as huggingface_hub does).
            uploads[index].lfs = modes[uploads[index].path] == "lfs" && uploads[index].size > 0
        }
        try await uploadLFSObjects(uploads.filter(\.lfs))
        let stale = try await existingFiles(under: "data").filter { !files.contains($0) }
        return try await commit(uploads, deleting: stale, summary: "synth dataset \(exportID)", description: summary)
    }

    private var repoPath: String { "\(settings.endpoint)/api/datasets/\(settings.repoID)" }

    private func createRepository() async throws {
        let parts = settings.repoID.split(separator: "/").map(String.init)
        let body = try JSONSerialization.data(withJSONObject: [
            "name": parts[1], "organization": parts[0], "type": "dataset", "private": settings.privateRepository,
        ] as [String: Any])
        _ = try await send("create repository", .post, "\(settings.endpoint)/api/repos/create", json: body, allowing: [409])
    }

    private func uploadModes(_ uploads: [Upload]) async throws -> [String: String] {
        var files: [[String: Any]] = []
        for upload in uploads {
            // The Hub decides from the first 512 bytes (binary or not) and the size.
            let handle = FileHandle(forReadingAtPath: upload.localPath)
            let sample = try handle?.read(upToCount: 512) ?? Data()
            try handle?.close()
            files.append(["path": upload.path, "sample": sample.base64EncodedString(), "size": upload.size])
        }
        let response = try await send("preupload", .post, "\(repoPath)/preupload/\(settings.revision)",
                                      json: try JSONSerialization.data(withJSONObject: ["files": files]))
        let decoded = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        var modes: [String: String] = [:]
        for file in decoded?["files"] as? [[String: Any]] ?? [] {
            if let path = file["path"] as? String, let mode = file["uploadMode"] as? String { modes[path] = mode }
        }
        return modes
    }

    private func uploadLFSObjects(_ uploads: [Upload]) async throws {
        guard !uploads.isEmpty else { return }
        let request: [String: Any] = [
            "operation": "upload", "transfers": ["basic"], "hash_algo": "sha256", "ref": ["name": settings.revision],
            "objects": uploads.map { ["oid": $0.oid, "size": $0.size] },
        ]
        let response = try await send("LFS batch", .post, "\(settings.endpoint)/datasets/\(settings.repoID).git/info/lfs/objects/batch",
                                      json: try JSONSerialization.data(withJSONObject: request),
                                      contentType: "application/vnd.git-lfs+json")
        let batch = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        for object in batch?["objects"] as? [[String: Any]] ?? [] {
            guard let oid = object["oid"] as? String, let upload = uploads.first(where: { $0.oid == oid }) else { continue }
            if let error = object["error"] as? [String: Any] {
                throw HubError(step: "LFS batch for \(upload.path)", status: error["code"] as? Int ?? 0, message: "\(error["message"] ?? "")")
            }
            // No actions: the Hub already has this content.
            guard let actions = object["actions"] as? [String: Any], let put = actions["upload"] as? [String: Any],
                  let href = put["href"] as? String else { continue }
            var headers = HTTPHeaders()
            for (name, value) in put["header"] as? [String: String] ?? [:] {
                guard name != "chunk_size" else {
                    throw HubError(step: "LFS upload of \(upload.path)", status: 0, message: "the Hub asked for a multipart transfer")
                }
                headers.add(name: name, value: value)
            }
            // The upload URL is usually presigned storage: it gets the action's headers, never our token.
            guard let content = FileManager.default.contents(atPath: upload.localPath) else { throw HubError(step: "read", status: 0, message: upload.localPath) }
            let stored = try await client.execute(HTTPClientRequest(method: .put, url: href, headers: headers, body: Array(content),
                                                                    timeout: .seconds(600)))
            guard stored.isSuccess else { throw Self.error("LFS upload of \(upload.path)", stored) }
            if let verify = actions["verify"] as? [String: Any], let verifyURL = verify["href"] as? String {
                var extra = HTTPHeaders()
                for (name, value) in verify["header"] as? [String: String] ?? [:] { extra.add(name: name, value: value) }
                _ = try await send("LFS verify of \(upload.path)", .post, verifyURL,
                                   json: try JSONSerialization.data(withJSONObject: ["oid": oid, "size": upload.size]),
                                   contentType: "application/vnd.git-lfs+json", headers: extra)
            }
        }
    }

    /// Paths of the files under `folder` at the head of the revision; none for a new repository.
    private func existingFiles(under folder: String) async throws -> [String] {
        let response = try await send("list files", .get, "\(repoPath)/tree/\(settings.revision)/\(folder)?recursive=true", allowing: [404])
        guard response.status != 404 else { return [] }
        let entries = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] ?? []
        return entries.filter { $0["type"] as? String == "file" }.compactMap { $0["path"] as? String }
    }

    private func commit(_ uploads: [Upload], deleting stale: [String], summary: String, description: String) async throws -> Commit {
        var lines: [[String: Any]] = [["key": "header", "value": ["summary": summary, "description": description]]]
        for path in stale {
            lines.append(["key": "deletedFile", "value": ["path": path]])
        }
        for upload in uploads {
            if upload.lfs {
                lines.append(["key": "lfsFile", "value": ["path": upload.path, "algo": "sha256", "oid": upload.oid, "size": upload.size]])
            } else {
                guard let content = FileManager.default.contents(atPath: upload.localPath) else {
                    throw HubError(step: "read", status: 0, message: upload.localPath)
                }
                lines.append(["key": "file", "value": ["path": upload.path, "encoding": "base64", "content": content.base64EncodedString()]])
            }
        }
        var body = Data()
        for line in lines {
            body.append(try JSONSerialization.data(withJSONObject: line))
            body.append(0x0A)
        }
        let response = try await send("commit", .post, "\(repoPath)/commit/\(settings.revision)", json: body,
                                      contentType: "application/x-ndjson")
        let decoded = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        guard let oid = decoded?["commitOid"] as? String else {
            throw HubError(step: "commit", status: response.status, message: "no commitOid in the answer")
        }
        return Commit(oid: oid, url: "\(settings.endpoint)/datasets/\(settings.repoID)/tree/\(oid)")
    }

    /// A request to the Hub itself, with the token.
    private func send(_ step: String, _ method: HTTPMethod, _ url: String, json body: Data? = nil, contentType: String = "application/json",
                      headers extra: HTTPHeaders = [:], allowing: Set<Int> = []) async throws -> HTTPClientResponse {
        var headers = extra
        headers.replaceOrAdd(name: "Authorization", value: "Bearer \(settings.token)")
        if body != nil {
            headers.replaceOrAdd(name: "Content-Type", value: contentType)
        }
        if contentType == "application/vnd.git-lfs+json" {
            headers.replaceOrAdd(name: "Accept", value: contentType)
        }
        let response = try await client.execute(HTTPClientRequest(method: method, url: url, headers: headers,
                                                                  body: body.map { Array($0) }, timeout: .seconds(600)))
        guard response.isSuccess || allowing.contains(response.status) else { throw Self.error(step, response) }
        return response
    }

    private static func error(_ step: String, _ response: HTTPClientResponse) -> HubError {
        let decoded = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let message = decoded?["error"] as? String ?? response.headers["X-Error-Message"] ?? String(response.bodyText.prefix(300))
        return HubError(step: step, status: response.status, message: message)
    }
}
