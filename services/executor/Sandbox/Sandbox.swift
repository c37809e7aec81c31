import Foundation
import SynthCommon
import SynthDocker
import Synchronization
import SynthExecutor

/// A task's container: created with the platform's limits and labels, fed the
/// task's files, and removed on every path by `EpisodeRunner`.
public struct Sandbox: Sendable {
    public static let workspace = "/workspace"
    /// A second writable volume for the platform: the initial files (for the
    /// per-step diff and the final patch) and the test reports. The agent can
    /// write here too, so everything that judges it is rewritten or read only
    /// after its processes are killed.
    public static let platformDirectory = "/var/lib/synth"
    public static let baseline = platformDirectory + "/baseline"
    public static let reports = platformDirectory + "/reports"
    /// Every process the agent starts carries this variable (children inherit
    /// it), so they can all be killed before verification.
    public static let agentMarker = "SYNTH_AGENT_PROCESS"

    public let docker: DockerClient
    public let containerID: String
    public let agentToken: String
    /// Bytes an agent command may write before it is stopped (endless output).
    public let stopAfterBytes: Int
    /// The task's hard deadline: no agent command runs past it.
    public let deadline: ContinuousClock.Instant
    /// The per-command timeout of the agent's tool calls.
    public let commandTimeoutSeconds: Int
    /// The container's pids limit (the task's max_processes).
    public let pidsLimit: Int
    private let monitor = OOMCounter()

    public struct CommandOutput: Sendable {
        public var output: String
        public var exitCode: Int
        public var truncated: Bool
        public var timedOut: Bool
        /// The kernel OOM killer fired in the container during the command.
        public var oomKilled = false
        /// The command wrote more than `stopAfterBytes` and was killed.
        public var outputStopped = false
        public var outputBytes = 0
        public var duration: Duration = .zero
        /// The command's processes outlived the kill at its timeout, so the
        /// whole container was killed: the episode cannot go on.
        public var containerKilled = false
        /// The container's pids limit refused a fork during the command (a
        /// fork bomb, or too many processes).
        public var processLimitReached = false
        /// The workspace state right after the command, read in the same exec
        /// (`runAgentCommandWithState`); nil when it could not be, and then
        /// `snapshot()` reads it.
        public var state: Snapshot?
    }

    public struct ImageMissing: Error, CustomStringConvertible {
        public var image: String
        public var description: String { "image '\(image)' does not exist on this Docker host and could not be pulled" }
    }

    public static func create(docker: DockerClient, task: TaskDefinition, trajectoryID: String, workerID: String, settings: SandboxSettings,
                       deadline: ContinuousClock.Instant, commandTimeoutSeconds: Int, binds: [String] = []) async throws -> Sandbox {
        if try await !docker.imageExists(task.dockerImage) {
            do {
                try await docker.pullImage(task.dockerImage, timeout: .seconds(900))
            } catch {
                throw ImageMissing(image: task.dockerImage)
            }
        }
        var spec = ContainerSpec(image: task.dockerImage, command: ["sleep", "infinity"], environment: task.environmentVars,
                                 workingDirectory: workspace,
                                 labels: ContainerLabels.forEpisode(task: task, trajectoryID: trajectoryID, worker: workerID, sandbox: settings))
        spec.memoryLimitBytes = task.resourceLimits.memoryMB * 1024 * 1024
        spec.nanoCPUs = Int(task.resourceLimits.cpuCores * 1_000_000_000)
        spec.pidsLimit = task.resourceLimits.maxProcesses
        spec.workspace = ContainerWorkspace(path: workspace, sizeBytes: Int(task.resourceLimits.diskGB * 1024 * 1024 * 1024))
        spec.extraVolumes = [ContainerWorkspace(path: platformDirectory, sizeBytes: 256 << 20)]
        // Root stays read-only (the ContainerSpec default): only the
        // workspace, the platform volume and a small /tmp are writable.
        spec.readonlyRootfs = true
        spec.binds = binds
        let id = try await docker.createContainer(spec, name: "synth-\(trajectoryID)")
        let sandbox = Sandbox(docker: docker, containerID: id, agentToken: UUID().uuidString.lowercased(),
                              stopAfterBytes: settings.outputStopBytes, deadline: deadline, commandTimeoutSeconds: commandTimeoutSeconds,
                              pidsLimit: task.resourceLimits.maxProcesses)
        do {
            try await docker.start(id)
        } catch {
            await sandbox.remove()
            throw error
        }
        return sandbox
    }

