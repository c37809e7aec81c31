/// A transport-level failure: the exchange did not produce a complete
/// response. HTTP error statuses are *not* errors; they arrive as responses.
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The request's timeout (or the connect timeout) elapsed.
        case timedOut
        /// Nothing accepted the connection: refused, unresolvable, missing socket.
        case couldNotConnect
        /// The request could not be sent as given (bad URL, header with CR/LF…).
        case invalidRequest
        /// Any other failure while sending or receiving (reset, TLS, protocol).
        case transport
    }

    public var kind: Kind
    /// libcurl's CURLcode, when the error came from libcurl.
    public var curlCode: Int?
    /// libcurl's detailed message (CURLOPT_ERRORBUFFER), or ours.
    public var message: String

    public init(kind: Kind, curlCode: Int? = nil, message: String) {
        self.kind = kind
        self.curlCode = curlCode
        self.message = message
    }

    public var description: String {
        if let curlCode {
            return "HTTPClientError.\(kind) (curl \(curlCode)): \(message)"
        }
        return "HTTPClientError.\(kind): \(message)"
    }
}
