import SynthCommon

/// Scheduler configuration from the environment.
struct SchedulerSettings: Sendable {
    var weights: PriorityWeights
    /// Attempts, and the backoff of a task whose worker stopped heartbeating.
    /// Its delay is capped low (20 s by default) so a reaped task is ready
    /// again within lease time + 30 s.
    var reapPolicy: RetryPolicy
    var reapIntervalSeconds: Double
    /// How often queue gauges are refreshed and QueueDepthChanged considered.
    var metricsIntervalSeconds: Double
    /// How long category counts are cached for the under-representation weight.
    var categoryCacheSeconds: Double

    var maxAttempts: Int { reapPolicy.maxAttempts }

    static func load(_ environment: EnvironmentReader = EnvironmentReader()) throws -> SchedulerSettings {
        SchedulerSettings(
            weights: PriorityWeights(
                difficulty: try environment.double("SYNTH_PRIORITY_DIFFICULTY_WEIGHT", default: 1),
                category: try environment.double("SYNTH_PRIORITY_CATEGORY_WEIGHT", default: 2),
                age: try environment.double("SYNTH_PRIORITY_AGE_WEIGHT", default: 0.01)),
            reapPolicy: RetryPolicy(
                maxAttempts: try environment.int("SYNTH_MAX_ATTEMPTS", default: 3),
                baseDelaySeconds: try environment.double("SYNTH_RETRY_BASE_SECONDS", default: 2),
                maxDelaySeconds: try environment.double("SYNTH_REAP_BACKOFF_MAX_SECONDS", default: 20)),
            reapIntervalSeconds: try environment.double("SYNTH_REAP_INTERVAL_SECONDS", default: 1),
            metricsIntervalSeconds: try environment.double("SYNTH_QUEUE_METRICS_INTERVAL_SECONDS", default: 5),
            categoryCacheSeconds: try environment.double("SYNTH_CATEGORY_CACHE_SECONDS", default: 5))
    }
}