    public func writeFiles(_ files: [String: String], under directory: String = workspace) async throws {
        guard !files.isEmpty else { return }
        // Put at the root of the writable volume that holds `directory`, with
        // the rest of the directory in each path: the archive API needs an
        // existing target and refuses one on the read-only root, and this way
        // subdirectories are created if missing.
        let volume = directory.hasPrefix(Self.platformDirectory) ? Self.platformDirectory : Self.workspace
        var prefix = String(directory.dropFirst(directory.hasPrefix(volume) ? volume.count : 0))
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        // Real modification times: tools (make, pytest's caches, diff -N) treat
        // the epoch as "missing" or "older than everything".
        let now = Int(Date().timeIntervalSince1970)
        let archive = TarArchive(entries: files.sorted(by: { $0.key < $1.key }).map { path, content in
            TarArchive.Entry(path: prefix.isEmpty ? path : prefix + "/" + path, kind: .file, content: Array(content.utf8),
                             modificationTime: now)
        })
        try await docker.putArchive(containerID, path: volume, tar: archive.encoded())
    }

    /// Runs a platform command (snapshots, verification): no output stop,
    /// not marked as the agent's.
    public func run(_ command: String, timeoutSeconds: Int, outputLimit: Int, environment: [String: String] = [:]) async throws -> CommandOutput {
        try await execute(command, timeoutSeconds: timeoutSeconds, outputLimit: outputLimit, agent: false, environment: environment)
    }

    /// Runs one of the agent's commands: marked, bounded by the per-command
    /// timeout and the task's deadline, stopped after `stopAfterBytes` of
    /// output, and checked for OOM kills.
    /// An external agent program passes `timeoutSeconds` (the whole task's
    /// time) and the environment that points it at the router.
    public func runAgentCommand(_ command: String, outputLimit: Int, environment: [String: String] = [:],
                                timeoutSeconds: Int? = nil) async throws -> CommandOutput {
        // Rounded up, so a command cut by the deadline ends at or after it.
        let left = deadline - ContinuousClock.now
        let remaining = Int(left.components.seconds) + (left.components.attoseconds > 0 ? 1 : 0)
        return try await execute(command, timeoutSeconds: max(1, min(timeoutSeconds ?? commandTimeoutSeconds, remaining)),
                                 outputLimit: outputLimit, agent: true, environment: environment)
    }

    /// `runAgentCommand` plus the workspace state after it, read in the same
    /// exec (see `StateTrailer`): one Engine API round trip per step. The
    /// output, exit code, flags and duration are the command's own, as
    /// without the state; `state` is nil when the command did not finish in
    /// the exec (timeout, output stop) or the state did not fit.
    public func runAgentCommandWithState(_ command: String, outputLimit: Int, diffLimit: Int = 256 * 1024) async throws -> CommandOutput {
        let left = deadline - ContinuousClock.now
        let remaining = Int(left.components.seconds) + (left.components.attoseconds > 0 ? 1 : 0)
        return try await execute(command, timeoutSeconds: max(1, min(commandTimeoutSeconds, remaining)), outputLimit: outputLimit,
                                 agent: true, environment: [:], trailer: StateTrailer(), diffLimit: diffLimit)
    }

    /// Why the container is not running, or nil while it runs (or is gone).
    public func stoppedReason() async -> String? {
        guard let state = try? await docker.inspect(containerID).state, !state.running else { return nil }
        return "exit code \(state.exitCode)" + (state.oomKilled ? ", killed by the out-of-memory killer" : "")
            + (state.error.isEmpty ? "" : ", \(state.error)")
    }

