import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// The router's metrics: requests, tokens and cost per model, experiment and
/// key; upstream latency; and the router's own overhead, as a histogram with
/// sub-millisecond buckets (the default buckets start at 5 ms).
final class RouterMetrics: Sendable {
    let overhead: DurationHistogram
    /// The handles of each label set, made once: making one goes through the
    /// metrics factory (label sanitising, a registry lock and lookup) for
    /// each of half a dozen series on every call otherwise.
    private let series = Mutex<[SeriesKey: Series]>([:])

    private struct SeriesKey: Hashable {
        var model: String
        var provider: String
        var status: Int
        var experiment: String
        var key: String
    }

    private struct Series: @unchecked Sendable {  // swift-metrics handles are thread-safe classes
        var requests: CoreMetrics.Counter
        var tokens: [String: CoreMetrics.Counter]
        var cost: CoreMetrics.FloatingPointCounter
        var latency: CoreMetrics.Timer
    }

    init(registry: PrometheusCollectorRegistry) {
        overhead = registry.makeDurationHistogram(
            name: "synth_llm_router_overhead_seconds",
            buckets: [.microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
                      .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(250)],
            help: "Time the router adds to a call, excluding upstream time")
    }

    func record(_ call: LLMCallRecordedView) {
        let handles = self.handles(SeriesKey(model: call.model, provider: call.provider, status: call.status,
                                             experiment: call.experiment ?? "", key: call.key ?? ""))
        handles.requests.increment()
        for (kind, tokens) in [("prompt", call.usage.promptTokens), ("completion", call.usage.completionTokens),
                               ("cached", call.usage.cachedTokens), ("reasoning", call.usage.reasoningTokens)] where tokens > 0 {
            handles.tokens[kind]!.increment(by: tokens)
        }
        if call.cost > 0 { handles.cost.increment(by: call.cost) }
        handles.latency.recordNanoseconds(call.latencyNanoseconds)
        overhead.record(call.overhead)
    }

    private func handles(_ key: SeriesKey) -> Series {
        if let known = series.withLock({ $0[key] }) { return known }
        let labels = [("model", key.model), ("provider", key.provider), ("experiment", key.experiment), ("key", key.key)]
        let made = Series(
            requests: CoreMetrics.Counter(label: "synth_llm_requests_total", dimensions: [("model", key.model), ("provider", key.provider), ("status", String(key.status))]),
            tokens: Dictionary(uniqueKeysWithValues: ["prompt", "completion", "cached", "reasoning"].map {
                ($0, CoreMetrics.Counter(label: "synth_llm_tokens_total", dimensions: labels + [("kind", $0)]))
            }),
            cost: CoreMetrics.FloatingPointCounter(label: "synth_llm_cost_dollars_total", dimensions: labels),
            latency: CoreMetrics.Timer(label: "synth_llm_latency_seconds", dimensions: [("model", key.model)]))
        // Label sets are bounded by the configured models, experiments and keys in use.
        return series.withLock { series in
            if let raced = series[key] { return raced }
            series[key] = made
            return made
        }
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
