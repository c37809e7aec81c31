import Foundation
import Logging

/// A small pool of blocking hiredis connections behind an async API.
///
/// hiredis is synchronous, so each call runs on a dedicated dispatch queue
/// rather than on Swift's cooperative pool. A connection that saw an I/O error
/// is dropped and replaced on the next call, so a Redis restart heals itself.
public final class RedisClient: @unchecked Sendable {
    // @unchecked: `idle` and `loadedScripts` are only touched under `lock`; a connection is used by
    // one caller at a time because it is taken out of `idle` while in use.
    private let host: String
    private let port: Int32
    private let lock = NSLock()
    private var idle: [RedisConnection] = []
    private var loadedScripts: [RedisScript: String] = [:]
    private let maxIdle: Int
    private let queue = DispatchQueue(label: "synth.redis", attributes: .concurrent)

    private let database: Int

    public init(host: String, port: Int, database: Int = 0, maxIdleConnections: Int = 8) {
        self.host = host
        self.port = Int32(port)
        self.database = database
        self.maxIdle = maxIdleConnections
    }

    /// `redis://host:port[/db]`. `maxIdleConnections` should cover the calls
    /// a process makes at once: beyond it, each extra concurrent call opens a
    /// fresh TCP connection and closes it afterwards.
    public convenience init(url: String, maxIdleConnections: Int = 8) throws {
        guard let components = URLComponents(string: url), components.scheme == "redis", let host = components.host else {
            throw RedisError.connection("invalid Redis URL '\(url)' (expected redis://host:port[/db])")
        }
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard let database = path.isEmpty ? 0 : Int(path) else {
            throw RedisError.connection("invalid database '\(path)' in Redis URL '\(url)'")
        }
        self.init(host: host, port: components.port ?? 6379, database: database, maxIdleConnections: maxIdleConnections)
    }

    @discardableResult
    public func command(_ arguments: String...) async throws -> RedisValue {
        try await command(arguments.map { Array($0.utf8) })
    }

    @discardableResult
    public func command(_ arguments: [String]) async throws -> RedisValue {
        try await command(arguments.map { Array($0.utf8) })
    }

    @discardableResult
    public func command(_ arguments: [[UInt8]]) async throws -> RedisValue {
        let reply = try await pipeline([arguments])[0]
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply
    }

    /// Several commands in one round trip; server errors come back as `.error` values.
    public func pipeline(_ commands: [[[UInt8]]]) async throws -> [RedisValue] {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.withConnection { try $0.pipeline(commands) } })
            }
        }
    }

    /// Runs a Lua script with EVALSHA, loading it first (and again after a
    /// server restart, which forgets scripts: NOSCRIPT).
    public func eval(_ script: RedisScript, keys: [String], arguments: [String]) async throws -> RedisValue {
        try await eval(script, keys: keys, arguments: arguments.map { Array($0.utf8) })
    }

    /// The same with arguments as bytes, for callers that already hold them
    /// (a queue passing JSON bodies through): no String round trip.
    public func eval(_ script: RedisScript, keys: [String], arguments: [[UInt8]]) async throws -> RedisValue {
        let tail = ([String(keys.count)] + keys).map { Array($0.utf8) } + arguments
        for _ in 0..<2 {
            let sha = try await scriptSHA(script)
            let reply = try await pipeline([[Array("EVALSHA".utf8), Array(sha.utf8)] + tail])[0]
            guard case .error(let message) = reply else { return reply }
            guard message.hasPrefix("NOSCRIPT") else { throw RedisError.server(message) }
            lock.withLock { _ = loadedScripts.removeValue(forKey: script) }
        }
        throw RedisError.server("NOSCRIPT persisted after reloading the script")
    }

    private func scriptSHA(_ script: RedisScript) async throws -> String {
        if let sha = lock.withLock({ loadedScripts[script] }) { return sha }
        guard let sha = try await command("SCRIPT", "LOAD", script.source).string else {
            throw RedisError.unexpectedReply("SCRIPT LOAD returned no SHA")
        }
        lock.withLock { loadedScripts[script] = sha }
        return sha
    }

    private func withConnection<R>(_ body: (RedisConnection) throws -> R) throws -> R {
        lock.lock()
        let pooled = idle.popLast()
        lock.unlock()
        let connection = try pooled ?? RedisConnection(host: host, port: port, database: database)
        let result = try body(connection)
        if !connection.isBroken {
            lock.lock()
            if idle.count < maxIdle { idle.append(connection) }
            lock.unlock()
        }
        return result
    }
}
