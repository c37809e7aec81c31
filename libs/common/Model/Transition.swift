import Foundation

/// One step of a trajectory (spec 2.5): the state the agent acted in, what it
/// did, what it saw, and the step's reward.
public struct Transition: Codable, Sendable, Equatable {
    public var timestamp: Date
    public var stepNumber: Int
    public var state: State
    public var action: Action
    public var observation: Observation
    public var reward: Double
    public var done: Bool
    public var info: TransitionInfo
    /// The chat messages this step added (the assistant turn and tool results),
    /// so the full conversation is the prompt plus every step's messages.
    public var messages: [ChatMessage]

    public init(timestamp: Date, stepNumber: Int, state: State, action: Action, observation: Observation,
                reward: Double, done: Bool, info: TransitionInfo, messages: [ChatMessage]) {
        self.timestamp = timestamp
        self.stepNumber = stepNumber
        self.state = state
        self.action = action
        self.observation = observation
        self.reward = reward
        self.done = done
        self.info = info
        self.messages = messages
    }

    enum CodingKeys: String, CodingKey {
        case timestamp, state, action, observation, reward, done, info, messages
        case stepNumber = "step_number"
    }
}

/// The workspace after the step: every file's content hash and size, so a
/// trainer can see what changed without storing every version.
public struct State: Codable, Sendable, Equatable {
    public var files: [String: FileState]
    public var workingDirectory: String
    public var environmentVariables: [String: String]
    public var processState: ProcessState
    public var customState: JSONValue?
    /// Files that differ from the initial files after this step, and the
    /// unified diff so far (git style, capped by the executor).
    public var changedFiles: [String]?
    public var diff: String?

    public init(files: [String: FileState], workingDirectory: String, environmentVariables: [String: String] = [:],
                processState: ProcessState, customState: JSONValue? = nil, changedFiles: [String]? = nil, diff: String? = nil) {
        self.files = files
        self.workingDirectory = workingDirectory
        self.environmentVariables = environmentVariables
        self.processState = processState
        self.customState = customState
        self.changedFiles = changedFiles
        self.diff = diff
    }

    enum CodingKeys: String, CodingKey {
        case files, diff
        case workingDirectory = "working_directory", environmentVariables = "environment_variables"
        case processState = "process_state", customState = "custom_state", changedFiles = "changed_files"
    }
}

public struct FileState: Codable, Sendable, Equatable {
    public var sha256: String
    public var size: Int

    public init(sha256: String, size: Int) {
        self.sha256 = sha256
        self.size = size
    }
}

public struct ProcessState: Codable, Sendable, Equatable {
    public var lastExitCode: Int?

    public init(lastExitCode: Int?) {
        self.lastExitCode = lastExitCode
    }

    enum CodingKeys: String, CodingKey { case lastExitCode = "last_exit_code" }
}

public enum ActionType: String, Codable, Sendable {
    case toolCall = "tool_call"
    case message
    case finish
}

public struct Action: Codable, Sendable, Equatable {
    public var actionType: ActionType
    public var content: String
    public var toolName: String?
    public var toolArgs: JSONValue?
    public var reasoning: String?

    public init(actionType: ActionType, content: String, toolName: String? = nil, toolArgs: JSONValue? = nil, reasoning: String? = nil) {
        self.actionType = actionType
        self.content = content
        self.toolName = toolName
        self.toolArgs = toolArgs
        self.reasoning = reasoning
    }

    enum CodingKeys: String, CodingKey {
        case content, reasoning
        case actionType = "action_type", toolName = "tool_name", toolArgs = "tool_args"
    }
}

public struct Observation: Codable, Sendable, Equatable {
    public var content: String
    public var exitCode: Int?
    public var truncated: Bool
    public var error: String?

    public init(content: String, exitCode: Int? = nil, truncated: Bool = false, error: String? = nil) {
        self.content = content
        self.exitCode = exitCode
        self.truncated = truncated
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case content, truncated, error
        case exitCode = "exit_code"
    }
}

public struct TransitionInfo: Codable, Sendable, Equatable {
    public var durationMS: Int
    public var llmLatencyMS: Int?
    public var llmCallID: String?
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// Time the tool call itself took in the container, and its exit code.
    public var toolDurationMS: Int?
    public var exitCode: Int?

    public init(durationMS: Int, llmLatencyMS: Int? = nil, llmCallID: String? = nil, promptTokens: Int? = nil, completionTokens: Int? = nil,
                toolDurationMS: Int? = nil, exitCode: Int? = nil) {
        self.durationMS = durationMS
        self.llmLatencyMS = llmLatencyMS
        self.llmCallID = llmCallID
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.toolDurationMS = toolDurationMS
        self.exitCode = exitCode
    }

    enum CodingKeys: String, CodingKey {
        case durationMS = "duration_ms", llmLatencyMS = "llm_latency_ms", llmCallID = "llm_call_id"
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
        case toolDurationMS = "tool_duration_ms", exitCode = "exit_code"
    }
}
