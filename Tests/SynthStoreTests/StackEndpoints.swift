import Foundation
import Logging
import SynthPostgres
import SynthRedis

/// Where the local stack (scripts/stack.sh) listens. The tests of the stack
/// using Redis database N use databases 32+N and 48+N (the queue tests flush
/// theirs) and their own Postgres tables, so a running stack is not disturbed.
enum StackEndpoints {
    static let environment = ProcessInfo.processInfo.environment

    static func redisURL(database: Int) -> String {
        "redis://127.0.0.1:\(environment["SYNTH_REDIS_PORT"] ?? "16379")/\(database)"
    }

    static var databaseURL: String {
        environment["SYNTH_DATABASE_URL"] ?? "postgresql://synth@127.0.0.1:\(environment["SYNTH_PG_PORT"] ?? "15432")/synth"
    }

    static let stackDatabase = Int(environment["SYNTH_REDIS_DB"] ?? "0") ?? 0
    static let clientTestDatabase = 48 + stackDatabase
    static let queueTestDatabase = 32 + stackDatabase

    static func redis(database: Int = clientTestDatabase) throws -> RedisClient { try RedisClient(url: redisURL(database: database)) }
    static func postgres() -> PostgresClient { PostgresClient(url: databaseURL) }
    static let logger = Logger(label: "synth.tests")
}
