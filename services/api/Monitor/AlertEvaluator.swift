import Foundation
import Logging
import Metrics
import Synchronization
import SynthCommon
import SynthHTTPClient
import SynthRedis

/// Checks the alert rules against each snapshot. A rule that starts or stops
/// firing emits AlertFired on synth.system and POSTs the same JSON to its
/// webhook. With several api replicas, a Redis key claimed with SET NX makes
/// exactly one of them announce each change.
final class AlertEvaluator: Sendable {
    let rules: [AlertRule]
    let defaultWebhook: String?
    private let redis: RedisClient
    private let publisher: EventPublisher
    private let http: HTTPClient
    private let logger: Logger
    private let current: Mutex<[String: AlertState]>

    init(rules: [AlertRule], defaultWebhook: String?, redis: RedisClient, publisher: EventPublisher, logger: Logger) throws {
        self.rules = rules
        self.defaultWebhook = defaultWebhook
        self.redis = redis
        self.publisher = publisher
        self.http = try HTTPClient()
        self.logger = logger
        self.current = Mutex(Dictionary(uniqueKeysWithValues: rules.map {
            ($0.name, AlertState(rule: $0.name, kind: $0.kind.rawValue, firing: false, threshold: $0.threshold))
        }))
    }

    func states() -> [AlertState] {
        current.withLock { states in rules.compactMap { states[$0.name] } }
    }

    func evaluate(_ snapshot: MonitorSnapshot, now: Date = Date()) async {
        for rule in rules {
            let breach = rule.breach(in: snapshot, now: now)
            let wasFiring = current.withLock { $0[rule.name]?.firing ?? false }
            current.withLock { states in
                states[rule.name] = AlertState(rule: rule.name, kind: rule.kind.rawValue, firing: breach != nil, value: breach?.value,
                                               threshold: rule.threshold, message: breach?.message,
                                               since: breach == nil ? nil : (wasFiring ? states[rule.name]?.since : now))
            }
            Gauge(label: "synth_alert_firing", dimensions: [("rule", rule.name)]).record(breach == nil ? 0 : 1)
            guard (breach != nil) != wasFiring else { continue }
            await announce(rule, firing: breach != nil, value: breach?.value ?? 0, message: breach?.message ?? "\(rule.name) resolved")
        }
    }

    private func announce(_ rule: AlertRule, firing: Bool, value: Double, message: String) async {
        let key = "synth:alert:\(rule.name)"
        do {
            // One announcement per change across replicas: the first to flip the key wins.
            let claimed: Bool
            if firing {
                claimed = try await redis.command("SET", key, "firing", "NX", "EX", "86400").isNull == false
            } else {
                claimed = try await redis.command("DEL", key).int == 1
            }
            guard claimed else { return }
            let event = AlertFired(rule: rule.name, kind: rule.kind.rawValue, state: firing ? "firing" : "resolved",
                                   value: value, threshold: rule.threshold, message: message)
            try await publisher.publish(event)
            logger.warning(firing ? "alert_firing" : "alert_resolved", metadata: ["rule": "\(rule.name)", "message": "\(message)"])
            if let url = rule.webhook ?? defaultWebhook {
                let response = try await http.execute(HTTPClientRequest(
                    method: .post, url: url, headers: ["Content-Type": "application/json"], body: try SynthJSON.encode(event),
                    timeout: .seconds(10)))
                if !response.isSuccess { logger.warning("alert_webhook_failed", metadata: ["status": "\(response.status)"]) }
            }
        } catch {
            logger.warning("alert_announce_failed", metadata: ["rule": "\(rule.name)", "error": "\(error)"])
        }
    }
}
