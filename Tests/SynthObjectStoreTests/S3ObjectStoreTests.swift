import Foundation
import SynthObjectStore
import Testing

/// S3ObjectStore against moto's S3 server, which verifies every signature.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct S3ObjectStoreTests {
    @Test func putGetHeadAndListUnderAPrefix() async throws {
        let store = try S3ObjectStore(configuration: try await MotoServer.configuration(prefix: "runs/\(UUID().uuidString)"))
        let unicodeKey = "datasets/v1/données & more+é (1).txt"
        try await store.put(key: "datasets/v1/data/train-00000-of-00001.parquet", bytes: Array("PAR1".utf8),
                            contentType: "application/vnd.apache.parquet")
        try await store.put(key: unicodeKey, bytes: Array("ünïcode".utf8), contentType: "text/plain; charset=utf-8")
        try await store.put(key: "other/empty", bytes: [], contentType: "application/octet-stream")

        #expect(try await store.get(key: unicodeKey) == Array("ünïcode".utf8))
        #expect(try await store.get(key: "other/empty") == [])
        #expect(try await store.head(key: unicodeKey) == ObjectInfo(size: "ünïcode".utf8.count, contentType: "text/plain; charset=utf-8"))
        #expect(try await store.list(prefix: "datasets/") == ["datasets/v1/data/train-00000-of-00001.parquet", unicodeKey])
        #expect(try await store.list(prefix: "") .count == 3)
        #expect(store.location.hasPrefix("s3://\(MotoServer.bucket)/runs/"))
    }

    @Test func listingFollowsContinuationTokens() async throws {
        var configuration = try await MotoServer.configuration(prefix: "paged-\(UUID().uuidString)")
        configuration.listPageSize = 2
        let store = try S3ObjectStore(configuration: configuration)
        let keys = (0..<5).map { "p/\($0)" }
        for key in keys { try await store.put(key: key, bytes: Array(key.utf8), contentType: "text/plain") }
        #expect(try await store.list(prefix: "p/") == keys)
    }

    @Test func missingObjectsAreNil() async throws {
        let store = try S3ObjectStore(configuration: try await MotoServer.configuration())
        #expect(try await store.get(key: "no/such/key") == nil)
        #expect(try await store.head(key: "no/such/key") == nil)
    }

    @Test func overwritingReplacesTheWholeObject() async throws {
        let store = try S3ObjectStore(configuration: try await MotoServer.configuration())
        try await store.put(key: "overwrite/me", bytes: Array(repeating: 1, count: 1000), contentType: "application/octet-stream")
        try await store.put(key: "overwrite/me", bytes: [2, 3], contentType: "application/octet-stream")
        #expect(try await store.get(key: "overwrite/me") == [2, 3])
    }

    @Test func largeFilesGoUpInPartsAndComeBackWhole() async throws {
        let configuration = try await MotoServer.configuration(threshold: S3Configuration.minimumPartSize)
        let store = try S3ObjectStore(configuration: configuration)
        // 12 MiB + 3 bytes: two full 5 MiB parts and a short last one.
        let size = 12 * 1024 * 1024 + 3
        var bytes = [UInt8](repeating: 0, count: size)
        var state: UInt32 = 2_463_534_242
        for index in bytes.indices {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            bytes[index] = UInt8(truncatingIfNeeded: state)
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("s3-multipart-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        try await store.put(key: "big/shard.parquet", file: file.path, contentType: "application/vnd.apache.parquet")
        #expect(try await store.head(key: "big/shard.parquet") == ObjectInfo(size: size, contentType: "application/vnd.apache.parquet"))
        #expect(try await store.get(key: "big/shard.parquet") == bytes)
    }

    @Test func refusalsCarryTheS3ErrorCode() async throws {
        let forged = try S3ObjectStore(configuration: try await MotoServer.configuration(secret: "not-the-secret"))
        let signature = await #expect(throws: S3Error.self) {
            try await forged.put(key: "forged", bytes: [1], contentType: "text/plain")
        }
        #expect(signature?.code == "SignatureDoesNotMatch")
        #expect(signature?.status == 403)

        let noBucket = try S3ObjectStore(configuration: try await MotoServer.configuration(bucket: "synth-no-such-bucket"))
        let missing = await #expect(throws: S3Error.self) {
            _ = try await noBucket.list(prefix: "")
        }
        #expect(missing?.code == "NoSuchBucket")
        #expect(missing.map { "\($0)" }?.contains("synth-no-such-bucket") == true)
    }

    @Test func theFactoryBuildsAnS3StoreFromTheEnvironment() async throws {
        let server = try await MotoServer.shared.endpoint()
        let secretFile = FileManager.default.temporaryDirectory.appendingPathComponent("s3-secret-\(UUID().uuidString)")
        try Data((server.secret_access_key + "\n").utf8).write(to: secretFile)
        defer { try? FileManager.default.removeItem(at: secretFile) }
        let store = try ObjectStoreFactory.make(home: "/nonexistent", environment: [
            "SYNTH_OBJECT_STORE": "s3://\(MotoServer.bucket)/factory/", "SYNTH_S3_ENDPOINT": server.endpoint,
            "SYNTH_S3_REGION": server.region, "SYNTH_S3_ACCESS_KEY_ID": server.access_key_id,
            "SYNTH_S3_SECRET_ACCESS_KEY_FILE": secretFile.path,
        ])
        #expect(store.location == "s3://\(MotoServer.bucket)/factory")
        try await store.put(key: "k", bytes: [7], contentType: "application/octet-stream")
        #expect(try await store.get(key: "k") == [7])

        #expect(throws: ObjectStoreError.self) {
            _ = try ObjectStoreFactory.make(home: "/nonexistent", environment: ["SYNTH_OBJECT_STORE": "s3://bucket"])
        }
    }
}
