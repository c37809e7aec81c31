/// An alert rule of the Quality Monitor changed state (firing or resolved).
public struct AlertFired: SystemEventPayload {
    public static let eventType = "AlertFired"
    public static let topic = Topic.system
    public var rule: String
    public var kind: String
    /// "firing" or "resolved".
    public var state: String
    public var value: Double
    public var threshold: Double
    public var message: String
    public var partitionKey: String { rule }

    public init(rule: String, kind: String, state: String, value: Double, threshold: Double, message: String) {
        self.rule = rule
        self.kind = kind
        self.state = state
        self.value = value
        self.threshold = threshold
        self.message = message
    }
}
