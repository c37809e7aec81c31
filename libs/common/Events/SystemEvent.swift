import Foundation

/// An event payload, with the topic it goes to, its type name and its key
/// (task events by task id, step and llm-call events by trajectory id, so one
/// trajectory's events stay ordered in one partition).
public protocol SystemEventPayload: Codable, Sendable {
    static var eventType: String { get }
    static var topic: Topic { get }
    var partitionKey: String { get }
}

public struct TaskSubmitted: SystemEventPayload {
    public static let eventType = "TaskSubmitted"
    public static let topic = Topic.tasks
    public var task: TaskDefinition
    public var partitionKey: String { task.id }
    public init(task: TaskDefinition) { self.task = task }
}

public struct TaskCancelled: SystemEventPayload {
    public static let eventType = "TaskCancelled"
    public static let topic = Topic.tasks
    public var taskID: String
    public var partitionKey: String { taskID }
    public init(taskID: String) { self.taskID = taskID }
    enum CodingKeys: String, CodingKey { case taskID = "task_id" }
}

public struct TaskQueued: SystemEventPayload {
    public static let eventType = "TaskQueued"
    public static let topic = Topic.tasks
    public var taskID: String
    public var priority: Double
    public var partitionKey: String { taskID }
    public init(taskID: String, priority: Double) {
        self.taskID = taskID
        self.priority = priority
    }
    enum CodingKeys: String, CodingKey { case taskID = "task_id", priority }
}

public struct TaskAssigned: SystemEventPayload {
    public static let eventType = "TaskAssigned"
    public static let topic = Topic.tasks
    public var taskID: String
    public var workerID: String
    public var attempt: Int
    public var partitionKey: String { taskID }
    public init(taskID: String, workerID: String, attempt: Int) {
        self.taskID = taskID
        self.workerID = workerID
        self.attempt = attempt
    }
    enum CodingKeys: String, CodingKey { case taskID = "task_id", workerID = "worker_id", attempt }
}

public struct TaskStarted: SystemEventPayload {
    public static let eventType = "TaskStarted"
    public static let topic = Topic.tasks
    public var taskID: String
    public var trajectoryID: String
    public var workerID: String
    public var attempt: Int
    public var llmModel: String
    public var scaffold: String
    public var seed: UInt64
    /// The conversation before the first step: system prompt, instruction, tools.
    public var promptMessages: [ChatMessage]
    public var tools: JSONValue
    public var partitionKey: String { taskID }

    public init(taskID: String, trajectoryID: String, workerID: String, attempt: Int, llmModel: String, scaffold: String,
                seed: UInt64, promptMessages: [ChatMessage], tools: JSONValue) {
        self.taskID = taskID
        self.trajectoryID = trajectoryID
        self.workerID = workerID
        self.attempt = attempt
        self.llmModel = llmModel
        self.scaffold = scaffold
        self.seed = seed
        self.promptMessages = promptMessages
        self.tools = tools
    }

    enum CodingKeys: String, CodingKey {
        case attempt, scaffold, seed, tools
        case taskID = "task_id", trajectoryID = "trajectory_id", workerID = "worker_id"
        case llmModel = "llm_model", promptMessages = "prompt_messages"
    }
}

public struct StepExecuted: SystemEventPayload, Equatable {
    public static let eventType = "StepExecuted"
    public static let topic = Topic.steps
    public var taskID: String
    public var trajectoryID: String
    public var transition: Transition
    public var partitionKey: String { trajectoryID }

    public init(taskID: String, trajectoryID: String, transition: Transition) {
        self.taskID = taskID
        self.trajectoryID = trajectoryID
        self.transition = transition
    }

    enum CodingKeys: String, CodingKey { case taskID = "task_id", trajectoryID = "trajectory_id", transition }
}

public struct TaskCompleted: SystemEventPayload {
    public static let eventType = "TaskCompleted"
    public static let topic = Topic.tasks
    public var taskID: String
    public var trajectoryID: String
    public var workerID: String
    public var result: TaskResult
    public var reward: RewardBreakdown
    public var signals: RewardSignals
    public var verificationPassed: Bool
    public var totalSteps: Int
    public var totalTokens: Int
    public var executionTimeSeconds: Double
    /// `git diff`-style patch of the workspace against the initial files.
    public var finalPatch: String
    public var partitionKey: String { taskID }