    private func execute(_ command: String, timeoutSeconds: Int, outputLimit: Int, agent: Bool, environment: [String: String],
                         trailer: StateTrailer? = nil, diffLimit: Int = 0) async throws -> CommandOutput {
        var environment = environment
        if agent { environment[Self.agentMarker] = agentToken }
        // The state rides on top of the command's own caps: the stop limit
        // still counts only what the command may write.
        let reserve = trailer == nil ? 0 : StateTrailer.reserve
        var result = try await docker.exec(containerID,
                                           command: trailer?.command(command, stateScript: Self.stateScript(diffLimit: diffLimit))
                                               ?? ["bash", "-c", command],
                                           workingDirectory: Self.workspace, environment: environment,
                                           timeout: .seconds(timeoutSeconds), outputLimit: outputLimit + reserve,
                                           stopAfterBytes: agent ? max(stopAfterBytes, outputLimit) + reserve : nil)
        var state: Snapshot?
        if let trailer {
            let parts = trailer.split(result.stdout)
            // A marker proves the command ended on its own before the exec
            // did: its status is the command's, not a kill at the timeout.
            if let status = parts.status, !result.containerKilled && !result.outputStopped {
                result.exitCode = status
                result.timedOut = false
                state = parts.state.map(Self.parseSnapshot)
                if let seconds = parts.stateSeconds { result.duration = max(.zero, result.duration - .seconds(seconds)) }
                result.stdoutTruncated = parts.stdout.count > outputLimit
            } else {
                result.stdoutTruncated = result.stdoutTruncated || parts.stdout.count > outputLimit
            }
            result.stdout = Array(parts.stdout.prefix(outputLimit))
            result.stderrTruncated = result.stderrTruncated || result.stderr.count > outputLimit
            result.stderr = Array(result.stderr.prefix(outputLimit))
        }
        var output = String(decoding: result.stdout, as: UTF8.self)
        if !result.stderr.isEmpty { output += String(decoding: result.stderr, as: UTF8.self) }
        var outcome = CommandOutput(output: output, exitCode: result.exitCode, truncated: result.truncated, timedOut: result.timedOut,
                                    outputStopped: result.outputStopped, outputBytes: result.outputBytes, duration: result.duration,
                                    containerKilled: result.containerKilled, state: state)
        // SIGKILL (137) is how the OOM killer ends a process: ask the cgroup.
        if result.exitCode == 137 && !result.timedOut && !result.outputStopped {
            outcome.oomKilled = try await oomKillsIncreased()
        }
        // A command that hit the pids limit fails to fork ("Resource
        // temporarily unavailable") or runs until its timeout; only then is
        // the limit worth the extra look.
        if agent && (result.timedOut || result.containerKilled || output.contains("Resource temporarily unavailable")) {
            outcome.processLimitReached = await processLimitReached(output: output)
        }
        return outcome
    }

    /// Whether the container's memory cgroup counted a new OOM kill since
    /// the last check (cgroup v1 memory.oom_control or v2 memory.events).
    public func oomKillsIncreased() async throws -> Bool {
        guard let count = try await oomKillCount() else { return false }
        return monitor.update(count)
    }

