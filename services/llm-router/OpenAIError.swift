import SynthCommon

/// Errors in OpenAI's shape, so any OpenAI client shows them as it would
/// the provider's own: `{"error": {"message", "type", "param", "code"}}`.
struct OpenAIError: Error, Sendable {
    var status: Int
    var message: String
    var type: String
    var param: String?
    var code: String?

    static func invalidRequest(_ message: String, param: String?) -> OpenAIError {
        OpenAIError(status: 400, message: message, type: "invalid_request_error", param: param, code: nil)
    }

    static func modelNotFound(_ model: String, known: [String]) -> OpenAIError {
        OpenAIError(status: 404, message: "The model '\(model)' does not exist on this router (known: \(known.joined(separator: ", ")))",
                    type: "invalid_request_error", param: "model", code: "model_not_found")
    }

    static func upstream(_ message: String) -> OpenAIError {
        OpenAIError(status: 502, message: message, type: "upstream_error", param: nil, code: "bad_gateway")
    }

    var body: [UInt8] {
        let object: JSONValue = .object(["error": .object([
            "message": .string(message), "type": .string(type),
            "param": param.map(JSONValue.string) ?? .null, "code": code.map(JSONValue.string) ?? .null,
        ])])
        return Array(object.jsonText.utf8)
    }

    var response: (status: Int, body: [UInt8]) { (status, body) }
}
