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

    static func upstream(_ message: String, status: Int = 502, code: String = "bad_gateway") -> OpenAIError {
        OpenAIError(status: status, message: message, type: "upstream_error", param: nil, code: code)
    }

    static func budgetExhausted(_ message: String) -> OpenAIError {
        OpenAIError(status: 429, message: message, type: "insufficient_quota", param: nil, code: "budget_exceeded")
    }

    static func rateLimited(_ message: String) -> OpenAIError {
        OpenAIError(status: 429, message: message, type: "rate_limit_error", param: nil, code: "rate_limit_exceeded")
    }

    var json: JSONValue {
        .object(["error": .object([
            "message": .string(message), "type": .string(type),
            "param": param.map(JSONValue.string) ?? .null, "code": code.map(JSONValue.string) ?? .null,
        ])])
    }

    var body: [UInt8] { Array(json.jsonText.utf8) }

    var response: (status: Int, body: [UInt8]) { (status, body) }
}
