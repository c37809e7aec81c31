/// Each signal's score in 0...1 and the weighted total, kept with the
/// trajectory so a trainer can re-weight without re-running anything.
public struct RewardBreakdown: Codable, Sendable, Equatable {
    public var testPass: Double
    public var compilation: Double?
    public var progress: Double
    public var efficiency: Double
    public var codeQuality: Double?
    public var total: Double

    enum CodingKeys: String, CodingKey {
        case testPass = "test_pass", compilation, progress, efficiency, codeQuality = "code_quality", total
    }
}
