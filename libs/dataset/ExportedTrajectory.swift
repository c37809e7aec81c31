import SynthCommon

/// One dataset row, decoded from the stored trajectory (`init(row:)`) once, then appended to
/// `TrajectoryColumns`: the fields of `TrajectoryTable.schema` as plain Swift values.
public struct ExportedTrajectory: Sendable {
    /// One element of the `steps` column.
    public struct Step: Sendable {
        public var stepNumber: Int32
        public var actionType: String
        public var toolName: String?
        public var reward: Double
        public var done: Bool
        public var exitCode: Int32?
        public var callID: String?
        public var promptTokens: Int32?
        public var completionTokens: Int32?
        public var costDollars: Double?
        /// nil when the model call returned none (most providers), not an empty list.
        public var promptTokenIDs: [Int64]?
        public var completionTokenIDs: [Int64]?
        public var completionLogprobs: [Double]?
    }

    public var trajectoryID: String
    public var taskID: String
    public var instanceID: String?
    public var category: String
    public var difficulty: String
    public var model: String
    public var scaffold: String
    public var seed: Int64
    public var totalSteps: Int32
    public var totalTokens: Int64
    public var totalReward: Double
    public var verificationPassed: Bool
    public var resolved: Bool
    public var finalResultType: String
    public var finalResultJSON: String
    public var rewardBreakdown: String?
    public var executionTimeSeconds: Double
    public var completedAtMillis: Int64
    public var qualityScore: Double?
    public var diversityScore: Double?
    public var totalCostDollars: Double?
    public var finalPatch: String?
    /// The prompt, then every step's messages: the `messages` column.
    public var messages: [ChatMessage]
    public var steps: [Step]
    /// The stored transitions, as JSON text.
    public var transitionsJSON: String

    /// A rough size of the row's text, to bound shard sizes before compression.
    public var byteEstimate: Int {
        transitionsJSON.utf8.count * 2 + (finalPatch?.utf8.count ?? 0) + 512
    }
}