    public init(taskID: String, trajectoryID: String, workerID: String, result: TaskResult, reward: RewardBreakdown,
                signals: RewardSignals, verificationPassed: Bool, totalSteps: Int, totalTokens: Int,
                executionTimeSeconds: Double, finalPatch: String) {
        self.taskID = taskID
        self.trajectoryID = trajectoryID
        self.workerID = workerID
        self.result = result
        self.reward = reward
        self.signals = signals
        self.verificationPassed = verificationPassed
        self.totalSteps = totalSteps
        self.totalTokens = totalTokens
        self.executionTimeSeconds = executionTimeSeconds
        self.finalPatch = finalPatch
    }

    enum CodingKeys: String, CodingKey {
        case result, reward, signals
        case taskID = "task_id", trajectoryID = "trajectory_id", workerID = "worker_id"
        case verificationPassed = "verification_passed", totalSteps = "total_steps", totalTokens = "total_tokens"
        case executionTimeSeconds = "execution_time_seconds", finalPatch = "final_patch"
    }
}

public struct TaskFailed: SystemEventPayload {
    public static let eventType = "TaskFailed"
    public static let topic = Topic.tasks
    public var taskID: String
    public var trajectoryID: String?
    public var workerID: String?
    public var error: String
    /// An infrastructure failure (worth a retry) rather than the task's fault.
    public var retryable: Bool
    public var attempt: Int
    public var partitionKey: String { taskID }

    public init(taskID: String, trajectoryID: String?, workerID: String?, error: String, retryable: Bool, attempt: Int) {
        self.taskID = taskID
        self.trajectoryID = trajectoryID
        self.workerID = workerID
        self.error = error
        self.retryable = retryable
        self.attempt = attempt
    }

    enum CodingKeys: String, CodingKey {
        case error, retryable, attempt
        case taskID = "task_id", trajectoryID = "trajectory_id", workerID = "worker_id"
    }
}

public struct LLMCallRecorded: SystemEventPayload {
    public static let eventType = "LLMCallRecorded"
    public static let topic = Topic.llmCalls
    public var callID: String
    public var taskID: String?
    public var trajectoryID: String?
    public var experiment: String?
    public var model: String
    public var provider: String
    public var status: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var costDollars: Double
    public var latencyMS: Double
    public var request: JSONValue
    public var response: JSONValue?
    public var error: String?
    // Added by the router (issue 5); all optional so older records still decode.
    /// The model name the caller asked for (a route or a model) when it differs from `model`, the deployment that answered.
    public var requestedModel: String?
    public var upstreamModel: String?
    public var routingStrategy: String?
    /// Experiment arm chosen for this trajectory (A/B split).
    public var variant: String?
    public var stream: Bool?
    public var cachedTokens: Int?
    public var cacheCreationTokens: Int?
    public var reasoningTokens: Int?
    public var finishReason: String?
    /// Retries on the same deployment and deployments failed over from.
    public var retries: Int?
    public var fallbacks: Int?
    /// Every upstream attempt in order: model, provider, status, error, latency_ms.
    public var attempts: JSONValue?
    /// Token ids and logprobs when the upstream returns them (vLLM `return_token_ids`, `logprobs`), for RL trainers.
    public var promptTokenIDs: [Int]?
    public var completionTokenIDs: [Int]?
    public var logprobs: JSONValue?
    /// Time the router itself added, excluding upstream time.
    public var overheadMS: Double?
    /// Time to first byte for streams.
    public var firstTokenMS: Double?
    /// Short hash of the caller's API key, to account usage per key without storing it.
    public var apiKeyHash: String?
    public var partitionKey: String { trajectoryID ?? callID }

    public init(callID: String, taskID: String?, trajectoryID: String?, experiment: String?, model: String, provider: String,
                status: Int, promptTokens: Int, completionTokens: Int, costDollars: Double, latencyMS: Double,
                request: JSONValue, response: JSONValue?, error: String?) {
        self.callID = callID
        self.taskID = taskID
        self.trajectoryID = trajectoryID
        self.experiment = experiment
        self.model = model
        self.provider = provider
        self.status = status
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.costDollars = costDollars
        self.latencyMS = latencyMS
        self.request = request
        self.response = response
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case experiment, model, provider, status, request, response, error
        case callID = "call_id", taskID = "task_id", trajectoryID = "trajectory_id"
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
        case costDollars = "cost_dollars", latencyMS = "latency_ms"
        case requestedModel = "requested_model", upstreamModel = "upstream_model", routingStrategy = "routing_strategy"
        case variant, stream, retries, fallbacks, attempts, logprobs
        case cachedTokens = "cached_tokens", cacheCreationTokens = "cache_creation_tokens", reasoningTokens = "reasoning_tokens"
        case finishReason = "finish_reason", promptTokenIDs = "prompt_token_ids", completionTokenIDs = "completion_token_ids"
        case overheadMS = "overhead_ms", firstTokenMS = "first_token_ms", apiKeyHash = "api_key_hash"
    }
}

