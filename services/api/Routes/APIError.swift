import Foundation
import Hummingbird
import SynthCommon

/// A client error with the field it is about. Route handlers throw it; the
/// `guarded` wrapper turns it into the shared error body, so every 4xx has
/// the same machine-readable shape.
struct APIError: Error {
    var status: HTTPResponse.Status
    var code: String
    var field: String?
    var message: String
    var details: [FieldError]?

    static func invalid(_ field: String, _ message: String, code: String = "invalid_parameter") -> APIError {
        APIError(status: .badRequest, code: code, field: field, message: "\(field): \(message)")
    }

    static func notFound(_ what: String, id: String, field: String = "id") -> APIError {
        APIError(status: .notFound, code: "\(what)_not_found", field: field, message: "no \(what) with id '\(id)'")
    }

    var response: Response {
        HTTPResponses.error(status, code: code, message: message, field: field, details: details)
    }
}

/// Runs a handler, answering APIError and undecodable bodies with a 4xx.
func guarded(_ body: () async throws -> Response) async throws -> Response {
    do {
        return try await body()
    } catch let error as APIError {
        return error.response
    } catch let error as DecodingError {
        let field = error.fieldError
        return HTTPResponses.error(.badRequest, code: "invalid_body", message: "\(field.field): \(field.message)", field: field.field)
    }
}

extension Request {
    /// The body, or a 413 naming it when larger than `limit`.
    func collectBody(upTo limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch {
            throw APIError(status: .contentTooLarge, code: "body_too_large", field: "body", message: "the body exceeds \(limit) bytes")
        }
    }

    /// Decodes a JSON object body; an empty body is allowed when `T` has a default.
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int = 1024 * 1024, emptyDefault: T? = nil) async throws -> T {
        let buffer = try await collectBody(upTo: limit)
        if buffer.readableBytes == 0, let emptyDefault { return emptyDefault }
        let data = Data(buffer.readableBytesView)
        guard let object = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any] else {
            throw APIError(status: .badRequest, code: "invalid_body", field: "body", message: "body: must be a JSON object")
        }
        try JSONGuards.rejectNUL(object)
        return try SynthJSON.decoder.decode(T.self, from: data)
    }
}
