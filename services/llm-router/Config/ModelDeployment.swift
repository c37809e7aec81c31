import Foundation

/// One upstream deployment of a model: where it is, how it is priced and
/// limited. Several deployments can be grouped behind one name by a route.
struct ModelDeployment: Codable, Sendable {
    enum Provider: String, Codable, Sendable {
        case openai, openrouter, anthropic, gemini, local, vllm, ollama
        case llamaCpp = "llama.cpp"

        /// Every provider but Anthropic and Gemini speaks OpenAI's wire format.
        var speaksOpenAI: Bool { self != .anthropic && self != .gemini }
    }

    var name: String
    var provider: Provider
    var baseURL: String
    /// Name of the environment variable holding the key; the key itself is never in the file nor logged.
    var apiKeyEnv: String?
    /// The upstream's own name for the model, when it differs.
    var upstreamModel: String?
    var inputPricePerMillion: Double = 0
    var outputPricePerMillion: Double = 0
    /// Price of prompt tokens read from the provider's cache; defaults to the input price.
    var cachedInputPricePerMillion: Double?
    /// Price of prompt tokens written to the cache (Anthropic); defaults to the input price.
    var cacheWritePricePerMillion: Double?
    var contextWindow: Int?
    /// Used when a request gives no max_tokens (Anthropic requires one) and to size budget reservations.
    var maxOutputTokens: Int?
    var capabilities: [String] = []
    var weight: Double = 1
    var rpm: Int?
    var tpm: Int?
    var timeoutSeconds: Double?
    /// Extra body fields sent upstream on every call (e.g. `{"return_token_ids": true}` for vLLM).
    var extraBody: [String: JSONValueBox]?

    enum CodingKeys: String, CodingKey {
        case name, provider, capabilities, weight, rpm, tpm
        case baseURL = "base_url", apiKeyEnv = "api_key_env", upstreamModel = "upstream_model"
        case inputPricePerMillion = "input_price_per_million", outputPricePerMillion = "output_price_per_million"
        case cachedInputPricePerMillion = "cached_input_price_per_million", cacheWritePricePerMillion = "cache_write_price_per_million"
        case contextWindow = "context_window", maxOutputTokens = "max_output_tokens", timeoutSeconds = "timeout_seconds"
        case extraBody = "extra_body"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        provider = try c.decode(Provider.self, forKey: .provider)
        baseURL = try c.decode(String.self, forKey: .baseURL)
        apiKeyEnv = try c.decodeIfPresent(String.self, forKey: .apiKeyEnv)
        upstreamModel = try c.decodeIfPresent(String.self, forKey: .upstreamModel)
        inputPricePerMillion = try c.decodeIfPresent(Double.self, forKey: .inputPricePerMillion) ?? 0
        outputPricePerMillion = try c.decodeIfPresent(Double.self, forKey: .outputPricePerMillion) ?? 0
        cachedInputPricePerMillion = try c.decodeIfPresent(Double.self, forKey: .cachedInputPricePerMillion)
        cacheWritePricePerMillion = try c.decodeIfPresent(Double.self, forKey: .cacheWritePricePerMillion)
        contextWindow = try c.decodeIfPresent(Int.self, forKey: .contextWindow)
        maxOutputTokens = try c.decodeIfPresent(Int.self, forKey: .maxOutputTokens)
        capabilities = try c.decodeIfPresent([String].self, forKey: .capabilities) ?? []
        weight = try c.decodeIfPresent(Double.self, forKey: .weight) ?? 1
        rpm = try c.decodeIfPresent(Int.self, forKey: .rpm)
        tpm = try c.decodeIfPresent(Int.self, forKey: .tpm)
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
        extraBody = try c.decodeIfPresent([String: JSONValueBox].self, forKey: .extraBody)
    }

    var wireModel: String { upstreamModel ?? name }

    var apiKey: String? {
        guard let apiKeyEnv, let key = ProcessInfo.processInfo.environment[apiKeyEnv], !key.isEmpty else { return nil }
        return key
    }

    /// Dollars for a call's normalised usage.
    func cost(_ usage: NormalizedUsage) -> Double {
        let uncached = max(0, usage.promptTokens - usage.cachedTokens - usage.cacheCreationTokens)
        let dollars = Double(uncached) * inputPricePerMillion
            + Double(usage.cachedTokens) * (cachedInputPricePerMillion ?? inputPricePerMillion)
            + Double(usage.cacheCreationTokens) * (cacheWritePricePerMillion ?? inputPricePerMillion)
            + Double(usage.completionTokens) * outputPricePerMillion
        return dollars / 1_000_000
    }

    /// Worst-case dollars for a call before it is made, to reserve against budgets.
    func maximumCost(promptTokens: Int, maxTokens: Int?) -> Double {
        let output = maxTokens ?? maxOutputTokens ?? min(4096, max(256, (contextWindow ?? 8192) - promptTokens))
        return (Double(promptTokens) * inputPricePerMillion + Double(output) * outputPricePerMillion) / 1_000_000
    }
}
