import Foundation
import Synchronization

/// Chooses deployments for a call by the route's strategy (spec
/// RoutingStrategy). Decisions are local and lock-free except the round
/// robin counter; the experimental split is a hash of the trajectory id, so
/// every replica sends one trajectory to the same arm without shared state.
final class RoutePlanner: Sendable {
    let config: RouterConfig
    let health: DeploymentHealth
    private let counters = Mutex<[String: Int]>([:])

    init(config: RouterConfig, health: DeploymentHealth) {
        self.config = config
        self.health = health
    }

    enum PlanError: Error {
        case unknownModel
        /// No deployment of the route can take the call (capability, context window).
        case noEligibleDeployment(String)
    }

    func plan(model: String, context: CallContext) throws -> RoutePlan {
        if let deployment = config.models[model] {
            return RoutePlan(requestedModel: model, route: nil, strategy: nil, variant: nil, candidates: [deployment], primaryCount: 1)
        }
        guard let route = config.routes[model] else { throw PlanError.unknownModel }
        var eligible = route.models.compactMap { config.models[$0] }.filter { fits($0, context) }
        var variant: String?
        switch route.strategy {
        case .roundRobin:
            if !eligible.isEmpty {
                let turn = counters.withLock { counters in
                    defer { counters[route.name, default: 0] &+= 1 }
                    return counters[route.name, default: 0]
                }
                let start = turn % eligible.count
                eligible = Array(eligible[start...] + eligible[..<start])
            }
        case .costOptimized:
            // Cheapest first for this call's size; the route's budget is enforced by the spend ledger.
            eligible.sort {
                $0.maximumCost(promptTokens: context.estimatedPromptTokens, maxTokens: context.maxTokens)
                    < $1.maximumCost(promptTokens: context.estimatedPromptTokens, maxTokens: context.maxTokens)
            }
        case .capabilityBased:
            let required = Set(route.taskTypes?[context.taskType ?? ""] ?? route.taskTypes?["default"] ?? [])
            eligible = eligible.filter { required.isSubset(of: Set($0.capabilities)) }
            guard !eligible.isEmpty else {
                throw PlanError.noEligibleDeployment("no model of route '\(route.name)' has the capabilities \(required.sorted()) "
                    + "needed for task type '\(context.taskType ?? "default")'")
            }
        case .loadBalanced:
            eligible = weightedOrder(eligible, weights: route.weights)
        case .experimental:
            let key = (route.experimentID ?? route.name) + "|" + (context.trajectoryID ?? context.taskID ?? UUID().uuidString)
            let armA = Double(Self.fnv1a(key) % 10_000) / 10_000 < (route.split ?? 0.5)
            variant = armA ? "A" : "B"
            let chosen = route.models[armA ? 0 : 1]
            eligible = config.models[chosen].map { [$0] } ?? []
        }
        guard !eligible.isEmpty else {
            throw PlanError.noEligibleDeployment("no model of route '\(route.name)' has a context window for about "
                + "\(context.estimatedPromptTokens) prompt tokens")
        }
        let fallbacks = (route.fallbacks ?? []).compactMap { config.models[$0] }.filter { fallback in !eligible.contains { $0.name == fallback.name } }
        // Deployments in cooldown go last, after the fallbacks: still tried if everything else fails.
        let ordered = eligible + fallbacks
        let candidates = ordered.filter { !health.isCoolingDown($0.name) } + ordered.filter { health.isCoolingDown($0.name) }
        return RoutePlan(requestedModel: model, route: route, strategy: route.strategy.rawValue, variant: variant,
                         candidates: candidates, primaryCount: eligible.count)
    }

    private func fits(_ deployment: ModelDeployment, _ context: CallContext) -> Bool {
        guard let window = deployment.contextWindow else { return true }
        return context.estimatedPromptTokens + (context.maxTokens ?? 0) <= window
    }

    /// A weighted random permutation (Efraimidis–Spirakis): the first is picked in proportion to its weight.
    private func weightedOrder(_ deployments: [ModelDeployment], weights: [String: Double]?) -> [ModelDeployment] {
        deployments.map { deployment -> (Double, ModelDeployment) in
            let weight = max(weights?[deployment.name] ?? deployment.weight, 1e-9)
            return (pow(Double.random(in: Double.ulpOfOne..<1), 1 / weight), deployment)
        }.sorted { $0.0 > $1.0 }.map(\.1)
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
