import Foundation
import SynthCommon

/// Everything learnt about one call while it is served, turned into its
/// LLMCallRecorded at the end.
struct CallTrace: Sendable {
    let callID = UUID().uuidString.lowercased()
    let started = ContinuousClock.now
    var context: CallContext
    var request: JSONValue
    var stream: Bool
    var requestedModel: String
    var plan: RoutePlan?
    var deployment: ModelDeployment?
    var attempts: [JSONValue] = []
    var retries = 0
    var fallbacks = 0
    /// Time spent waiting on upstreams and on Retry-After: not the router's own overhead.
    var upstreamTime: Duration = .zero
    var firstTokenMS: Double?

    init(context: CallContext, request: JSONValue, stream: Bool, requestedModel: String) {
        self.context = context
        self.request = request
        self.stream = stream
        self.requestedModel = requestedModel
    }

    mutating func addAttempt(_ deployment: ModelDeployment, status: Int?, error: String?, elapsed: Duration) {
        attempts.append(.object([
            "model": .string(deployment.name), "provider": .string(deployment.provider.rawValue),
            "status": status.map(JSONValue.int) ?? .null, "error": error.map(JSONValue.string) ?? .null,
            "latency_ms": .number(elapsed.milliseconds),
        ]))
    }

    var elapsed: Duration { ContinuousClock.now - started }
    var overhead: Duration { max(.zero, elapsed - upstreamTime) }

    func record(status: Int, response: JSONValue?, usage: NormalizedUsage, cost: Double, error: String?) -> LLMCallRecorded {
        var call = LLMCallRecorded(
            callID: callID, taskID: context.taskID, trajectoryID: context.trajectoryID, experiment: context.experiment,
            model: deployment?.name ?? requestedModel, provider: deployment?.provider.rawValue ?? (requestedModel == RouterConfig.oracleName ? "oracle" : "none"),
            status: status, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, costDollars: cost,
            latencyMS: elapsed.milliseconds, request: request, response: response, error: error)
        call.requestedModel = requestedModel
        call.upstreamModel = deployment?.wireModel
        call.routingStrategy = plan?.strategy
        call.variant = plan?.variant
        call.stream = stream
        call.cachedTokens = usage.cachedTokens
        call.cacheCreationTokens = usage.cacheCreationTokens
        call.reasoningTokens = usage.reasoningTokens
        call.retries = retries
        call.fallbacks = fallbacks
        call.attempts = attempts.isEmpty ? nil : .array(attempts)
        call.overheadMS = overhead.milliseconds
        call.firstTokenMS = firstTokenMS
        call.apiKeyHash = context.apiKeyHash
        if let choice = response?["choices"]?.arrayValue?.first {
            call.finishReason = choice["finish_reason"]?.stringValue
            if let ids = choice["token_ids"]?.arrayValue { call.completionTokenIDs = ids.compactMap(\.intValue) }
            if let logprobs = choice["logprobs"], !logprobs.isNull { call.logprobs = logprobs }
        }
        if let ids = response?["prompt_token_ids"]?.arrayValue { call.promptTokenIDs = ids.compactMap(\.intValue) }
        return call
    }
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
