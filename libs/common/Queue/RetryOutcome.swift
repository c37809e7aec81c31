import Foundation

/// What happened to a lease given back after an infrastructure failure.
public enum RetryOutcome: Sendable, Equatable {
    /// Back in the queue once the backoff has passed.
    case retried(readyAt: Date)
    /// Out of attempts: on the dead letter list with its reason.
    case deadLettered
    /// The caller did not hold the lease any more (it expired and was reaped).
    case notHeld
}
