/// A name callers use as `model` that stands for several deployments and a
/// strategy to choose among them (spec RoutingStrategy), plus a fallback chain.
struct RouteConfig: Codable, Sendable {
    enum Strategy: String, Codable, Sendable {
        case roundRobin = "round_robin"
        case costOptimized = "cost_optimized"
        case capabilityBased = "capability_based"
        case loadBalanced = "load_balanced"
        case experimental
    }

    var name: String
    var strategy: Strategy
    /// Deployments the strategy chooses among (by model name).
    var models: [String]
    /// Tried in order once every chosen deployment failed.
    var fallbacks: [String]?
    /// CostOptimized: dollars this route may spend in total (shared by replicas through Redis).
    var budgetDollars: Double?
    /// CapabilityBased: task type (X-Synth-Task-Type header) → capabilities a deployment must have.
    var taskTypes: [String: [String]]?
    /// LoadBalanced: weight per model name (defaults to each deployment's `weight`).
    var weights: [String: Double]?
    /// Experimental: the experiment id and the share of trajectories that get models[0] (arm A); the rest get models[1].
    var experimentID: String?
    var split: Double?

    enum CodingKeys: String, CodingKey {
        case name, strategy, models, fallbacks, weights, split
        case budgetDollars = "budget_dollars", taskTypes = "task_types", experimentID = "experiment_id"
    }
}
