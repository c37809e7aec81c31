import Foundation

/// Where an `S3ObjectStore` keeps its objects and how it talks to the service.
public struct S3Configuration: Sendable {
    /// Scheme, host and port of the service, e.g. `http://127.0.0.1:9000`; requests use path-style
    /// addressing (`<endpoint>/<bucket>/<key>`), which every S3-compatible server accepts.
    public var endpoint: String
    public var region: String
    public var bucket: String
    /// Prepended to every key (without a trailing slash); empty for the bucket's root.
    public var prefix: String
    public var credentials: S3Credentials
    /// Files larger than this are sent as a multipart upload.
    public var multipartThreshold: Int
    /// Size of each part but the last; S3 requires at least 5 MiB.
    public var partSize: Int
    public var timeout: Duration
    /// Keys per ListObjectsV2 page; nil leaves it to the service (1,000 on S3).
    public var listPageSize: Int?

    public static let minimumPartSize = 5 * 1024 * 1024

    public init(endpoint: String, region: String, bucket: String, prefix: String = "", credentials: S3Credentials,
                multipartThreshold: Int = 16 * 1024 * 1024, partSize: Int = 8 * 1024 * 1024, timeout: Duration = .seconds(300)) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.region = region
        self.bucket = bucket
        self.prefix = prefix.split(separator: "/").joined(separator: "/")
        self.credentials = credentials
        self.multipartThreshold = multipartThreshold
        self.partSize = max(partSize, Self.minimumPartSize)
        self.timeout = timeout
    }

    /// `s3://bucket/prefix` and the settings of the environment (see docs/DATASET.md):
    /// `SYNTH_S3_ENDPOINT`, `SYNTH_S3_REGION`, `SYNTH_S3_ACCESS_KEY_ID` and
    /// `SYNTH_S3_SECRET_ACCESS_KEY` (each also as `<NAME>_FILE`, a file holding the value), falling
    /// back to the AWS CLI's `AWS_*` names.
    public static func from(url: String, environment: [String: String]) throws -> S3Configuration {
        let path = url.dropFirst("s3://".count)
        let bucket = String(path.prefix { $0 != "/" })
        guard !bucket.isEmpty else { throw ObjectStoreError("SYNTH_OBJECT_STORE=\(url): name a bucket, s3://<bucket>[/<prefix>]") }
        let prefix = String(path.dropFirst(bucket.count))

        func value(_ names: String...) throws -> String? {
            for name in names {
                if let text = environment[name], !text.isEmpty { return text }
                if let file = environment[name + "_FILE"], !file.isEmpty {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        throw ObjectStoreError("\(name)_FILE=\(file): cannot read the file")
                    }
                    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                }
            }
            return nil
        }
        func size(_ name: String, default fallback: Int) throws -> Int {
            guard let text = try value(name) else { return fallback }
            guard let number = Int(text), number > 0 else { throw ObjectStoreError("\(name)=\(text): expected a positive byte count") }
            return number
        }

        let region = try value("SYNTH_S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION") ?? "us-east-1"
        let endpoint = try value("SYNTH_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL") ?? "https://s3.\(region).amazonaws.com"
        guard let accessKey = try value("SYNTH_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
              let secretKey = try value("SYNTH_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY") else {
            throw ObjectStoreError("SYNTH_OBJECT_STORE=\(url) needs credentials: set SYNTH_S3_ACCESS_KEY_ID and SYNTH_S3_SECRET_ACCESS_KEY"
                                   + " (or their _FILE forms, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
        }
        return S3Configuration(
            endpoint: endpoint, region: region, bucket: bucket, prefix: prefix,
            credentials: S3Credentials(accessKeyID: accessKey, secretAccessKey: secretKey,
                                       sessionToken: try value("SYNTH_S3_SESSION_TOKEN", "AWS_SESSION_TOKEN")),
            multipartThreshold: try size("SYNTH_S3_MULTIPART_THRESHOLD_BYTES", default: 16 * 1024 * 1024),
            partSize: try size("SYNTH_S3_PART_SIZE_BYTES", default: 8 * 1024 * 1024))
    }
}
