/// Why a Redis call failed: the connection (retry may help) or the server's
/// own error reply (a bug or bad input: retrying will not help).
public enum RedisError: Error, Sendable, CustomStringConvertible {
    case connection(String)
    case server(String)
    case unexpectedReply(String)

    public var description: String {
        switch self {
        case .connection(let message): return "redis connection: \(message)"
        case .server(let message): return "redis: \(message)"
        case .unexpectedReply(let message): return "redis: unexpected reply: \(message)"
        }
    }
}