    public func oomKillCount() async throws -> Int? {
        let result = try await docker.exec(containerID, command: ["sh", "-c",
            "cat /sys/fs/cgroup/memory/memory.oom_control 2>/dev/null || cat /sys/fs/cgroup/memory.events 2>/dev/null"],
            timeout: .seconds(10), outputLimit: 4096)
        for line in result.stdoutText.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return Int(line.dropFirst("oom_kill ".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Whether the command ran into the pids limit: bash reports a refused
    /// fork as "fork: ... Resource temporarily unavailable", and survivors
    /// that fill every slot show in the Engine's stats. Neither needs an exec,
    /// which could not start in a full container (and a hung one would get
    /// the container killed).
    public func processLimitReached(output: String) async -> Bool {
        if output.contains("fork: retry: Resource temporarily unavailable") || output.contains("fork: Resource temporarily unavailable") {
            return true
        }
        return await atProcessLimit()
    }

    /// The container holds as many processes as its limit allows: no exec
    /// can start in it (Engine stats, which need no process slot).
    public func atProcessLimit() async -> Bool {
        guard let count = try? await docker.stats(containerID).processCount else { return false }
        return count >= pidsLimit
    }

    /// Kills every process the agent started (by the inherited marker), so
    /// nothing it left behind can touch the workspace during verification.
    public func killAgentProcesses() async {
        // A few passes: a fork bomb respawns while a pass walks /proc.
        for _ in 0..<3 {
            await docker.killProcesses(variable: Self.agentMarker, value: agentToken, in: containerID, user: nil)
        }
    }

    public func readFile(_ path: String, limit: Int) async throws -> CommandOutput {
        let result = try await docker.exec(containerID, command: ["cat", "--", path], workingDirectory: Self.workspace,
                                           environment: [:], timeout: .seconds(30), outputLimit: limit)
        return CommandOutput(output: result.exitCode == 0 ? String(decoding: result.stdout, as: UTF8.self)
                                                          : String(decoding: result.stderr, as: UTF8.self),
                             exitCode: result.exitCode, truncated: result.truncated, timedOut: result.timedOut)
    }

    /// The workspace after a step: every file's content hash and size, and
    /// the diff against the initial files so far.
    public struct Snapshot: Sendable {
        public var files: [String: FileState]
        public var diff: String
        public var changedFiles: [String] { TamperCheck.changedPaths(inPatch: diff) }

        public init(files: [String: FileState], diff: String) {
            self.files = files
            self.diff = diff
        }
    }

    /// The workspace state with an exec of its own (what
    /// `runAgentCommandWithState` folds into the command's exec).
    public func snapshot(diffLimit: Int = 256 * 1024) async throws -> Snapshot {
        let listing = try await run(Self.stateScript(diffLimit: diffLimit), timeoutSeconds: 60, outputLimit: 8 * 1024 * 1024)
        return Self.parseSnapshot(listing.output)
    }

    /// Prints, from /workspace, every file's size and path, "---", every
    /// file's hash and path, "---", and the diff against the baseline. Few
    /// processes (each costs a fork and exec in every step): the lists are
    /// parsed into maps, so their order does not matter.
    public static func stateScript(diffLimit: Int) -> String {
        "find . -type f -not -path './.git/*' -printf '%s\\t%p\\n'; echo ---; "
            + "find . -type f -not -path './.git/*' -exec sha256sum {} +; echo ---; "
            + "cd / && \(diffCommand) | head -c \(diffLimit)"
    }

    static func parseSnapshot(_ listing: String) -> Snapshot {
        let sections = listing.components(separatedBy: "---\n")
        var sizes: [String: Int] = [:]
        for line in (sections.first ?? "").split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2 { sizes[Self.relative(String(parts[1]))] = Int(parts[0]) }
        }
        var files: [String: FileState] = [:]
        for line in (sections.count > 1 ? sections[1] : "").split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let path = Self.relative(String(parts[1]).trimmingCharacters(in: .whitespaces))
            files[path] = FileState(sha256: String(parts[0]), size: sizes[path] ?? 0)
        }
        let diff = sections.count > 2 ? sections[2...].joined(separator: "---\n") : ""
        return Snapshot(files: files, diff: Self.gitStyle(diff, baseline: String(Self.baseline.dropFirst()) + "/", workspace: "workspace/"))
    }

    public static var diffCommand: String {
        "diff -ruN --exclude=__pycache__ --exclude=.pytest_cache \(baseline.dropFirst()) workspace"
    }

    /// Writes the initial files as the baseline (wiping whatever is there:
    /// the agent could write to this volume).
    public func writeBaseline(_ files: [String: String]) async throws {
        _ = try await run("rm -rf \(Self.baseline) && mkdir -p \(Self.baseline) \(Self.reports)", timeoutSeconds: 60, outputLimit: 4096)
        try await writeFiles(files, under: Self.baseline)
    }

    /// Unified diff of the workspace against the initial files, with git's
    /// a/ and b/ path prefixes so `git apply` takes it. The baseline is
    /// rewritten first, so an agent that edited it cannot hide a change.
    public func patch(initialFiles: [String: String]) async throws -> String {
        try await writeBaseline(initialFiles)
        let result = try await run("cd / && \(Self.diffCommand); true", timeoutSeconds: 60, outputLimit: 4 * 1024 * 1024)
        return Self.gitStyle(result.output, baseline: String(Self.baseline.dropFirst()) + "/", workspace: "workspace/")
    }

    public static func gitStyle(_ diff: String, baseline: String, workspace: String) -> String {
        var lines: [Substring] = []
        for line in diff.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("diff -ruN "), let path = line.split(separator: " ").last, path.hasPrefix(workspace) {
                let name = path.dropFirst(workspace.count)
                lines.append("diff --git a/\(name) b/\(name)")
            } else if line.hasPrefix("--- " + baseline) || line.hasPrefix("+++ " + workspace) {
                let isOld = line.hasPrefix("---")
                let body = line.dropFirst(4 + (isOld ? baseline.count : workspace.count))
                let parts = body.split(separator: "\t", maxSplits: 1)
                // diff -N shows a side that does not exist with the epoch as its date.
                if parts.count == 2 && parts[1].hasPrefix("1970-01-01 00:00:00") {
                    // git apply wants the mode line to create or delete a file.
                    lines.insert(isOld ? "new file mode 100644" : "deleted file mode 100644", at: lines.count - (isOld ? 0 : 1))
                    lines.append(isOld ? "--- /dev/null" : "+++ /dev/null")
                } else {
                    lines.append("\(isOld ? "--- a/" : "+++ b/")\(parts.first ?? body)")
                }
            } else {
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    public func remove() async {
        _ = try? await docker.remove(containerID, force: true)
    }

    public static func relative(_ path: String) -> String {
        path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    }
}

/// A cgroup event counter (OOM kills, refused forks) as last seen, so a new
/// event can be told from an old one.
final class OOMCounter: Sendable {
    private let seen = Mutex(0)

    /// Records `count`; true when it grew.
    func update(_ count: Int) -> Bool {
        seen.withLock { last in
            defer { last = max(last, count) }
            return count > last
        }
    }
}
