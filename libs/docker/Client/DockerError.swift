/// The Docker daemon refused or failed an operation.
///
/// Transport failures (daemon socket missing, timeouts) are not wrapped:
/// they surface as `HTTPClientError` from SynthHTTPClient.
public struct DockerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP status from the daemon. Errors reported inside a 200 progress
    /// stream (image pull/import) carry 200.
    public var status: Int
    /// The daemon's own message, e.g. "No such image: nope:latest".
    public var message: String
    /// What was attempted, e.g. "POST /containers/create".
    public var operation: String

    public init(status: Int, message: String, operation: String) {
        self.status = status
        self.message = message
        self.operation = operation
    }

    public var isNotFound: Bool { status == 404 }
    public var isConflict: Bool { status == 409 }

    public var description: String {
        "Docker \(operation) failed (\(status)): \(message)"
    }
}
