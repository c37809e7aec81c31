import Foundation
import SynthHTTPClient

/// Objects in a bucket of an S3-compatible service (AWS S3, MinIO, moto ...), addressed
/// path-style and signed with AWS Signature V4 over libcurl. A single PUT is atomic in S3, and
/// so is a multipart upload, which becomes visible only when completed.
public struct S3ObjectStore: ObjectStore {
    public let configuration: S3Configuration
    private let client: HTTPClient
    private let signer: SigV4Signer
    private let host: String

    public var location: String {
        "s3://" + configuration.bucket + (configuration.prefix.isEmpty ? "" : "/" + configuration.prefix)
    }

    public init(configuration: S3Configuration, client: HTTPClient? = nil) throws {
        guard let components = URLComponents(string: configuration.endpoint), let scheme = components.scheme,
              let hostName = components.host, !hostName.isEmpty, components.path.isEmpty || components.path == "/" else {
            throw ObjectStoreError("S3 endpoint '\(configuration.endpoint)': expected scheme://host[:port]")
        }
        self.configuration = configuration
        self.client = try client ?? HTTPClient()
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
        // The Host header is signed, so it must be exactly what is sent: the port only when not the default.
        let defaultPort = scheme == "https" ? 443 : 80
        self.host = components.port.map { $0 == defaultPort ? hostName : "\(hostName):\($0)" } ?? hostName
    }

    public func put(key: String, bytes: [UInt8], contentType: String) async throws {
        try Self.validate(key: key)
        _ = try await send(.put, "PutObject", key: key, body: bytes, headers: ["Content-Type": contentType])
    }

    public func put(key: String, file path: String, contentType: String) async throws {
        try Self.validate(key: key)
        let size = try (FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size > configuration.multipartThreshold else {
            guard let data = FileManager.default.contents(atPath: path) else { throw ObjectStoreError("cannot read \(path)") }
            return try await put(key: key, bytes: Array(data), contentType: contentType)
        }
        try await multipartUpload(key: key, file: path, contentType: contentType)
    }

    public func get(key: String) async throws -> [UInt8]? {
        try Self.validate(key: key)
        let response = try await send(.get, "GetObject", key: key, allowing: [404])
        return response.status == 404 ? nil : response.body
    }

    public func head(key: String) async throws -> ObjectInfo? {
        try Self.validate(key: key)
        let response = try await send(.head, "HeadObject", key: key, allowing: [404])
        guard response.status != 404 else { return nil }
        return ObjectInfo(size: response.headers["Content-Length"].flatMap { Int($0) } ?? 0,
                          contentType: response.headers["Content-Type"])
    }

    public func list(prefix: String) async throws -> [String] {
        let base = configuration.prefix.isEmpty ? "" : configuration.prefix + "/"
        var keys: [String] = []
        var continuation: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", base + prefix)]
            if let continuation { query.append(("continuation-token", continuation)) }
            if let pageSize = configuration.listPageSize { query.append(("max-keys", String(pageSize))) }
            let document = S3XML(try await send(.get, "ListObjectsV2", key: nil, query: query).body)
            keys += document.all("Key").map { String($0.dropFirst(base.count)) }
            continuation = document.first("IsTruncated") == "true" ? document.first("NextContinuationToken") : nil
        } while continuation != nil
        return keys.sorted()
    }

