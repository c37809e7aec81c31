/// The number of steps a competent agent needs (spec: `estimated_steps: Range<u32>`).
public struct StepRange: Codable, Sendable, Equatable {
    public var min: Int
    public var max: Int

    public init(min: Int, max: Int) {
        self.min = min
        self.max = max
    }
}
