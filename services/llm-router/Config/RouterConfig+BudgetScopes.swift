extension RouterConfig {
    /// Budget scopes this call to `deployment` touches, with their limits.
    func budgetScopes(_ deployment: ModelDeployment, plan: RoutePlan, context: CallContext) -> [SpendLedger.Scope] {
        var scopes: [String: Double] = [:]
        for budget in budgets {
            let name: String?
            switch budget.scope {
            case "global": name = "global"
            case "model": name = "model:" + deployment.name
            case "experiment": name = context.experiment.map { "experiment:" + $0 }
            case "task": name = context.taskID.map { "task:" + $0 }
            case "route": name = plan.route.map { "route:" + $0.name }
            case "key": name = context.apiKeyHash.map { "key:" + $0 }
            default: name = nil
            }
            if let name { scopes[name] = min(scopes[name] ?? .infinity, budget.limitDollars) }
        }
        if let route = plan.route, let budget = route.budgetDollars {
            scopes["route:" + route.name] = min(scopes["route:" + route.name] ?? .infinity, budget)
        }
        return scopes.sorted { $0.key < $1.key }.map { SpendLedger.Scope(name: $0.key, limitDollars: $0.value) }
    }
}
