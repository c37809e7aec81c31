import Foundation
import Synchronization
import SynthPostgres

/// Bearer API keys. Only a SHA-256 of each key is stored (computed by
/// Postgres' sha256()), so a leaked table does not leak keys. Verified keys
/// are cached for a short while, so a busy client costs one lookup per
/// `cacheSeconds`, and a revoked key stops working within that time.
final class APIKeyStore: Sendable {
    let database: PostgresClient
    let cacheSeconds: Double
    private let cache = Mutex<[String: (keyID: String, until: Date)]>([:])

    init(database: PostgresClient, cacheSeconds: Double = 30) {
        self.database = database
        self.cacheSeconds = cacheSeconds
    }

    static let hashSQL = "encode(sha256(convert_to($1, 'UTF8')), 'hex')"

    /// The key's id, or nil when it is unknown or revoked.
    func verify(_ key: String, now: Date = Date()) async throws -> String? {
        if let hit = cache.withLock({ $0[key] }), hit.until > now { return hit.keyID }
        let rows = try await database.query("""
            UPDATE api_keys SET last_used_at = now() WHERE key_hash = \(Self.hashSQL) AND revoked_at IS NULL RETURNING id
            """, [key])
        guard let id = rows.first?["id"] else { return nil }
        cache.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[key] = (id, now.addingTimeInterval(cacheSeconds))
        }
        return id
    }

    /// Stores (or replaces) the key with id `id`.
    func put(id: String, name: String, key: String) async throws {
        try await database.query("""
            INSERT INTO api_keys (id, name, key_hash) VALUES ($2, $3, \(Self.hashSQL))
            ON CONFLICT (id) DO UPDATE SET key_hash = EXCLUDED.key_hash, name = EXCLUDED.name, revoked_at = NULL
            """, [key, id, name])
    }

    /// A new random key: "synth_" and 48 hex digits (192 bits).
    static func generateKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        return "synth_" + digits
    }

    /// SYNTH_API_KEYS: comma-separated `id:key` pairs to install at start-up,
    /// the bootstrap for a fresh deployment (and the local stack's dev key).
    static func parseBootstrap(_ text: String) throws -> [(id: String, key: String)] {
        try text.split(separator: ",").map { entry in
            let parts = entry.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, parts[1].count >= 16 else {
                throw BootstrapError(message: "SYNTH_API_KEYS entries are id:key with a key of at least 16 characters")
            }
            return (parts[0], parts[1])
        }
    }

    struct BootstrapError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
