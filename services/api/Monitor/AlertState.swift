import Foundation

/// A rule's current state, shown on the page.
struct AlertState: Encodable, Sendable, Equatable {
    var rule: String
    var kind: String
    var firing: Bool
    var value: Double?
    var threshold: Double
    var message: String?
    var since: Date?
}
