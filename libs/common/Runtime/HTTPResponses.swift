import Foundation
import Hummingbird

/// JSON responses and errors in one shape for every service:
/// `{"error": {"code": ..., "message": ..., "field": ...}}`.
public enum HTTPResponses {
    public static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        do {
            return raw(try SynthJSON.encoder.encode(value), status: status)
        } catch {
            return self.error(.internalServerError, code: "encoding_failed", message: "\(error)")
        }
    }

    public static func raw(_ bytes: Data, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    public static func error(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil,
                             details: [FieldError]? = nil) -> Response {
        json(ErrorBody(error: .init(code: code, message: message, field: field, details: details)), status: status)
    }

    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var field: String?
            var details: [FieldError]?
        }
        var error: Detail
    }
}
