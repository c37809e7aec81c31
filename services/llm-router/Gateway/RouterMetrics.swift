import Metrics
import Prometheus

/// The router's metrics: requests, tokens and cost per model, experiment and
/// key; upstream latency; and the router's own overhead, as a histogram with
/// sub-millisecond buckets (the default buckets start at 5 ms).
struct RouterMetrics: Sendable {
    let overhead: DurationHistogram

    init(registry: PrometheusCollectorRegistry) {
        overhead = registry.makeDurationHistogram(
            name: "synth_llm_router_overhead_seconds",
            buckets: [.microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
                      .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(250)],
            help: "Time the router adds to a call, excluding upstream time")
    }

    func record(_ call: LLMCallRecordedView) {
        let labels = [("model", call.model), ("provider", call.provider), ("experiment", call.experiment ?? ""), ("key", call.key ?? "")]
        Counter(label: "synth_llm_requests_total", dimensions: [("model", call.model), ("provider", call.provider), ("status", String(call.status))]).increment()
        for (kind, tokens) in [("prompt", call.usage.promptTokens), ("completion", call.usage.completionTokens),
                               ("cached", call.usage.cachedTokens), ("reasoning", call.usage.reasoningTokens)] where tokens > 0 {
            Counter(label: "synth_llm_tokens_total", dimensions: labels + [("kind", kind)]).increment(by: tokens)
        }
        if call.cost > 0 { FloatingPointCounter(label: "synth_llm_cost_dollars_total", dimensions: labels).increment(by: call.cost) }
        Timer(label: "synth_llm_latency_seconds", dimensions: [("model", call.model)]).recordNanoseconds(call.latencyNanoseconds)
        overhead.record(call.overhead)
    }
}

struct LLMCallRecordedView {
    var model: String
    var provider: String
    var experiment: String?
    var key: String?
    var status: Int
    var usage: NormalizedUsage
    var cost: Double
    var latencyNanoseconds: Int64
    var overhead: Duration
}
