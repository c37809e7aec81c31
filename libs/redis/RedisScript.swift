/// A Lua script run with EVALSHA. Its SHA-1 comes from the server's own
/// SCRIPT LOAD (cached per client), so no hashing code lives here.
public struct RedisScript: Sendable, Hashable {
    public let source: String

    public init(_ source: String) {
        self.source = source
    }
}
