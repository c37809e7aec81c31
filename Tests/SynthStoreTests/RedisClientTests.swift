import Foundation
import Testing
@testable import SynthRedis

@Suite("Redis client against the stack's Redis", .serialized)
struct RedisClientTests {
    @Test func commandsRoundTripBinarySafeValues() async throws {
        let redis = try StackEndpoints.redis()
        let key = "test:binary:\(UUID())"
        let value: [UInt8] = [0, 1, 2, 0xFF, 0x0A, 0x0D] + Array("✓ unicode".utf8)
        try await redis.command([Array("SET".utf8), Array(key.utf8), value])
        #expect(try await redis.command("GET", key) == .bulk(value))
        #expect(try await redis.command("DEL", key).int == 1)
        #expect(try await redis.command("GET", key).isNull)
    }

    @Test func pipelineKeepsOrderAndReportsErrorsInPlace() async throws {
        let redis = try StackEndpoints.redis()
        let key = "test:pipeline:\(UUID())"
        let replies = try await redis.pipeline([
            ["RPUSH", key, "a", "b"], ["LRANGE", key, "0", "-1"], ["INCR", key], ["DEL", key],
        ].map { $0.map { Array($0.utf8) } })
        #expect(replies[0] == .integer(2))
        #expect(replies[1] == .array([.bulk(Array("a".utf8)), .bulk(Array("b".utf8))]))
        guard case .error(let message) = replies[2] else { Issue.record("INCR on a list must fail"); return }
        #expect(message.contains("WRONGTYPE"))
        #expect(replies[3] == .integer(1))
    }

    @Test func serverErrorsThrowWithTheServersMessage() async throws {
        let redis = try StackEndpoints.redis()
        await #expect(throws: RedisError.self) { try await redis.command("NOSUCHCOMMAND") }
    }

    @Test func scriptsSurviveAScriptFlush() async throws {
        let redis = try StackEndpoints.redis()
        let script = RedisScript("return tonumber(ARGV[1]) + 1")
        #expect(try await redis.eval(script, keys: [], arguments: ["41"]).int == 42)
        try await redis.command("SCRIPT", "FLUSH")
        #expect(try await redis.eval(script, keys: [], arguments: ["1"]).int == 2)
    }

    @Test func concurrentCallersEachGetTheirOwnReply() async throws {
        let redis = try StackEndpoints.redis()
        let prefix = "test:concurrent:\(UUID())"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<64 {
                group.addTask {
                    try await redis.command("SET", "\(prefix):\(index)", "\(index)")
                    let value = try await redis.command("GET", "\(prefix):\(index)").string
                    #expect(value == "\(index)")
                    try await redis.command("DEL", "\(prefix):\(index)")
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func unreachableServerIsAConnectionError() async throws {
        let redis = RedisClient(host: "127.0.0.1", port: 1)
        await #expect(throws: RedisError.self) { try await redis.command("PING") }
    }

    @Test func invalidURLsAreRejected() {
        #expect(throws: RedisError.self) { try RedisClient(url: "http://127.0.0.1:6379") }
        #expect(throws: RedisError.self) { try RedisClient(url: "redis://127.0.0.1:6379/abc") }
    }
}
