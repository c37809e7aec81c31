import Foundation

/// Exponential backoff with jitter for infrastructure retries.
///
/// delay(attempt) = min(maxDelay, base x 2^(attempt-1)), then "equal jitter":
/// half of it fixed, half uniformly random, so a burst of failures (a Docker
/// daemon restart, a provider outage) does not come back as one burst.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelaySeconds: Double
    public var maxDelaySeconds: Double

    public init(maxAttempts: Int = 3, baseDelaySeconds: Double = 2, maxDelaySeconds: Double = 300) {
        self.maxAttempts = maxAttempts
        self.baseDelaySeconds = baseDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
    }

    /// The un-jittered delay after `attempt` (1-based) failed.
    public func ceiling(afterAttempt attempt: Int) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        return min(maxDelaySeconds, baseDelaySeconds * pow(2, exponent))
    }

    /// `unit` in 0..<1 picks the jitter; a random one by default.
    public func delay(afterAttempt attempt: Int, unit: Double = Double.random(in: 0..<1)) -> Double {
        let ceiling = ceiling(afterAttempt: attempt)
        return ceiling / 2 + ceiling / 2 * unit
    }
}
