import Foundation
import Logging
import SynthCommon
import SynthRedis

/// Budgets shared by every router replica through Redis. Before a call, its
/// worst-case cost is reserved atomically in every scope it touches (one Lua
/// script: all scopes fit or nothing is reserved), so N replicas together
/// can never commit more than a limit; after the call the reservation is
/// replaced by the actual cost. Amounts are integer nanodollars.
struct SpendLedger: Sendable {
    struct Scope: Sendable {
        var name: String
        var limitDollars: Double
    }

    struct Reservation: Sendable {
        var scopes: [Scope]
        var nanodollars: Int64
    }

    let redis: RedisClient
    let journal: RecordJournal
    let thresholds: [Double]
    let logger: Logger
    static let prefix = "synth:router:spend:"

    static func nano(_ dollars: Double) -> Int64 { Int64((dollars * 1e9).rounded(.up)) }

    /// KEYS: scope hashes. ARGV[1]: amount; ARGV[1+i]: limit of KEYS[i]. Returns 0 or the index of the scope that is full.
    static let reserveScript = RedisScript("""
        local amount = tonumber(ARGV[1])
        for i, key in ipairs(KEYS) do
          local committed = tonumber(redis.call('HGET', key, 'committed') or '0')
          if committed + amount > tonumber(ARGV[i + 1]) then return i end
        end
        for _, key in ipairs(KEYS) do redis.call('HINCRBY', key, 'committed', amount) end
        return 0
        """)

    /// KEYS: scope hashes. ARGV[1]: reserved, ARGV[2]: actual. Returns each scope's spent total after the call.
    static let settleScript = RedisScript("""
        local reserved, actual = tonumber(ARGV[1]), tonumber(ARGV[2])
        local out = {}
        for i, key in ipairs(KEYS) do
          redis.call('HINCRBY', key, 'committed', actual - reserved)
          out[i] = redis.call('HINCRBY', key, 'spent', actual)
        end
        return out
        """)

    enum Denied: Error {
        case budgetExhausted(scope: String, limit: Double)
        case storeUnavailable(String)
    }

    func reserve(scopes: [Scope], dollars: Double) async throws -> Reservation? {
        guard !scopes.isEmpty else { return nil }
        let amount = Self.nano(dollars)
        let reply: RedisValue
        do {
            reply = try await redis.eval(Self.reserveScript, keys: scopes.map { Self.prefix + $0.name },
                                         arguments: [String(amount)] + scopes.map { String(Self.nano($0.limitDollars)) })
        } catch {
            // Fail closed: without the shared ledger no replica can know the budget is safe.
            throw Denied.storeUnavailable("\(error)")
        }
        if let full = reply.int, full > 0 {
            let scope = scopes[Int(full) - 1]
            throw Denied.budgetExhausted(scope: scope.name, limit: scope.limitDollars)
        }
        return Reservation(scopes: scopes, nanodollars: amount)
    }

    /// Replaces the reservation by the actual cost and announces thresholds crossed.
    func settle(_ reservation: Reservation?, actualDollars: Double) async {
        guard let reservation else { return }
        let actual = Self.nano(actualDollars)
        do {
            let reply = try await redis.eval(Self.settleScript, keys: reservation.scopes.map { Self.prefix + $0.name },
                                             arguments: [String(reservation.nanodollars), String(actual)])
            for (scope, value) in zip(reservation.scopes, reply.array ?? []) {
                guard let spent = value.int else { continue }
                await announceThresholds(scope: scope, before: spent - actual, after: spent)
            }
        } catch {
            logger.error("budget_settle_failed", metadata: ["error": "\(error)", "nanodollars": "\(actual)"])
        }
    }

    private func announceThresholds(scope: Scope, before: Int64, after: Int64) async {
        for fraction in thresholds {
            let threshold = Self.nano(scope.limitDollars * fraction)
            guard before < threshold, after >= threshold else { continue }
            // SET NX: exactly one replica announces each crossing.
            let key = Self.prefix + scope.name + ":threshold:" + String(fraction)
            guard (try? await redis.command("SET", key, "1", "NX"))?.string == "OK" else { continue }
            let event = CostThresholdReached(scope: scope.name, current: Double(after) / 1e9, threshold: Double(threshold) / 1e9,
                                             limit: scope.limitDollars, fraction: fraction)
            journal.record(event)
            logger.warning("cost_threshold_reached", metadata: ["scope": "\(scope.name)", "fraction": "\(fraction)",
                                                                 "current_dollars": "\(event.current)"])
        }
    }
}
