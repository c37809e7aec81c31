import Foundation
import Hummingbird
import Logging
import SynthCommon
import SynthHTTPClient

/// One chat completion: validate, choose deployments by the route's
/// strategy, reserve budget, call the upstream (retrying, cooling down and
/// failing over), translate the answer to OpenAI's shape, settle the budget
/// and record the call before the client sees the end of the answer.
struct ChatGateway: Sendable {
    let config: RouterConfig
    let planner: RoutePlanner
    let health: DeploymentHealth
    let ledger: SpendLedger
    let limiter: RateLimiter
    let http: HTTPClient
    let oracle: OracleModel
    let journal: RecordJournal
    let metrics: RouterMetrics
    let logger: Logger

    struct Tags: Sendable {
        var taskID: String?
        var trajectoryID: String?
        var experiment: String?
        var taskType: String?
        var apiKey: String?
    }

    enum Reply: Sendable {
        case complete(status: Int, body: [UInt8], headers: [String: String])
        case stream(headers: [String: String], body: ResponseBody)
    }

    func complete(body: [UInt8], tags: Tags) async -> Reply {
        let request: JSONValue
        do {
            request = try JSONValue(parsing: body)
        } catch {
            return Self.reply(.invalidRequest("the body is not valid JSON: \(Self.describe(error))", param: nil))
        }
        if let problem = RequestValidator.validate(request) { return Self.reply(problem) }
        let object = request.objectValue!
        let modelName = object["model"]!.stringValue!
        let stream = object["stream"] == .bool(true)
        let includeUsage = object["stream_options"]?["include_usage"] == .bool(true)
        let context = CallContext(
            taskID: tags.taskID, trajectoryID: tags.trajectoryID, experiment: tags.experiment, taskType: tags.taskType,
            apiKeyHash: tags.apiKey.map { String(RoutePlanner.fnv1a($0), radix: 16) },
            // A byte-based upper estimate (about 3 bytes a token): reservations must not undershoot.
            estimatedPromptTokens: (body.count + 2) / 3,
            maxTokens: object["max_completion_tokens"]?.intValue ?? object["max_tokens"]?.intValue)
        var trace = CallTrace(context: context, request: request, stream: stream, requestedModel: modelName)

        if modelName == RouterConfig.oracleName {
            return await answerWithOracle(object, bodyBytes: body.count, trace: trace, includeUsage: includeUsage)
        }
        let plan: RoutePlan
        do {
            plan = try planner.plan(model: modelName, context: context)
        } catch RoutePlanner.PlanError.noEligibleDeployment(let message) {
            return Self.reply(.invalidRequest(message, param: "model"))
        } catch {
            return Self.reply(.modelNotFound(modelName, known: config.names))
        }
        trace.plan = plan

        var lastFailure: AttemptFailure?
        for (index, deployment) in plan.candidates.enumerated() {
            if index > 0, lastFailure != nil { trace.fallbacks += 1 }
            trace.deployment = deployment
            let tokens = context.estimatedPromptTokens + (context.maxTokens ?? 0)
            do {
                if let full = try await limiter.admit(deployment, tokens: tokens) {
                    trace.addAttempt(deployment, status: 429, error: "router \(full)", elapsed: .zero)
                    lastFailure = AttemptFailure(status: 429, message: "'\(deployment.name)' is at its \(full) on this router", retryable: false,
                                                 failover: true, code: "rate_limit_exceeded", type: "rate_limit_error")
                    continue
                }
            } catch {
                // Rate limits protect a provider's quota; an unreachable Redis must not stop all traffic.
                logger.warning("rate_limit_check_failed", metadata: ["model": "\(deployment.name)", "error": "\(error)"])
            }

            let reservation: SpendLedger.Reservation?
            do {
                reservation = try await ledger.reserve(scopes: config.budgetScopes(deployment, plan: plan, context: context),
                                                       dollars: deployment.maximumCost(promptTokens: context.estimatedPromptTokens,
                                                                                       maxTokens: context.maxTokens))
            } catch SpendLedger.Denied.budgetExhausted(let scope, let limit) {
                let failure = OpenAIError.budgetExhausted("the budget of \(scope) ($\(limit)) does not cover this call to '\(deployment.name)'")
                if scope.hasPrefix("model:") {
                    lastFailure = AttemptFailure(status: 429, message: failure.message, retryable: false, failover: true,
                                                 code: "budget_exceeded", type: "insufficient_quota")
                    continue
                }
                return await fail(failure, trace: trace)
            } catch {
                return await fail(OpenAIError(status: 503, message: "the budget ledger is unavailable: \(error)", type: "server_error",
                                              param: nil, code: "budget_store_unavailable"), trace: trace)
            }

            var retry = 0
            while true {
                let failure: AttemptFailure
                if stream {
                    switch await openStream(object, deployment: deployment, trace: &trace) {
                    case .success(let opened):
                        health.recordSuccess(deployment.name)
                        return streamReply(opened, deployment: deployment, trace: trace, reservation: reservation, includeUsage: includeUsage)
                    case .failure(let error): failure = error
                    }
                } else {
                    switch await call(object, deployment: deployment, trace: &trace) {
                    case .success(let answer):
                        health.recordSuccess(deployment.name)
                        return await finish(answer, deployment: deployment, trace: trace, reservation: reservation)
                    case .failure(let error): failure = error
                    }
                }
                guard failure.failover else {
                    await ledger.settle(reservation, actualDollars: 0)
                    return await fail(failure.openAIError, trace: trace)
                }
                let wait = failure.retryAfter ?? config.resilience.retryBackoffSeconds * pow(2, Double(retry))
                if failure.retryable, retry < config.resilience.maxRetries, wait <= config.resilience.maxRetryAfterSeconds {
                    retry += 1
                    trace.retries += 1
                    let pause = Duration.milliseconds(Int64(wait * 1000))
                    try? await Task.sleep(for: pause)
                    trace.upstreamTime += pause
                    continue
                }
                if health.recordFailure(deployment.name) {
                    logger.warning("deployment_cooldown", metadata: ["model": "\(deployment.name)", "seconds": "\(config.resilience.cooldownSeconds)"])
                }
                await ledger.settle(reservation, actualDollars: 0)
                lastFailure = failure
                break
            }
        }
        var final = lastFailure?.openAIError ?? OpenAIError.upstream("no deployment of '\(modelName)' could take the call")
        if plan.candidates.count > 1 { final.message = "all \(plan.candidates.count) deployments of '\(modelName)' failed; last: " + final.message }
        return await fail(final, trace: trace)
    }

