import Foundation
import SynthCommon
import SynthSandbox

/// The minimal scaffold of spec 2.3: three tools (bash, read, edit) offered
/// as OpenAI function calls; each call runs in the task's container.
struct MinimalScaffold: Scaffold {
    static let name = "minimal"
    var name: String { Self.name }
    var tools: JSONValue { Self.tools }
    let sandbox: Sandbox
    let settings: ExecutorSettings

    static let tools: JSONValue = .array([
        function("bash", "Run a bash command in /workspace and return its output and exit code.",
                 ["command": "The command to run."], required: ["command"]),
        function("read", "Read a file, relative to /workspace.", ["path": "The file's path."], required: ["path"]),
        function("edit", "Replace exactly one occurrence of old_str with new_str in a file. With an empty old_str the file is created or overwritten with new_str.",
                 ["path": "The file's path.", "old_str": "Text to replace (must occur exactly once), or empty.", "new_str": "Replacement text."],
                 required: ["path", "old_str", "new_str"]),
    ])

    static func function(_ name: String, _ description: String, _ properties: [String: String], required: [String]) -> JSONValue {
        .object(["type": .string("function"), "function": .object([
            "name": .string(name), "description": .string(description),
            "parameters": .object([
                "type": .string("object"),
                "properties": .object(properties.mapValues { .object(["type": .string("string"), "description": .string($0)]) }),
                "required": .array(required.map(JSONValue.string)),
            ]),
        ])])
    }

    func prompt(for task: TaskDefinition) -> [ChatMessage] {
        [
            ChatMessage(role: "system", content: """
                You are a software engineer working in a repository at /workspace inside a Linux container with no network. \
                Use the tools to inspect and change files and to run commands. When the task is complete, reply with a short \
                summary and no tool call.
                """),
            ChatMessage(role: "user", content: task.instruction),
        ]
    }

    /// Runs one tool call and returns what the agent observes.
    func execute(_ call: ToolCall) async throws -> ToolOutcome {
        let arguments: [String: JSONValue]
        switch Scaffolds.arguments(of: call) {
        case .parsed(let object): arguments = object
        case .invalid(let outcome): return outcome
        }
        func argument(_ name: String) -> String? { arguments[name]?.stringValue }
        let started = ContinuousClock.now

        switch call.function.name {
        case "bash":
            guard let command = argument("command") else { return Scaffolds.missing("command") }
            let result = try await sandbox.runAgentCommandWithState(command, outputLimit: settings.observationLimit)
            return Scaffolds.commandObservation(result, settings: settings)
        case "read":
            guard let path = argument("path") else { return Scaffolds.missing("path") }
            let result = try await sandbox.readFile(path, limit: settings.observationLimit)
            return ToolOutcome(observation: Observation(content: result.output, exitCode: result.exitCode, truncated: result.truncated,
                                                        error: result.exitCode == 0 ? nil : "read_failed"),
                               duration: ContinuousClock.now - started)
        case "edit":
            guard let path = argument("path") else { return Scaffolds.missing("path") }
            guard let old = argument("old_str") else { return Scaffolds.missing("old_str") }
            guard let new = argument("new_str") else { return Scaffolds.missing("new_str") }
            return ToolOutcome(observation: try await edit(path: path, old: old, new: new), duration: ContinuousClock.now - started)
        default:
            return ToolOutcome(observation: Observation(content: "error: unknown tool '\(call.function.name)' (tools: bash, read, edit)",
                                                        error: "unknown_tool"))
        }
    }

    private func edit(path: String, old: String, new: String) async throws -> Observation {
        guard TaskDefinition.isSafeRelativePath(path) || path.hasPrefix(Sandbox.workspace + "/") else {
            return Observation(content: "error: '\(path)' is outside /workspace", error: "invalid_path")
        }
        let relative = path.hasPrefix(Sandbox.workspace + "/") ? String(path.dropFirst(Sandbox.workspace.count + 1)) : path
        if old.isEmpty {
            try await sandbox.writeFiles([relative: new])
            return Observation(content: "wrote \(relative) (\(new.utf8.count) bytes)", exitCode: 0)
        }
        let current = try await sandbox.readFile(relative, limit: 16 * 1024 * 1024)
        guard current.exitCode == 0 else { return Observation(content: "error: \(current.output)", exitCode: current.exitCode, error: "read_failed") }
        let occurrences = current.output.components(separatedBy: old).count - 1
        guard occurrences == 1 else {
            return Observation(content: "error: old_str occurs \(occurrences) times in \(relative); it must occur exactly once", error: "edit_failed")
        }
        try await sandbox.writeFiles([relative: current.output.replacingOccurrences(of: old, with: new)])
        return Observation(content: "edited \(relative)", exitCode: 0)
    }

}
