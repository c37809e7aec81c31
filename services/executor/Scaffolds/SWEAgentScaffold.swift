import Foundation
import Synchronization
import SynthCommon
import SynthSandbox

/// The SWE-agent tool set (spec 2.3): `str_replace_editor` (view, create,
/// str_replace, insert, undo_edit), `bash`, and `submit`, with SWE-agent's
/// argument names so models trained on it, and the oracle replaying a
/// reference solution by tool name, work unchanged. Paths may be absolute
/// (under /workspace, as SWE-agent writes them) or relative to it.
struct SWEAgentScaffold: Scaffold {
    static let name = "swe-agent"
    var name: String { Self.name }
    let sandbox: Sandbox
    let settings: ExecutorSettings
    /// Earlier contents of each edited file, for undo_edit.
    private let history = EditHistory()

    init(sandbox: Sandbox, settings: ExecutorSettings) {
        self.sandbox = sandbox
        self.settings = settings
    }

    var tools: JSONValue { Self.tools }

    static let tools: JSONValue = .array([
        .object(["type": .string("function"), "function": .object([
            "name": .string("str_replace_editor"),
            "description": .string("""
                Custom editing tool for viewing, creating and editing files. `view` shows a file with line numbers \
                (or a directory's files two levels deep); `create` writes a new file (it cannot overwrite); \
                `str_replace` replaces old_str, which must occur exactly once, with new_str; `insert` inserts \
                new_str after line insert_line (0 = at the top); `undo_edit` reverts the last edit of the file.
                """),
            "parameters": .object([
                "type": .string("object"),
                "properties": .object([
                    "command": .object(["type": .string("string"), "enum": .array(["view", "create", "str_replace", "insert", "undo_edit"].map(JSONValue.string)),
                                        "description": .string("The command to run.")]),
                    "path": .object(["type": .string("string"), "description": .string("Absolute path to a file or directory, e.g. /workspace/file.py.")]),
                    "file_text": .object(["type": .string("string"), "description": .string("Content of the file to create.")]),
                    "old_str": .object(["type": .string("string"), "description": .string("Text to replace; must occur exactly once.")]),
                    "new_str": .object(["type": .string("string"), "description": .string("Replacement text (str_replace) or text to insert (insert).")]),
                    "insert_line": .object(["type": .string("integer"), "description": .string("Line after which to insert new_str.")]),
                    "view_range": .object(["type": .string("array"), "items": .object(["type": .string("integer")]),
                                           "description": .string("[start, end] lines to view, 1-based; end -1 means to the end.")]),
                ]),
                "required": .array(["command", "path"].map(JSONValue.string)),
            ]),
        ])]),
        .object(["type": .string("function"), "function": .object([
            "name": .string("bash"),
            "description": .string("Run a bash command in /workspace and return its output and exit code."),
            "parameters": .object(["type": .string("object"),
                                   "properties": .object(["command": .object(["type": .string("string"), "description": .string("The command to run.")])]),
                                   "required": .array([.string("command")])]),
        ])]),
        .object(["type": .string("function"), "function": .object([
            "name": .string("submit"),
            "description": .string("Submit your changes when the task is done. Ends the episode."),
            "parameters": .object(["type": .string("object"), "properties": .object([:]), "required": .array([])]),
        ])]),
    ])

    func prompt(for task: TaskDefinition) -> [ChatMessage] {
        [
            ChatMessage(role: "system", content: """
                You are an autonomous programmer working in a repository at /workspace inside a Linux container with no \
                network. Use str_replace_editor to view and edit files and bash to run commands. When the task is done, \
                call submit.
                """),
            ChatMessage(role: "user", content: task.instruction),
        ]
    }

    func execute(_ call: ToolCall) async throws -> ToolOutcome {
        let arguments: [String: JSONValue]
        switch Scaffolds.arguments(of: call) {
        case .parsed(let object): arguments = object
        case .invalid(let outcome): return outcome
        }
        let started = ContinuousClock.now
        switch call.function.name {
        case "bash":
            guard let command = arguments["command"]?.stringValue else { return Scaffolds.missing("command") }
            let result = try await sandbox.runAgentCommandWithState(command, outputLimit: settings.observationLimit)
            return Scaffolds.commandObservation(result, settings: settings)
        case "submit":
            return ToolOutcome(observation: Observation(content: "submitted", exitCode: 0), submitted: true)
        case "str_replace_editor":
            var outcome = ToolOutcome(observation: try await editor(arguments))
            outcome.duration = ContinuousClock.now - started
            return outcome
        default:
            return ToolOutcome(observation: Observation(
                content: "error: unknown tool '\(call.function.name)' (tools: str_replace_editor, bash, submit)", error: "unknown_tool"))
        }
    }