    /// CreateMultipartUpload, one UploadPart per `partSize` bytes read from the file (so memory
    /// holds one part at a time), then CompleteMultipartUpload. Any failure aborts the upload so
    /// the service does not keep (and bill for) orphaned parts.
    private func multipartUpload(key: String, file path: String, contentType: String) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ObjectStoreError("cannot read \(path)") }
        defer { try? handle.close() }
        let created = try await send(.post, "CreateMultipartUpload", key: key, query: [("uploads", "")],
                                     headers: ["Content-Type": contentType])
        guard let uploadID = S3XML(created.body).first("UploadId") else {
            throw ObjectStoreError("S3 CreateMultipartUpload for \(key): no UploadId in the response")
        }
        do {
            var parts: [(number: Int, etag: String)] = []
            while case let chunk = try Self.read(handle, count: configuration.partSize), !chunk.isEmpty {
                let number = parts.count + 1
                let uploaded = try await send(.put, "UploadPart", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)],
                                              body: Array(chunk))
                guard let etag = uploaded.headers["ETag"] else { throw ObjectStoreError("S3 UploadPart \(number) of \(key): no ETag") }
                parts.append((number, etag))
            }
            let manifest = "<CompleteMultipartUpload>" + parts.map {
                "<Part><PartNumber>\($0.number)</PartNumber><ETag>\(S3XML.escape($0.etag))</ETag></Part>"
            }.joined() + "</CompleteMultipartUpload>"
            let completed = try await send(.post, "CompleteMultipartUpload", key: key, query: [("uploadId", uploadID)],
                                           body: Array(manifest.utf8), headers: ["Content-Type": "application/xml"])
            // S3 may answer 200 and still fail the completion, reporting it in the body.
            if S3XML(completed.body).isError {
                throw S3Error(operation: "CompleteMultipartUpload \(key)", status: completed.status, body: completed.body,
                              requestID: completed.headers["x-amz-request-id"])
            }
        } catch {
            _ = try? await send(.delete, "AbortMultipartUpload", key: key, query: [("uploadId", uploadID)], allowing: [404])
            throw error
        }
    }

    /// Up to `count` bytes: a read may return fewer than asked before the end of the file, and
    /// S3 refuses parts (but the last) under 5 MiB, so this reads until the part is full.
    private static func read(_ handle: FileHandle, count: Int) throws -> Data {
        var part = Data()
        while part.count < count, let block = try handle.read(upToCount: count - part.count), !block.isEmpty {
            part.append(block)
        }
        return part
    }

    /// Signs and performs one request; a status outside 2xx and `allowing` becomes an `S3Error`.
    private func send(_ method: HTTPMethod, _ operation: String, key: String?, query: [(String, String)] = [],
                      body: [UInt8]? = nil, headers: HTTPHeaders = [:], allowing: Set<Int> = []) async throws -> HTTPClientResponse {
        var path = "/" + SigV4Signer.uriEncode(configuration.bucket)
        if let key {
            let objectKey = configuration.prefix.isEmpty ? key : configuration.prefix + "/" + key
            path += "/" + SigV4Signer.uriEncode(objectKey, keepSlash: true)
        }
        let canonicalQuery = SigV4Signer.canonicalQuery(query)
        var sent = headers
        sent.replaceOrAdd(name: "Host", value: host)
        if (body != nil || method == .post || method == .put) && !sent.contains("Content-Type") {
            // Otherwise libcurl labels the body a form (application/x-www-form-urlencoded), and
            // servers that parse forms (moto among them) would consume an UploadPart's bytes.
            sent.add(name: "Content-Type", value: "application/octet-stream")
        }
        let payloadHash = body.map { SHA256Digest.hex(SHA256Digest.hash($0)) } ?? SigV4Signer.emptyPayloadHash
        for field in signer.sign(method: method.rawValue, path: path, query: query, headers: sent, payloadHash: payloadHash, date: Date()) {
            sent.add(name: field.name, value: field.value)
        }
        let url = configuration.endpoint + path + (canonicalQuery.isEmpty ? "" : "?" + canonicalQuery)
        let response = try await client.execute(HTTPClientRequest(method: method, url: url, headers: sent, body: body,
                                                                  timeout: configuration.timeout))
        guard response.isSuccess || allowing.contains(response.status) else {
            let target = key.map { " s3://\(configuration.bucket)/\($0)" } ?? " s3://\(configuration.bucket)"
            throw S3Error(operation: operation + target, status: response.status, body: response.body,
                          requestID: response.headers["x-amz-request-id"])
        }
        return response
    }
}