/// A spend scope of the router (global, model, experiment, task, route, key)
/// crossed one of its configured fractions of its budget. Sent once per scope
/// and threshold, whichever router replica settles the call that crosses it.
public struct CostThresholdReached: SystemEventPayload {
    public static let eventType = "CostThresholdReached"
    public static let topic = Topic.system
    /// e.g. "global", "experiment:exp-1", "task:abc".
    public var scope: String
    /// Dollars spent in the scope when the threshold was crossed.
    public var current: Double
    /// The threshold in dollars (fraction × limit).
    public var threshold: Double
    public var limit: Double
    public var fraction: Double
    public var partitionKey: String { scope }
    public init(scope: String, current: Double, threshold: Double, limit: Double, fraction: Double) {
        self.scope = scope
        self.current = current
        self.threshold = threshold
        self.limit = limit
        self.fraction = fraction
    }
}

public struct TrajectoryStored: SystemEventPayload {
    public static let eventType = "TrajectoryStored"
    public static let topic = Topic.trajectories
    public var trajectoryID: String
    public var taskID: String
    public var partitionKey: String { trajectoryID }
    public init(trajectoryID: String, taskID: String) {
        self.trajectoryID = trajectoryID
        self.taskID = taskID
    }
    enum CodingKeys: String, CodingKey { case trajectoryID = "trajectory_id", taskID = "task_id" }
}

public struct WorkerStatusChanged: SystemEventPayload {
    public static let eventType = "WorkerHealthCheck"
    public static let topic = Topic.workers
    public var workerID: String
    /// registered, healthy, shutdown
    public var status: String
    public var activeTasks: Int
    public var capacity: Int
    public var partitionKey: String { workerID }
    public init(workerID: String, status: String, activeTasks: Int, capacity: Int) {
        self.workerID = workerID
        self.status = status
        self.activeTasks = activeTasks
        self.capacity = capacity
    }
    enum CodingKeys: String, CodingKey { case status, capacity, workerID = "worker_id", activeTasks = "active_tasks" }
}

public struct ExportRequested: SystemEventPayload {
    public static let eventType = "ExportRequested"
    public static let topic = Topic.exports
    public var exportID: String
    public var verifiedOnly: Bool
    public var minReward: Double?
    // Added for issue 6; all optional so older requests still decode.
    /// Only these task categories / these models (nil or empty: all).
    public var categories: [String]?
    public var models: [String]?
    /// Only trajectories completed in [completedAfter, completedBefore).
    public var completedAfter: Date?
    public var completedBefore: Date?
    /// Only what was stored since the last successful export of the same `scheduleName`.
    public var incremental: Bool?
    public var scheduleName: String?
    /// Overrides the exporter's shard row limit for this export.
    public var maxShardRows: Int?
    public var partitionKey: String { exportID }
    public init(exportID: String, verifiedOnly: Bool, minReward: Double?) {
        self.exportID = exportID
        self.verifiedOnly = verifiedOnly
        self.minReward = minReward
    }
    enum CodingKeys: String, CodingKey {
        case exportID = "export_id", verifiedOnly = "verified_only", minReward = "min_reward"
        case categories, models, incremental, completedAfter = "completed_after", completedBefore = "completed_before"
        case scheduleName = "schedule_name", maxShardRows = "max_shard_rows"
    }
}

public struct DatasetPublished: SystemEventPayload {
    public static let eventType = "DatasetPublished"
    public static let topic = Topic.system
    public var exportID: String
    public var path: String
    public var rows: Int
    // Added for issue 6; optional.
    /// Where the dataset version was published (object store URL of its root) and its files.
    public var location: String?
    public var files: [String]?
    public var hubURL: String?
    public var partitionKey: String { exportID }
    public init(exportID: String, path: String, rows: Int) {
        self.exportID = exportID
        self.path = path
        self.rows = rows
    }
    enum CodingKeys: String, CodingKey { case path, rows, location, files, exportID = "export_id", hubURL = "hub_url" }
}

public struct QueueDepthChanged: SystemEventPayload {
    public static let eventType = "QueueDepthChanged"
    public static let topic = Topic.system
    public var depth: Int
    public var partitionKey: String { "queue" }
    public init(depth: Int) { self.depth = depth }
}
