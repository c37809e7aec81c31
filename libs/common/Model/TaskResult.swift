/// How an attempt ended (spec 3.2). JSON: `{"type": "success", "reward": 1.0}`,
/// `{"type": "partial_success", "reward": 0.6, "missing": [...]}`,
/// `{"type": "failure", "reason": ...}`, `{"type": "timeout"}`, `{"type": "error", "error": ...}`.
public enum TaskResult: Codable, Sendable, Equatable {
    case success(reward: Double)
    case partialSuccess(reward: Double, missing: [String])
    case failure(reason: String)
    case timeout
    case error(String)

    enum CodingKeys: String, CodingKey { case type, reward, missing, reason, error }

    public var typeName: String {
        switch self {
        case .success: "success"
        case .partialSuccess: "partial_success"
        case .failure: "failure"
        case .timeout: "timeout"
        case .error: "error"
        }
    }

    /// The status a task ends in with this result.
    public var status: TaskStatus {
        switch self {
        case .success: .succeeded
        case .partialSuccess: .partial
        case .failure: .failed
        case .timeout: .timeout
        case .error: .error
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "success": self = .success(reward: try c.decode(Double.self, forKey: .reward))
        case "partial_success":
            self = .partialSuccess(reward: try c.decode(Double.self, forKey: .reward), missing: try c.decode([String].self, forKey: .missing))
        case "failure": self = .failure(reason: try c.decode(String.self, forKey: .reason))
        case "timeout": self = .timeout
        case "error": self = .error(try c.decode(String.self, forKey: .error))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown result type '\(other)'")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(typeName, forKey: .type)
        switch self {
        case .success(let reward): try c.encode(reward, forKey: .reward)
        case .partialSuccess(let reward, let missing):
            try c.encode(reward, forKey: .reward)
            try c.encode(missing, forKey: .missing)
        case .failure(let reason): try c.encode(reason, forKey: .reason)
        case .timeout: break
        case .error(let error): try c.encode(error, forKey: .error)
        }
    }
}
