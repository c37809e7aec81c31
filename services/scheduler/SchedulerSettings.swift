import SynthCommon

/// Scheduler configuration from the environment.
struct SchedulerSettings: Sendable {
    var weights: PriorityWeights
    var maxAttempts: Int
    var reapIntervalSeconds: Double

    static func load(_ environment: EnvironmentReader = EnvironmentReader()) throws -> SchedulerSettings {
        SchedulerSettings(
            weights: PriorityWeights(
                difficulty: try environment.double("SYNTH_PRIORITY_DIFFICULTY_WEIGHT", default: 1),
                category: try environment.double("SYNTH_PRIORITY_CATEGORY_WEIGHT", default: 2),
                age: try environment.double("SYNTH_PRIORITY_AGE_WEIGHT", default: 0.01)),
            maxAttempts: try environment.int("SYNTH_MAX_ATTEMPTS", default: 3),
            reapIntervalSeconds: try environment.double("SYNTH_REAP_INTERVAL_SECONDS", default: 1))
    }
}
