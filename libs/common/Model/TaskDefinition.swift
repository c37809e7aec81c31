import Foundation

/// A coding task (spec 3.1): what the agent is asked, where it runs, and how
/// the result is judged. This is the JSON body of `POST /api/v1/tasks` and the
/// payload of TaskSubmitted; optional fields take the defaults below.
public struct TaskDefinition: Codable, Sendable, Equatable {
    public var id: String
    public var version: String
    public var createdAt: Date
    public var instruction: String
    public var category: String
    public var difficulty: Difficulty
    public var dockerImage: String
    public var initialFiles: [String: String]
    public var environmentVars: [String: String]
    public var resourceLimits: ResourceLimits
    public var verificationTests: [TestSpec]
    public var expectedOutputs: [String]?
    public var timeoutSeconds: Int
    public var tags: [String]
    public var antiHardcoding: AntiHardcodingConfig
    public var estimatedSteps: StepRange
    /// Agent settings: which scaffold drives which model, for at most how many steps.
    public var scaffold: String
    public var llmModel: String
    public var maxSteps: Int
    /// The reference solution as tool calls: replayed by the oracle model to
    /// prove a task is solvable and its tests are right. Never shown to an agent.
    public var referenceSolution: [ToolCallSpec]?
    /// The submitter's own id for the task (for example an instance id).
    public var externalID: String?
    public var rewardWeights: RewardWeights?
    /// Run after the agent is done, before the tests: exit 0 earns the
    /// compilation reward (e.g. "python3 -m compileall -q ."). nil: unmeasured.
    public var compileCommand: String?
    /// A linter run on the agent's code before the tests are copied in: exit
    /// 0 earns the code-quality reward. nil: unmeasured.
    public var lintCommand: String?
    /// Per-command timeout of the agent's tool calls; nil: the executor's
    /// default (SYNTH_COMMAND_TIMEOUT_SECONDS). Never beyond timeout_seconds.
    public var commandTimeoutSeconds: Int?

    enum CodingKeys: String, CodingKey {
        case id, version, instruction, category, difficulty, tags, scaffold
        case createdAt = "created_at", dockerImage = "docker_image", initialFiles = "initial_files"
        case environmentVars = "environment_vars", resourceLimits = "resource_limits"
        case verificationTests = "verification_tests", expectedOutputs = "expected_outputs"
        case timeoutSeconds = "timeout_seconds", antiHardcoding = "anti_hardcoding", estimatedSteps = "estimated_steps"
        case llmModel = "llm_model", maxSteps = "max_steps", referenceSolution = "reference_solution"
        case externalID = "external_id", rewardWeights = "reward_weights"
        case compileCommand = "compile_command", lintCommand = "lint_command", commandTimeoutSeconds = "command_timeout_seconds"
    }

    public init(id: String = RandomUUID.string(), instruction: String, category: String, difficulty: Difficulty,
                dockerImage: String, initialFiles: [String: String] = [:], verificationTests: [TestSpec],
                timeoutSeconds: Int = 600, estimatedSteps: StepRange = StepRange(min: 1, max: 10),
                scaffold: String = "minimal", llmModel: String = "oracle", maxSteps: Int = 30,
                referenceSolution: [ToolCallSpec]? = nil) {
        self.id = id
        self.version = "1"
        self.createdAt = Date()
        self.instruction = instruction
        self.category = category
        self.difficulty = difficulty
        self.dockerImage = dockerImage
        self.initialFiles = initialFiles
        self.environmentVars = [:]
        self.resourceLimits = ResourceLimits()
        self.verificationTests = verificationTests
        self.expectedOutputs = nil
        self.timeoutSeconds = timeoutSeconds
        self.tags = []
        self.antiHardcoding = AntiHardcodingConfig()
        self.estimatedSteps = estimatedSteps
        self.scaffold = scaffold
        self.llmModel = llmModel
        self.maxSteps = maxSteps
        self.referenceSolution = referenceSolution
        self.externalID = nil
        self.rewardWeights = nil
        self.compileCommand = nil
        self.lintCommand = nil
        self.commandTimeoutSeconds = nil
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? RandomUUID.string()
        version = try c.decodeIfPresent(String.self, forKey: .version) ?? "1"
        createdAt = try c.decodeIfPresent(Date.self, forKey: .createdAt) ?? Date()
        instruction = try c.decode(String.self, forKey: .instruction)
        category = try c.decode(String.self, forKey: .category)
        difficulty = try c.decode(Difficulty.self, forKey: .difficulty)
        dockerImage = try c.decode(String.self, forKey: .dockerImage)
        initialFiles = try c.decodeIfPresent([String: String].self, forKey: .initialFiles) ?? [:]
        environmentVars = try c.decodeIfPresent([String: String].self, forKey: .environmentVars) ?? [:]
        resourceLimits = try c.decodeIfPresent(ResourceLimits.self, forKey: .resourceLimits) ?? ResourceLimits()
        verificationTests = try c.decode([TestSpec].self, forKey: .verificationTests)
        expectedOutputs = try c.decodeIfPresent([String].self, forKey: .expectedOutputs)
        timeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .timeoutSeconds) ?? 600
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        antiHardcoding = try c.decodeIfPresent(AntiHardcodingConfig.self, forKey: .antiHardcoding) ?? AntiHardcodingConfig()
        estimatedSteps = try c.decodeIfPresent(StepRange.self, forKey: .estimatedSteps) ?? StepRange(min: 1, max: 10)
        scaffold = try c.decodeIfPresent(String.self, forKey: .scaffold) ?? "minimal"
        llmModel = try c.decodeIfPresent(String.self, forKey: .llmModel) ?? "oracle"
        maxSteps = try c.decodeIfPresent(Int.self, forKey: .maxSteps) ?? 30
        referenceSolution = try c.decodeIfPresent([ToolCallSpec].self, forKey: .referenceSolution)
        externalID = try c.decodeIfPresent(String.self, forKey: .externalID)
        rewardWeights = try c.decodeIfPresent(RewardWeights.self, forKey: .rewardWeights)
        compileCommand = try c.decodeIfPresent(String.self, forKey: .compileCommand)
        lintCommand = try c.decodeIfPresent(String.self, forKey: .lintCommand)
        commandTimeoutSeconds = try c.decodeIfPresent(Int.self, forKey: .commandTimeoutSeconds)
    }
}
