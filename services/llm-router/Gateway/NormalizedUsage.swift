import SynthCommon

/// Token usage in one shape whatever the provider: the one place usage is
/// read. Every adapter first translates its provider's usage into OpenAI's
/// `usage` object (with `prompt_tokens_details.cached_tokens`,
/// `completion_tokens_details.reasoning_tokens` and, for Anthropic,
/// `cache_creation_input_tokens`), and this reads that.
struct NormalizedUsage: Sendable, Equatable {
    var promptTokens = 0
    var completionTokens = 0
    /// Prompt tokens read from the provider's cache (included in promptTokens).
    var cachedTokens = 0
    /// Prompt tokens written to the cache (Anthropic; included in promptTokens).
    var cacheCreationTokens = 0
    /// Hidden reasoning tokens (included in completionTokens).
    var reasoningTokens = 0

    init() {}

    init(openAIUsage usage: JSONValue?) {
        guard let usage, case .object = usage else { return }
        promptTokens = usage["prompt_tokens"]?.intValue ?? 0
        completionTokens = usage["completion_tokens"]?.intValue ?? 0
        cachedTokens = usage["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? 0
        cacheCreationTokens = usage["cache_creation_input_tokens"]?.intValue ?? 0
        reasoningTokens = usage["completion_tokens_details"]?["reasoning_tokens"]?.intValue ?? 0
    }

    var totalTokens: Int { promptTokens + completionTokens }

    /// OpenAI's usage object for these counts.
    var openAIObject: JSONValue {
        var object: [String: JSONValue] = [
            "prompt_tokens": .number(Double(promptTokens)), "completion_tokens": .number(Double(completionTokens)),
            "total_tokens": .number(Double(totalTokens)),
            "prompt_tokens_details": .object(["cached_tokens": .number(Double(cachedTokens))]),
            "completion_tokens_details": .object(["reasoning_tokens": .number(Double(reasoningTokens))]),
        ]
        if cacheCreationTokens > 0 { object["cache_creation_input_tokens"] = .number(Double(cacheCreationTokens)) }
        return .object(object)
    }
}

extension JSONValue {
    var arrayValue: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    var objectValue: [String: JSONValue]? {
        if case .object(let values) = self { return values }
        return nil
    }

    var intValue: Int? {
        if case .number(let value) = self, value.isFinite, abs(value) < 9e15 { return Int(value) }
        return nil
    }

    var doubleValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    var isNull: Bool { self == .null }

    static func int(_ value: Int) -> JSONValue { .number(Double(value)) }
}
