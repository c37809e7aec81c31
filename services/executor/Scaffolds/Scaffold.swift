import SynthCommon
import SynthSandbox

/// An agent scaffold (spec 2.3): the tools offered to the model as OpenAI
/// function calls, the opening prompt, and how each call runs in the sandbox.
protocol Scaffold: Sendable {
    var name: String { get }
    var tools: JSONValue { get }
    func prompt(for task: TaskDefinition) -> [ChatMessage]
    func execute(_ call: ToolCall) async throws -> ToolOutcome
}

/// What one tool call produced.
struct ToolOutcome: Sendable {
    var observation: Observation
    /// Time the call spent in the container.
    var duration: Duration = .zero
    /// The agent declared it is done (the submit tool).
    var submitted = false
    /// The container had to be killed to stop the call's processes.
    var containerKilled = false
    /// The workspace state after the call, when the call's exec read it
    /// (a bash call); otherwise the step takes a snapshot of its own.
    var state: Sandbox.Snapshot?
}

enum Scaffolds {
    struct Unknown: Error, CustomStringConvertible {
        var name: String
        var description: String { "unknown scaffold '\(name)' (scaffolds: minimal, swe-agent, external)" }
    }

    static func make(_ name: String, sandbox: Sandbox, settings: ExecutorSettings) throws -> any Scaffold {
        switch name.lowercased() {
        case "minimal", "":
            return MinimalScaffold(sandbox: sandbox, settings: settings)
        case "swe-agent", "sweagent", "swe_agent":
            return SWEAgentScaffold(sandbox: sandbox, settings: settings)
        default:
            throw Unknown(name: name)
        }
    }

    /// Decodes a call's arguments, or the observation that says why they are unusable.
    enum Arguments {
        case parsed([String: JSONValue])
        case invalid(ToolOutcome)
    }

    static func arguments(of call: ToolCall) -> Arguments {
        do {
            guard case .object(let object) = try SynthJSON.decode(JSONValue.self, from: Array(call.function.arguments.utf8)) else {
                return .invalid(ToolOutcome(observation: Observation(content: "error: arguments must be a JSON object", error: "invalid_arguments")))
            }
            return .parsed(object)
        } catch {
            return .invalid(ToolOutcome(observation: Observation(content: "error: arguments are not valid JSON: \(call.function.arguments)",
                                                                 error: "invalid_arguments")))
        }
    }

    static func missing(_ name: String) -> ToolOutcome {
        ToolOutcome(observation: Observation(content: "error: missing argument '\(name)'", error: "invalid_arguments"))
    }

    /// A shell command's observation, with the reason it was cut short if it was.
    static func commandObservation(_ result: Sandbox.CommandOutput, settings: ExecutorSettings) -> ToolOutcome {
        var text = result.output
        var error: String?
        if result.outputStopped {
            text += "\n[output stopped: the command wrote more than \(result.outputBytes / 1024) KiB; it was killed and only the first \(settings.observationLimit) bytes are shown]"
            error = "output_limit"
        } else if result.truncated {
            text += "\n[output truncated at \(settings.observationLimit) bytes]"
        }
        if result.timedOut {
            text += "\n[command timed out after \(result.duration.components.seconds) s and was killed]"
            error = "timeout"
        }
        if result.containerKilled {
            text += "\n[the command's processes survived the kill at its timeout, so the container was killed]"
            error = "container_killed"
        }
        if result.processLimitReached {
            text += "\n[the container's process limit was reached: forks failed (a fork bomb, or too many processes)]"
            error = "process_limit"
        }
        if result.oomKilled {
            text += "\n[a process was killed by the out-of-memory killer: the container's memory limit was reached]"
            error = "oom_killed"
        }
        return ToolOutcome(observation: Observation(content: text + "\n[exit code \(result.exitCode)]", exitCode: result.exitCode,
                                                    truncated: result.truncated, error: error),
                           duration: result.duration, containerKilled: result.containerKilled, state: result.state)
    }

    /// A workspace-relative path for `path` (relative or under /workspace), or nil if it escapes.
    static func workspacePath(_ path: String) -> String? {
        let relative = path.hasPrefix(Sandbox.workspace + "/") ? String(path.dropFirst(Sandbox.workspace.count + 1)) : path
        return TaskDefinition.isSafeRelativePath(relative) ? relative : nil
    }
}