    private func editor(_ arguments: [String: JSONValue]) async throws -> Observation {
        guard let command = arguments["command"]?.stringValue else { return Scaffolds.missing("command").observation }
        guard let rawPath = arguments["path"]?.stringValue else { return Scaffolds.missing("path").observation }
        guard let path = Scaffolds.workspacePath(rawPath) ?? (rawPath == Sandbox.workspace ? "." : nil) else {
            return failure("the path \(rawPath) is outside /workspace", "invalid_path")
        }
        switch command {
        case "view":
            return try await view(path, range: arguments["view_range"])
        case "create":
            guard let text = arguments["file_text"]?.stringValue else { return Scaffolds.missing("file_text").observation }
            if try await exists(path) {
                return failure("File already exists at: \(rawPath). Cannot overwrite files using command `create`.", "edit_failed")
            }
            try await sandbox.writeFiles([path: text])
            history.record(path, previous: nil)
            return Observation(content: "File created successfully at: \(rawPath)", exitCode: 0)
        case "str_replace":
            guard let old = arguments["old_str"]?.stringValue else { return Scaffolds.missing("old_str").observation }
            let new = arguments["new_str"]?.stringValue ?? ""
            guard let current = try await read(path) else { return failure("The path \(rawPath) does not exist or is not a file.", "read_failed") }
            let occurrences = current.components(separatedBy: old).count - 1
            guard occurrences == 1 else {
                return failure(occurrences == 0 ? "No replacement was performed, old_str did not appear verbatim in \(rawPath)."
                                                : "No replacement was performed. Multiple occurrences of old_str (\(occurrences)) in \(rawPath). Please ensure it is unique.",
                               "edit_failed")
            }
            let updated = current.replacingOccurrences(of: old, with: new)
            try await sandbox.writeFiles([path: updated])
            history.record(path, previous: current)
            return Observation(content: "The file \(rawPath) has been edited. " + snippet(updated, around: new), exitCode: 0)
        case "insert":
            guard let new = arguments["new_str"]?.stringValue else { return Scaffolds.missing("new_str").observation }
            guard case .number(let number)? = arguments["insert_line"], let line = Int(exactly: number) else {
                return Scaffolds.missing("insert_line").observation
            }
            guard let current = try await read(path) else { return failure("The path \(rawPath) does not exist or is not a file.", "read_failed") }
            var lines = current.components(separatedBy: "\n")
            let trailingNewline = current.hasSuffix("\n")
            if trailingNewline { lines.removeLast() }
            guard (0...lines.count).contains(line) else {
                return failure("Invalid insert_line \(line): it should be within [0, \(lines.count)].", "edit_failed")
            }
            lines.insert(contentsOf: new.components(separatedBy: "\n"), at: line)
            let updated = lines.joined(separator: "\n") + (trailingNewline ? "\n" : "")
            try await sandbox.writeFiles([path: updated])
            history.record(path, previous: current)
            return Observation(content: "The file \(rawPath) has been edited. " + snippet(updated, around: new), exitCode: 0)
        case "undo_edit":
            guard let previous = history.pop(path) else { return failure("No edit history found for \(rawPath).", "edit_failed") }
            if let previous {
                try await sandbox.writeFiles([path: previous])
            } else {
                _ = try await sandbox.run("rm -f -- '\(path.replacingOccurrences(of: "'", with: "'\\''"))'", timeoutSeconds: 30, outputLimit: 4096)
            }
            return Observation(content: "Last edit to \(rawPath) undone successfully.", exitCode: 0)
        default:
            return failure("Unrecognized command \(command). The allowed commands are: view, create, str_replace, insert, undo_edit",
                           "invalid_arguments")
        }
    }

    private func view(_ path: String, range: JSONValue?) async throws -> Observation {
        let quoted = "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let listing = try await sandbox.run("if [ -d \(quoted) ]; then find \(quoted) -maxdepth 2 -not -path '*/.*' | sort; "
                                            + "elif [ -f \(quoted) ]; then cat -n \(quoted); else echo 'no such file or directory' >&2; exit 1; fi",
                                            timeoutSeconds: 30, outputLimit: settings.observationLimit)
        guard listing.exitCode == 0 else { return failure("The path \(path) does not exist.", "read_failed") }
        guard case .array(let bounds)? = range, bounds.count == 2,
              case .number(let first) = bounds[0], case .number(let last) = bounds[1] else {
            return Observation(content: listing.output, exitCode: 0, truncated: listing.truncated)
        }
        let lines = listing.output.split(separator: "\n", omittingEmptySubsequences: false)
        let start = max(1, Int(first)), end = last < 0 ? lines.count : min(lines.count, Int(last))
        guard start <= end else { return failure("Invalid view_range \(Int(first)), \(Int(last)).", "invalid_arguments") }
        return Observation(content: lines[(start - 1)..<end].joined(separator: "\n"), exitCode: 0)
    }

    private func exists(_ path: String) async throws -> Bool {
        try await sandbox.run("test -e '\(path.replacingOccurrences(of: "'", with: "'\\''"))'", timeoutSeconds: 30, outputLimit: 1024).exitCode == 0
    }

    private func read(_ path: String) async throws -> String? {
        let result = try await sandbox.readFile(path, limit: 16 * 1024 * 1024)
        return result.exitCode == 0 ? result.output : nil
    }

    /// A few numbered lines around the new text, as SWE-agent shows after an edit.
    private func snippet(_ text: String, around inserted: String) -> String {
        let lines = text.components(separatedBy: "\n")
        let anchor = inserted.components(separatedBy: "\n").first ?? ""
        let at = anchor.isEmpty ? 0 : (lines.firstIndex { $0.contains(anchor) } ?? 0)
        let window = max(0, at - 4)..<min(lines.count, at + inserted.components(separatedBy: "\n").count + 4)
        let numbered = window.map { String(format: "%6d\t", $0 + 1) + lines[$0] }.joined(separator: "\n")
        return "Here is a snippet of the edited file:\n" + numbered + "\nReview the changes and make sure they are as expected."
    }

    private func failure(_ message: String, _ code: String) -> Observation {
        Observation(content: "error: " + message, error: code)
    }
}

/// Per file, the contents before each edit (nil: the file did not exist).
final class EditHistory: Sendable {
    private let stack = Mutex<[String: [String?]]>([:])

    func record(_ path: String, previous: String?) {
        stack.withLock { $0[path, default: []].append(previous) }
    }

    /// The contents before the last edit: .some(nil) when the edit created the file; nil when there is none.
    func pop(_ path: String) -> String?? {
        stack.withLock { stack in
            guard var edits = stack[path], let last = edits.popLast() else { return nil }
            stack[path] = edits
            return .some(last)
        }
    }
}
