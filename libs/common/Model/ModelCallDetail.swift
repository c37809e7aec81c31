/// The reinforcement-learning fields of one model call (a row of table llm_calls), as the
/// exporter reads them next to a trajectory's steps: token counts, cost, token ids and the
/// completion tokens' logprobs.
public struct ModelCallDetail: Sendable, Equatable, Decodable {
    public var callID: String
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var costDollars: Double?
    public var promptTokenIDs: [Int64]?
    public var completionTokenIDs: [Int64]?
    /// Each completion token's logprob, from OpenAI's `{"content": [{"token": ..., "logprob": ...}, ...]}`:
    /// nil when the call has no logprobs or `content` is not an array; entries without a numeric
    /// `logprob` are left out. Only this list is kept (the alternatives in `top_logprobs` are not
    /// a column of the dataset).
    public var completionLogprobs: [Double]?

    public init(callID: String, promptTokens: Int? = nil, completionTokens: Int? = nil, costDollars: Double? = nil,
                promptTokenIDs: [Int64]? = nil, completionTokenIDs: [Int64]? = nil, completionLogprobs: [Double]? = nil) {
        self.callID = callID
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costDollars = costDollars
        self.promptTokenIDs = promptTokenIDs
        self.completionTokenIDs = completionTokenIDs
        self.completionLogprobs = completionLogprobs
    }

    enum CodingKeys: String, CodingKey {
        case callID = "call_id", promptTokens = "prompt_tokens", completionTokens = "completion_tokens",
             costDollars = "cost_dollars", promptTokenIDs = "prompt_token_ids",
             completionTokenIDs = "completion_token_ids", logprobs
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        callID = try container.decode(String.self, forKey: .callID)
        promptTokens = try container.decodeIfPresent(Int.self, forKey: .promptTokens)
        completionTokens = try container.decodeIfPresent(Int.self, forKey: .completionTokens)
        costDollars = try container.decodeIfPresent(Double.self, forKey: .costDollars)
        promptTokenIDs = try container.decodeIfPresent([Int64].self, forKey: .promptTokenIDs)
        completionTokenIDs = try container.decodeIfPresent([Int64].self, forKey: .completionTokenIDs)
        completionLogprobs = try container.decodeIfPresent(JSONValue.self, forKey: .logprobs).flatMap(Self.logprobs(of:))
    }

    /// The `logprob` of each entry of `content`, as `completionLogprobs` describes.
    static func logprobs(of value: JSONValue) -> [Double]? {
        guard case .array(let entries)? = value["content"] else { return nil }
        return entries.compactMap { entry in
            if case .number(let logprob)? = entry["logprob"] { return logprob }
            return nil
        }
    }
}
