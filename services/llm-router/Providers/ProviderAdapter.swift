import SynthCommon
import SynthHTTPClient

/// Speaks one provider's wire format: turns an OpenAI chat request into the
/// provider's HTTP request, and the provider's reply (whole or streamed)
/// back into OpenAI's shape. Throws `AdapterError` for replies it cannot read.
protocol ProviderAdapter: Sendable {
    func makeRequest(_ request: [String: JSONValue], deployment: ModelDeployment, stream: Bool, timeout: Duration) throws -> HTTPClientRequest
    /// The provider's success body → an OpenAI `chat.completion` object.
    func translateResponse(_ body: JSONValue, deployment: ModelDeployment) throws -> JSONValue
    func makeStreamTranslator(deployment: ModelDeployment, includeUsage: Bool) -> any StreamTranslator
    /// The human-readable message of the provider's error body.
    func errorMessage(_ body: JSONValue) -> String?
}

/// Turns a provider's SSE events into OpenAI `chat.completion.chunk` payloads.
protocol StreamTranslator: Sendable {
    /// Chunks to send for this event; throws `AdapterError.upstreamStreamError` when the provider reports an error mid-stream.
    mutating func translate(_ event: SSEEvent) throws -> [StreamChunk]
    /// The provider has signalled a complete, clean end of the stream.
    var isComplete: Bool { get }
    /// Chunks to send after a clean end (the usage chunk, when the client asked for it).
    mutating func finish() -> [StreamChunk]
}

/// One OpenAI chunk: the exact text sent to the client and its parsed form (for the call record).
struct StreamChunk: Sendable {
    var text: String
    var json: JSONValue
    init(text: String, json: JSONValue) {
        self.text = text
        self.json = json
    }
    init(_ json: JSONValue) {
        self.json = json
        self.text = json.jsonText
    }
}

enum AdapterError: Error, CustomStringConvertible {
    case unreadable(String)
    case upstreamStreamError(String)

    var description: String {
        switch self {
        case .unreadable(let message): return message
        case .upstreamStreamError(let message): return "the upstream reported an error mid-stream: \(message)"
        }
    }
}

enum Adapters {
    static let openAI = OpenAIAdapter()
    static let anthropic = AnthropicAdapter()
    static let gemini = GeminiAdapter()

    static func adapter(for provider: ModelDeployment.Provider) -> any ProviderAdapter {
        switch provider {
        case .anthropic: return anthropic
        case .gemini: return gemini
        default: return openAI
        }
    }

    static func join(_ base: String, _ path: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + path
    }

    /// A chunk in OpenAI's streaming shape.
    static func chunk(id: String, model: String, created: Int, delta: [String: JSONValue], finishReason: String? = nil) -> JSONValue {
        .object([
            "id": .string(id), "object": .string("chat.completion.chunk"), "created": .int(created), "model": .string(model),
            "choices": .array([.object([
                "index": .int(0), "delta": .object(delta), "logprobs": .null,
                "finish_reason": finishReason.map(JSONValue.string) ?? .null,
            ])]),
        ])
    }

    static func usageChunk(id: String, model: String, created: Int, usage: NormalizedUsage) -> JSONValue {
        .object([
            "id": .string(id), "object": .string("chat.completion.chunk"), "created": .int(created), "model": .string(model),
            "choices": .array([]), "usage": usage.openAIObject,
        ])
    }

    /// Text of an OpenAI message `content`: a string or an array of parts.
    static func text(of content: JSONValue?) -> String {
        switch content {
        case .string(let text): return text
        case .array(let parts):
            return parts.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined(separator: "\n")
        default: return ""
        }
    }
}
