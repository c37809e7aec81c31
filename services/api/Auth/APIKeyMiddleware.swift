import Foundation
import Hummingbird
import Logging
import SynthCommon

/// Requires `Authorization: Bearer <key>` on every route but the health and
/// readiness probes and the process's own `/metrics`, and writes one audit
/// line per authenticated call: key id, method, path, status, duration. The
/// key itself is never logged.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let keys: APIKeyStore
    let logger: Logger
    /// `/monitor` is the page only (no data): it asks for the key itself.
    static let open: Set<String> = ["/health", "/ready", "/metrics", "/api/v1/health", "/monitor"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if Self.open.contains(path) { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer "),
              case let key = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces), !key.isEmpty else {
            logger.info("api_auth_rejected", metadata: ["method": "\(request.method)", "path": "\(path)", "reason": "missing"])
            return Self.unauthorized("an API key is required: send Authorization: Bearer <key>")
        }
        guard let keyID = try await keys.verify(key) else {
            logger.warning("api_auth_rejected", metadata: ["method": "\(request.method)", "path": "\(path)", "reason": "unknown_key"])
            return Self.unauthorized("the API key is unknown or revoked")
        }
        let started = ContinuousClock.now
        var status = 500
        defer {
            let elapsed = ContinuousClock.now - started
            logger.info("api_audit", metadata: [
                "key_id": "\(keyID)", "method": "\(request.method)", "path": "\(path)", "status": "\(status)",
                "duration_ms": "\(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)",
            ])
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as HTTPResponseError {
            status = error.status.code
            throw error
        }
    }

    static func unauthorized(_ message: String) -> Response {
        var response = HTTPResponses.error(.unauthorized, code: "unauthorized", message: message, field: "Authorization")
        response.headers[.wwwAuthenticate] = "Bearer realm=\"synth\""
        return response
    }
}
