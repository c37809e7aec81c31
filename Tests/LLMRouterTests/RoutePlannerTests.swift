import Testing
@testable import synth_llm_router

@Suite struct RoutePlannerTests {
    /// Three deployments with distinct prices, windows and capabilities, and one route per strategy.
    static let configJSON = """
        {"models": [
           {"name": "cheap", "provider": "openai", "base_url": "http://a/v1", "input_price_per_million": 0.1,
            "output_price_per_million": 0.4, "context_window": 8000, "capabilities": ["code"], "weight": 1},
           {"name": "mid", "provider": "gemini", "base_url": "http://b", "input_price_per_million": 1,
            "output_price_per_million": 4, "context_window": 1000000, "capabilities": ["code", "long_context"]},
           {"name": "dear", "provider": "anthropic", "base_url": "http://c", "input_price_per_million": 3,
            "output_price_per_million": 15, "context_window": 200000, "capabilities": ["code", "tools"], "weight": 3}],
         "routes": [
           {"name": "rr", "strategy": "round_robin", "models": ["cheap", "mid", "dear"]},
           {"name": "rr-fb", "strategy": "round_robin", "models": ["cheap", "mid"], "fallbacks": ["mid", "dear"]},
           {"name": "save", "strategy": "cost_optimized", "models": ["dear", "mid", "cheap"], "budget_dollars": 5},
           {"name": "by-task", "strategy": "capability_based", "models": ["cheap", "mid", "dear"],
            "task_types": {"repo-wide": ["long_context"], "agent": ["tools", "code"], "vision": ["images"], "default": ["code"]}},
           {"name": "spread", "strategy": "load_balanced", "models": ["cheap", "dear"], "weights": {"cheap": 3, "dear": 1}},
           {"name": "spread-own", "strategy": "load_balanced", "models": ["cheap", "dear"]},
           {"name": "ab", "strategy": "experimental", "models": ["cheap", "dear"], "experiment_id": "exp-7", "split": 0.3},
           {"name": "all-a", "strategy": "experimental", "models": ["cheap", "dear"], "experiment_id": "exp-8", "split": 1},
           {"name": "all-b", "strategy": "experimental", "models": ["cheap", "dear"], "experiment_id": "exp-9", "split": 0}],
         "budgets": [{"scope": "global", "limit_dollars": 500}, {"scope": "route", "limit_dollars": 2},
                     {"scope": "task", "limit_dollars": 1}, {"scope": "model", "limit_dollars": 50}]}
        """

    let config: RouterConfig
    init() throws { config = try RouterFixtures.config(Self.configJSON) }

    func planner(_ health: DeploymentHealth = DeploymentHealth(allowedFailures: 1, cooldownSeconds: 3600)) -> RoutePlanner {
        RoutePlanner(config: config, health: health)
    }

    func names(_ plan: RoutePlan) -> [String] { plan.candidates.map(\.name) }

    @Test func aModelNameIsItsOnlyCandidate() throws {
        let plan = try planner().plan(model: "mid", context: RouterFixtures.context())
        #expect(names(plan) == ["mid"])
        #expect(plan.route == nil)
        #expect(plan.strategy == nil)
    }

    @Test func anUnknownNameIsRejected() {
        #expect(throws: RoutePlanner.PlanError.self) { try planner().plan(model: "gpt-9", context: RouterFixtures.context()) }
    }

    @Test func roundRobinRotatesTheFirstCandidate() throws {
        let planner = planner()
        let firsts = try (0..<6).map { _ in try planner.plan(model: "rr", context: RouterFixtures.context()).candidates[0].name }
        #expect(firsts == ["cheap", "mid", "dear", "cheap", "mid", "dear"])
        // Every candidate stays in the list, rotated, so the others are failover targets.
        #expect(names(try planner.plan(model: "rr", context: RouterFixtures.context())) == ["cheap", "mid", "dear"])
        #expect(names(try planner.plan(model: "rr", context: RouterFixtures.context())) == ["mid", "dear", "cheap"])
    }

    @Test func fallbacksFollowTheChosenOnesWithoutRepeats() throws {
        let plan = try planner().plan(model: "rr-fb", context: RouterFixtures.context())
        #expect(names(plan) == ["cheap", "mid", "dear"])
        #expect(plan.primaryCount == 2)
        #expect(plan.strategy == "round_robin")
    }

