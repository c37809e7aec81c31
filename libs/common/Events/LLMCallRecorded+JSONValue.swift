/// A payload that can build its own JSON tree. EventPublisher then writes the
/// envelope with `JSONValue.serializedBytes` instead of JSONEncoder: the same
/// bytes (sorted keys, nil optionals left out) for a fraction of the CPU. The
/// router encodes one LLMCallRecorded per call on the request path, where the
/// Codable encoding was half of its CPU per call.
public protocol JSONValueEncodable {
    /// Must equal what the type's Encodable conformance writes (tests check it).
    var jsonValue: JSONValue { get }
}

extension EventEnvelope {
    /// The same bytes as `SynthJSON.encode(self)` when the payload builds its
    /// own tree, else nil.
    public var serializedBytes: [UInt8]? {
        guard let tree = (payload as? any JSONValueEncodable)?.jsonValue else { return nil }
        let value: JSONValue = .object([
            "event_id": .string(eventID), "type": .string(type), "schema_version": .number(Double(schemaVersion)),
            "occurred_at": .string(SynthJSON.formatTimestamp(occurredAt)), "source": .string(source), "payload": tree,
        ])
        return value.serializedBytes
    }
}

extension LLMCallRecorded: JSONValueEncodable {
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "call_id": .string(callID), "model": .string(model), "provider": .string(provider),
            "status": .number(Double(status)), "prompt_tokens": .number(Double(promptTokens)),
            "completion_tokens": .number(Double(completionTokens)), "cost_dollars": .number(costDollars),
            "latency_ms": .number(latencyMS), "request": request,
        ]
        func put(_ key: String, _ value: JSONValue?) { if let value { object[key] = value } }
        put("task_id", taskID.map(JSONValue.string))
        put("trajectory_id", trajectoryID.map(JSONValue.string))
        put("experiment", experiment.map(JSONValue.string))
        put("response", response)
        put("error", error.map(JSONValue.string))
        put("requested_model", requestedModel.map(JSONValue.string))
        put("upstream_model", upstreamModel.map(JSONValue.string))
        put("routing_strategy", routingStrategy.map(JSONValue.string))
        put("variant", variant.map(JSONValue.string))
        put("stream", stream.map(JSONValue.bool))
        put("cached_tokens", cachedTokens.map { .number(Double($0)) })
        put("cache_creation_tokens", cacheCreationTokens.map { .number(Double($0)) })
        put("reasoning_tokens", reasoningTokens.map { .number(Double($0)) })
        put("finish_reason", finishReason.map(JSONValue.string))
        put("retries", retries.map { .number(Double($0)) })
        put("fallbacks", fallbacks.map { .number(Double($0)) })
        put("attempts", attempts)
        put("prompt_token_ids", promptTokenIDs.map { .array($0.map { .number(Double($0)) }) })
        put("completion_token_ids", completionTokenIDs.map { .array($0.map { .number(Double($0)) }) })
        put("logprobs", logprobs)
        put("overhead_ms", overheadMS.map(JSONValue.number))
        put("first_token_ms", firstTokenMS.map(JSONValue.number))
        put("api_key_hash", apiKeyHash.map(JSONValue.string))
        return .object(object)
    }
}
