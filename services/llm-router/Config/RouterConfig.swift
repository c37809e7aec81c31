import Foundation
import SynthCommon

/// The router's configuration file (JSON), named by SYNTH_ROUTER_CONFIG. See docs/ROUTER.md.
struct RouterConfig: Sendable {
    struct Budget: Codable, Sendable {
        /// global, model, experiment, task, route or key; per-value scopes (e.g. experiment) apply to each value separately.
        var scope: String
        var limitDollars: Double
        enum CodingKeys: String, CodingKey { case scope, limitDollars = "limit_dollars" }
    }

    struct Resilience: Codable, Sendable {
        /// Retries on the same deployment for 429 / 5xx / timeouts before moving to the next.
        var maxRetries: Int = 1
        /// Longest Retry-After the router waits for; a longer one moves on to the next deployment.
        var maxRetryAfterSeconds: Double = 5
        var retryBackoffSeconds: Double = 0.1
        /// Consecutive failures that put a deployment in cooldown, and for how long.
        var allowedFailures: Int = 2
        var cooldownSeconds: Double = 30
        var timeoutSeconds: Double = 600

        enum CodingKeys: String, CodingKey {
            case maxRetries = "max_retries", maxRetryAfterSeconds = "max_retry_after_seconds"
            case retryBackoffSeconds = "retry_backoff_seconds", allowedFailures = "allowed_failures"
            case cooldownSeconds = "cooldown_seconds", timeoutSeconds = "timeout_seconds"
        }

        init() {}
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxRetries = try c.decodeIfPresent(Int.self, forKey: .maxRetries) ?? 1
            maxRetryAfterSeconds = try c.decodeIfPresent(Double.self, forKey: .maxRetryAfterSeconds) ?? 5
            retryBackoffSeconds = try c.decodeIfPresent(Double.self, forKey: .retryBackoffSeconds) ?? 0.1
            allowedFailures = try c.decodeIfPresent(Int.self, forKey: .allowedFailures) ?? 2
            cooldownSeconds = try c.decodeIfPresent(Double.self, forKey: .cooldownSeconds) ?? 30
            timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? 600
        }
    }

    struct File: Codable {
        var models: [ModelDeployment]?
        var routes: [RouteConfig]?
        var budgets: [Budget]?
        /// Fractions of each budget at which CostThresholdReached is sent.
        var costThresholds: [Double]?
        var resilience: Resilience?
        enum CodingKeys: String, CodingKey {
            case models, routes, budgets, resilience
            case costThresholds = "cost_thresholds"
        }
    }

    static let oracleName = "oracle"
    var models: [String: ModelDeployment] = [:]
    var routes: [String: RouteConfig] = [:]
    var budgets: [Budget] = []
    var costThresholds: [Double] = [0.5, 0.8, 1.0]
    var resilience = Resilience()

    static func load(_ environment: EnvironmentReader = EnvironmentReader()) throws -> RouterConfig {
        guard let path = environment.optionalString("SYNTH_ROUTER_CONFIG") else { return RouterConfig() }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch let error as DecodingError {
            throw RouterConfigError(message: "\(path): \(error.fieldError.field): \(error.fieldError.message)")
        }
        return try RouterConfig(file, path: path)
    }

    init() {}

    init(_ file: File, path: String) throws {
        func fail(_ message: String) -> RouterConfigError { RouterConfigError(message: "\(path): \(message)") }
        for (index, model) in (file.models ?? []).enumerated() {
            guard model.name != Self.oracleName else { throw fail("models[\(index)].name: 'oracle' is reserved") }
            guard models[model.name] == nil else { throw fail("models[\(index)].name: '\(model.name)' is defined twice") }
            guard URL(string: model.baseURL)?.scheme != nil else { throw fail("models[\(index)].base_url: not an absolute URL") }
            models[model.name] = model
        }
        for (index, route) in (file.routes ?? []).enumerated() {
            guard models[route.name] == nil, route.name != Self.oracleName, routes[route.name] == nil else {
                throw fail("routes[\(index)].name: '\(route.name)' is already a model or route")
            }
            guard !route.models.isEmpty else { throw fail("routes[\(index)].models: must not be empty") }
            for name in route.models + (route.fallbacks ?? []) where models[name] == nil && name != Self.oracleName {
                throw fail("routes[\(index)]: unknown model '\(name)'")
            }
            if route.strategy == .experimental {
                guard route.models.count == 2 else { throw fail("routes[\(index)].models: an experimental route needs exactly two models (A, B)") }
                guard let split = route.split, (0...1).contains(split) else { throw fail("routes[\(index)].split: required, between 0 and 1") }
            }
            routes[route.name] = route
        }
        budgets = file.budgets ?? []
        for (index, budget) in budgets.enumerated() where !["global", "model", "experiment", "task", "route", "key"].contains(budget.scope) {
            throw fail("budgets[\(index)].scope: '\(budget.scope)' is not one of global, model, experiment, task, route, key")
        }
        costThresholds = (file.costThresholds ?? costThresholds).sorted()
        resilience = file.resilience ?? Resilience()
    }

    var names: [String] { [Self.oracleName] + (Array(models.keys) + Array(routes.keys)).sorted() }
}

struct RouterConfigError: Error, CustomStringConvertible {
    var message: String
    var description: String { "SYNTH_ROUTER_CONFIG: \(message)" }
}
