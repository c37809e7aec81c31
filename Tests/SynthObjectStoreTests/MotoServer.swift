import Foundation
import SynthObjectStore

/// One moto S3 server (Tests/e2e/moto_s3.py) for the whole test process, started on first use.
/// It checks SigV4 signatures, so a signing mistake fails the tests. The server reads its standard
/// input until it closes, which happens when this process exits, however it exits.
actor MotoServer {
    static let shared = MotoServer()
    static let bucket = "synth-tests"

    struct Endpoint: Decodable, Sendable {
        var endpoint: String
        var access_key_id: String
        var secret_access_key: String
        var region: String
    }

    private var running: (process: Process, input: Pipe, endpoint: Endpoint)?

    func endpoint() throws -> Endpoint {
        if let running { return running.endpoint }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("e2e/moto_s3.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, Self.bucket]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The first line is the JSON description; reading it waits until the server is up.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) {
            line.append(byte)
        }
        guard !line.isEmpty else { throw ObjectStoreError("moto_s3.py exited without starting (is moto[server] installed?)") }
        let endpoint = try JSONDecoder().decode(Endpoint.self, from: line)
        running = (process, input, endpoint)
        return endpoint
    }

    static func configuration(prefix: String = "", secret: String? = nil, bucket: String = MotoServer.bucket,
                              threshold: Int = 16 * 1024 * 1024) async throws -> S3Configuration {
        let server = try await shared.endpoint()
        return S3Configuration(endpoint: server.endpoint, region: server.region, bucket: bucket, prefix: prefix,
                               credentials: S3Credentials(accessKeyID: server.access_key_id,
                                                          secretAccessKey: secret ?? server.secret_access_key),
                               multipartThreshold: threshold, partSize: S3Configuration.minimumPartSize)
    }
}