    /// A non-streamed answer: settle the budget and record the call, both before replying.
    private func finish(_ answer: UpstreamAnswer, deployment: ModelDeployment, trace: CallTrace,
                        reservation: SpendLedger.Reservation?) async -> Reply {
        let usage = NormalizedUsage(openAIUsage: answer.completion["usage"])
        let cost = deployment.cost(usage)
        let overhead = trace.overhead
        let call = trace.record(status: 200, response: answer.completion, usage: usage, cost: cost, error: nil)
        if reservation == nil {
            // No budget applies: no child task (a thread hand-off) for a settlement that does nothing.
            await record(call, usage: usage, cost: cost)
        } else {
            async let settled: Void = ledger.settle(reservation, actualDollars: cost)
            await record(call, usage: usage, cost: cost)
            await settled
        }
        return .complete(status: 200, body: answer.body, headers: headers(trace, overhead: overhead))
    }

    func fail(_ error: OpenAIError, trace: CallTrace) async -> Reply {
        await record(trace.record(status: error.status, response: error.json, usage: NormalizedUsage(), cost: 0, error: error.message),
                     usage: NormalizedUsage(), cost: 0)
        return .complete(status: error.status, body: error.body, headers: headers(trace, overhead: trace.overhead))
    }

    func record(_ call: LLMCallRecorded, usage: NormalizedUsage, cost: Double) async {
        metrics.record(LLMCallRecordedView(model: call.model, provider: call.provider, experiment: call.experiment, key: call.apiKeyHash,
                                           status: call.status, usage: usage, cost: cost,
                                           latencyNanoseconds: Int64(call.latencyMS * 1_000_000),
                                           overhead: .nanoseconds(Int64((call.overheadMS ?? 0) * 1_000_000))))
        journal.record(call)
    }

    func headers(_ trace: CallTrace, overhead: Duration) -> [String: String] {
        var headers = ["X-Synth-Call-ID": trace.callID, "X-Synth-Router-Overhead-Ms": Self.millisecondsText(overhead)]
        if let deployment = trace.deployment { headers["X-Synth-Model"] = deployment.name }
        if let variant = trace.plan?.variant { headers["X-Synth-Variant"] = variant }
        if trace.retries > 0 { headers["X-Synth-Retries"] = String(trace.retries) }
        if trace.fallbacks > 0 { headers["X-Synth-Fallbacks"] = String(trace.fallbacks) }
        return headers
    }

    /// "%.3f" of the milliseconds, without String(format:)'s Foundation formatter on every call.
    static func millisecondsText(_ duration: Duration) -> String {
        let microseconds = max(0, Int64((duration.milliseconds * 1000).rounded()))
        let fraction = microseconds % 1000
        return "\(microseconds / 1000)." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + "\(fraction)"
    }

    static func reply(_ error: OpenAIError) -> Reply { .complete(status: error.status, body: error.body, headers: [:]) }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DecodingError { return error.fieldError.message }
        return "\(error)"
    }
}
