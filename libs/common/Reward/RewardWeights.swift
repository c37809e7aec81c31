/// Weights of the reward signals (spec 2.5); a task may override them.
public struct RewardWeights: Codable, Sendable, Equatable {
    public var testPass: Double
    public var compilation: Double
    public var progress: Double
    public var efficiency: Double
    public var codeQuality: Double

    public static let standard = RewardWeights(testPass: 0.5, compilation: 0.1, progress: 0.2, efficiency: 0.1, codeQuality: 0.1)

    public init(testPass: Double, compilation: Double, progress: Double, efficiency: Double, codeQuality: Double) {
        self.testPass = testPass
        self.compilation = compilation
        self.progress = progress
        self.efficiency = efficiency
        self.codeQuality = codeQuality
    }

    enum CodingKeys: String, CodingKey {
        case testPass = "test_pass", compilation, progress, efficiency, codeQuality = "code_quality"
    }
}
