/// What the planner chose for one call: deployments to try, in order.
struct RoutePlan: Sendable {
    var requestedModel: String
    var route: RouteConfig?
    var strategy: String?
    /// Experiment arm ("A" / "B") for experimental routes.
    var variant: String?
    var candidates: [ModelDeployment]
    /// How many of `candidates` the strategy chose; the rest are the fallback chain.
    var primaryCount: Int
}

/// What the planner knows about a call when it chooses.
struct CallContext: Sendable {
    var taskID: String?
    var trajectoryID: String?
    var experiment: String?
    var taskType: String?
    var apiKeyHash: String?
    var estimatedPromptTokens: Int
    var maxTokens: Int?
}
