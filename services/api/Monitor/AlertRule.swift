import Foundation
import SynthCommon

/// One alert rule, from SYNTH_ALERT_RULES (a JSON array, or a file through
/// SYNTH_ALERT_RULES_FILE):
/// `[{"name": "spend", "kind": "cost_above", "threshold": 50, "webhook": "https://..."}]`.
struct AlertRule: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable, CaseIterable {
        /// Total LLM spend in dollars.
        case costAbove = "cost_above"
        /// Share of finished tasks that failed, errored or timed out (0...1).
        case failureRateAbove = "failure_rate_above"
        /// Seconds the oldest ready task has waited.
        case oldestQueuedAbove = "oldest_queued_above_seconds"
        /// Seconds since a worker that did not stop cleanly last reported.
        case workerSilentFor = "worker_silent_seconds"
    }

    var name: String
    var kind: Kind
    var threshold: Double
    /// Overrides SYNTH_ALERT_WEBHOOK_URL for this rule.
    var webhook: String?
    /// Failure rate is judged only over at least this many finished tasks.
    var minimumTasks: Int?

    enum CodingKeys: String, CodingKey { case name, kind, threshold, webhook, minimumTasks = "minimum_tasks" }

    static func load(_ environment: EnvironmentReader = EnvironmentReader()) throws -> [AlertRule] {
        guard let text = environment.optionalString("SYNTH_ALERT_RULES") else { return defaults }
        do {
            let rules = try SynthJSON.decode([AlertRule].self, from: Array(text.utf8))
            guard Set(rules.map(\.name)).count == rules.count else {
                throw ConfigurationError(name: "SYNTH_ALERT_RULES", message: "rule names must be unique")
            }
            return rules
        } catch let error as DecodingError {
            let field = error.fieldError
            throw ConfigurationError(name: "SYNTH_ALERT_RULES", message: "\(field.field): \(field.message)")
        }
    }

    /// Sensible rules for a platform nobody configured yet.
    static let defaults = [
        AlertRule(name: "failure-rate", kind: .failureRateAbove, threshold: 0.5, minimumTasks: 20),
        AlertRule(name: "queue-stalled", kind: .oldestQueuedAbove, threshold: 1_800),
        AlertRule(name: "worker-silent", kind: .workerSilentFor, threshold: 120),
    ]

    /// The measured value when the rule is breached, nil when it is not.
    func breach(in snapshot: MonitorSnapshot, now: Date) -> (value: Double, message: String)? {
        switch kind {
        case .costAbove:
            let cost = snapshot.stats.byModel.values.reduce(0) { $0 + ($1.costDollars ?? 0) }
            return cost > threshold ? (cost, String(format: "LLM spend is $%.2f (threshold $%.2f)", cost, threshold)) : nil
        case .failureRateAbove:
            let counts = snapshot.stats.byStatus
            let bad = ["failed", "error", "timeout"].reduce(0) { $0 + (counts[$1] ?? 0) }
            let finished = bad + ["succeeded", "partial"].reduce(0) { $0 + (counts[$1] ?? 0) }
            guard finished > 0, finished >= (minimumTasks ?? 10) else { return nil }
            let rate = Double(bad) / Double(finished)
            return rate > threshold ? (rate, String(format: "%.0f%% of %d finished tasks failed (threshold %.0f%%)", rate * 100, finished, threshold * 100)) : nil
        case .oldestQueuedAbove:
            let age = snapshot.stats.queue?.oldestWaitingSeconds ?? 0
            return age > threshold ? (age, String(format: "the oldest ready task has waited %.0fs (threshold %.0fs)", age, threshold)) : nil
        case .workerSilentFor:
            // A worker that stopped cleanly is not silent, just gone.
            let silent = snapshot.workers.filter { !["stopped", "shutdown"].contains($0.status) }
                .map { (id: $0.workerID, seconds: now.timeIntervalSince($0.lastSeen)) }
                .filter { $0.seconds > threshold }
            guard let worst = silent.max(by: { $0.seconds < $1.seconds }) else { return nil }
            return (worst.seconds, String(format: "worker %@ silent for %.0fs (threshold %.0fs)", worst.id, worst.seconds, threshold))
        }
    }
}
