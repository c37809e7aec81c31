/// A Hub request that did not succeed: the step, the HTTP status and the Hub's own message
/// (its JSON `error` field or `X-Error-Message` header). Never carries the token.
struct HubError: Error, CustomStringConvertible {
    var step: String
    var status: Int
    var message: String

    var description: String { "Hugging Face Hub \(step) failed: \(status) \(message)" }
}
