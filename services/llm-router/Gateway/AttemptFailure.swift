import Foundation
import SynthHTTPClient

/// Why one upstream attempt failed, and what the router may do about it.
struct AttemptFailure: Error, Sendable {
    /// The status the client should see if this is the last failure.
    var status: Int
    var message: String
    /// Worth trying the same deployment again (429, 5xx, timeouts, connection failures).
    var retryable: Bool
    /// Worth trying the next deployment; false for errors that are the request's own fault.
    var failover: Bool
    /// Seconds the upstream asked us to wait (Retry-After / retry-after-ms).
    var retryAfter: Double?
    /// The upstream's own error type/code when it is passed through to the client.
    var code: String = "bad_gateway"
    var type: String = "upstream_error"

    var openAIError: OpenAIError { OpenAIError(status: status, message: message, type: type, param: nil, code: code) }

    static func fromStatus(_ status: Int, headers: HTTPHeaders, message: String, model: String) -> AttemptFailure {
        let text = "the upstream for '\(model)' returned \(status): \(message)"
        switch status {
        case 429:
            return AttemptFailure(status: 429, message: text, retryable: true, failover: true, retryAfter: retryAfter(headers),
                                  code: "rate_limit_exceeded", type: "rate_limit_error")
        case 408, 409, 500...599:
            return AttemptFailure(status: 502, message: text, retryable: true, failover: true, retryAfter: retryAfter(headers))
        case 401, 403, 404:
            // The deployment is misconfigured (key, model name): another deployment may work.
            return AttemptFailure(status: 502, message: text, retryable: false, failover: true)
        default:
            // The request itself was refused (bad parameters, context too long): pass it on as is.
            return AttemptFailure(status: (400...499).contains(status) ? status : 502, message: text, retryable: false, failover: false,
                                  code: "upstream_rejected", type: "invalid_request_error")
        }
    }

    static func transport(_ error: any Error, model: String, timeout: Double) -> AttemptFailure {
        if let error = error as? HTTPClientError {
            switch error.kind {
            case .timedOut:
                return AttemptFailure(status: 504, message: "the upstream for '\(model)' timed out after \(timeout)s", retryable: true,
                                      failover: true, code: "upstream_timeout")
            case .couldNotConnect:
                return AttemptFailure(status: 502, message: "the upstream for '\(model)' could not be reached: \(error.message)",
                                      retryable: true, failover: true)
            case .invalidRequest:
                return AttemptFailure(status: 502, message: "the request for '\(model)' could not be sent: \(error.message)",
                                      retryable: false, failover: true)
            case .transport:
                return AttemptFailure(status: 502, message: "the upstream for '\(model)' failed: \(error.message)", retryable: true, failover: true)
            }
        }
        return AttemptFailure(status: 502, message: "the upstream for '\(model)' failed: \(error)", retryable: true, failover: true)
    }

    static func retryAfter(_ headers: HTTPHeaders) -> Double? {
        if let ms = headers["retry-after-ms"].flatMap(Double.init) { return ms / 1000 }
        if let seconds = headers["retry-after"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }) { return seconds }
        return nil
    }
}
