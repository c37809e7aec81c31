import Foundation
import SynthRedis

/// Requests and tokens per minute per deployment, shared by replicas through
/// Redis: one fixed one-minute window per deployment, checked and counted
/// atomically so concurrent replicas cannot both take the last slot.
struct RateLimiter: Sendable {
    let redis: RedisClient

    /// KEYS[1]: requests, KEYS[2]: tokens. ARGV: rpm (0 = none), tpm (0 = none), tokens. Returns 0, 1 (rpm) or 2 (tpm).
    static let script = RedisScript("""
        local rpm, tpm, tokens = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local requests = tonumber(redis.call('GET', KEYS[1]) or '0')
        local used = tonumber(redis.call('GET', KEYS[2]) or '0')
        if rpm > 0 and requests + 1 > rpm then return 1 end
        if tpm > 0 and used + tokens > tpm then return 2 end
        redis.call('INCR', KEYS[1]); redis.call('EXPIRE', KEYS[1], 120)
        redis.call('INCRBY', KEYS[2], tokens); redis.call('EXPIRE', KEYS[2], 120)
        return 0
        """)

    /// nil when the call may go ahead, else which limit is full.
    func admit(_ deployment: ModelDeployment, tokens: Int) async throws -> String? {
        guard deployment.rpm != nil || deployment.tpm != nil else { return nil }
        let minute = Int(Date().timeIntervalSince1970 / 60)
        let base = "synth:router:rate:\(deployment.name):\(minute):"
        let reply = try await redis.eval(Self.script, keys: [base + "rpm", base + "tpm"],
                                         arguments: [String(deployment.rpm ?? 0), String(deployment.tpm ?? 0), String(tokens)])
        switch reply.int {
        case 1: return "rpm limit \(deployment.rpm ?? 0)"
        case 2: return "tpm limit \(deployment.tpm ?? 0)"
        default: return nil
        }
    }
}