    @Test func costOptimizedPutsTheCheapestFirstAndSkipsSmallWindows() throws {
        let small = try planner().plan(model: "save", context: RouterFixtures.context(prompt: 1000, maxTokens: 500))
        #expect(names(small) == ["cheap", "mid", "dear"])
        // 9,000 tokens do not fit cheap's 8,000 window: it is not even a candidate.
        let large = try planner().plan(model: "save", context: RouterFixtures.context(prompt: 8500, maxTokens: 500))
        #expect(names(large) == ["mid", "dear"])
        // Nothing holds 2M tokens.
        #expect(throws: RoutePlanner.PlanError.self) {
            try planner().plan(model: "save", context: RouterFixtures.context(prompt: 2_000_000))
        }
    }

    @Test func costOptimizedBudgetIsARouteScopeCappedByTheTighterLimit() throws {
        let context = CallContext(taskID: "t-1", trajectoryID: nil, experiment: nil, taskType: nil, apiKeyHash: nil,
                                  estimatedPromptTokens: 10, maxTokens: 10)
        let plan = try planner().plan(model: "save", context: context)
        let scopes = config.budgetScopes(plan.candidates[0], plan: plan, context: context)
        #expect(scopes.map(\.name) == ["global", "model:cheap", "route:save", "task:t-1"])
        // The route's own budget_dollars (5) and the per-route budget (2): the lower one holds.
        #expect(scopes.first { $0.name == "route:save" }?.limitDollars == 2)
        #expect(scopes.first { $0.name == "global" }?.limitDollars == 500)
    }

    @Test func budgetScopesWithoutARouteOrTaskLeaveThoseOut() throws {
        let context = RouterFixtures.context()
        let plan = try planner().plan(model: "dear", context: context)
        #expect(config.budgetScopes(plan.candidates[0], plan: plan, context: context).map(\.name) == ["global", "model:dear"])
    }

    @Test func capabilityBasedKeepsOnlyDeploymentsWithEveryCapability() throws {
        let planner = planner()
        #expect(names(try planner.plan(model: "by-task", context: RouterFixtures.context(taskType: "repo-wide"))) == ["mid"])
        #expect(names(try planner.plan(model: "by-task", context: RouterFixtures.context(taskType: "agent"))) == ["dear"])
        // No header: the "default" entry; an unlisted task type falls back to it as well.
        #expect(names(try planner.plan(model: "by-task", context: RouterFixtures.context())) == ["cheap", "mid", "dear"])
        #expect(names(try planner.plan(model: "by-task", context: RouterFixtures.context(taskType: "other"))) == ["cheap", "mid", "dear"])
        #expect {
            try planner.plan(model: "by-task", context: RouterFixtures.context(taskType: "vision"))
        } throws: { error in
            guard case RoutePlanner.PlanError.noEligibleDeployment(let message) = error else { return false }
            return message.contains("images") && message.contains("vision")
        }
    }

    @Test func loadBalancedFollowsTheRouteWeights() throws {
        let planner = planner()
        let runs = 4000
        var cheapFirst = 0
        for _ in 0..<runs {
            let plan = try planner.plan(model: "spread", context: RouterFixtures.context())
            #expect(Set(names(plan)) == ["cheap", "dear"])
            if plan.candidates[0].name == "cheap" { cheapFirst += 1 }
        }
        // Expected share 3 / (3 + 1) = 0.75; the standard deviation over 4,000 draws is 0.007.
        let share = Double(cheapFirst) / Double(runs)
        #expect(share > 0.70 && share < 0.80, "cheap first in \(share) of plans")
    }

    @Test func loadBalancedDefaultsToEachDeploymentsWeight() throws {
        let planner = planner()
        let runs = 4000
        var dearFirst = 0
        for _ in 0..<runs where try planner.plan(model: "spread-own", context: RouterFixtures.context()).candidates[0].name == "dear" {
            dearFirst += 1
        }
        let share = Double(dearFirst) / Double(runs)
        #expect(share > 0.70 && share < 0.80, "dear (weight 3) first in \(share) of plans")
    }

    @Test func experimentalArmIsStickyPerTrajectoryAcrossReplicas() throws {
        // Two planners stand for two router replicas: no shared state, same answer.
        let first = planner(), second = planner()
        var armA = 0
        for index in 0..<1000 {
            let context = RouterFixtures.context(trajectory: "trajectory-\(index)")
            let plan = try first.plan(model: "ab", context: context)
            let again = try first.plan(model: "ab", context: context)
            let elsewhere = try second.plan(model: "ab", context: context)
            #expect(plan.variant == again.variant && plan.variant == elsewhere.variant)
            #expect(names(plan) == [plan.variant == "A" ? "cheap" : "dear"])
            if plan.variant == "A" { armA += 1 }
        }
        // split 0.3: about 300 of 1,000 trajectories in arm A.
        #expect(armA > 240 && armA < 360, "\(armA) of 1000 in arm A")
    }

    @Test func experimentalSplitsOfZeroAndOne() throws {
        let planner = planner()
        for index in 0..<200 {
            let context = RouterFixtures.context(trajectory: "t\(index)")
            #expect(try planner.plan(model: "all-a", context: context).variant == "A")
            #expect(names(try planner.plan(model: "all-b", context: context)) == ["dear"])
        }
    }

    @Test func deploymentsInCooldownGoLast() throws {
        let health = DeploymentHealth(allowedFailures: 1, cooldownSeconds: 3600)
        let planner = planner(health)
        health.recordFailure("cheap")
        let plan = try planner.plan(model: "save", context: RouterFixtures.context())
        #expect(names(plan) == ["mid", "dear", "cheap"])
        health.recordSuccess("cheap")
        #expect(names(try planner.plan(model: "save", context: RouterFixtures.context())) == ["cheap", "mid", "dear"])
    }

    @Test func invalidRoutesAreRejectedWhenTheConfigLoads() throws {
        func load(_ routes: String) throws -> RouterConfig {
            try RouterFixtures.config(#"{"models": [{"name": "a", "provider": "openai", "base_url": "http://a"},"#
                + #"{"name": "b", "provider": "openai", "base_url": "http://b"}], "routes": "# + routes + "}")
        }
        #expect(throws: RouterConfigError.self) { try load(#"[{"name": "r", "strategy": "round_robin", "models": ["a", "zz"]}]"#) }
        #expect(throws: RouterConfigError.self) { try load(#"[{"name": "r", "strategy": "experimental", "models": ["a"], "split": 0.5}]"#) }
        #expect(throws: RouterConfigError.self) {
            try load(#"[{"name": "r", "strategy": "experimental", "models": ["a", "b"], "split": 1.5}]"#)
        }
        #expect(throws: RouterConfigError.self) { try load(#"[{"name": "a", "strategy": "round_robin", "models": ["b"]}]"#) }
        #expect(try load(#"[{"name": "r", "strategy": "round_robin", "models": ["a", "b"]}]"#).routes["r"] != nil)
    }
}
