import Foundation
import SynthCommon
import SynthDocker

/// A task's container: created with the platform's limits and labels, fed the
/// task's files, and removed on every path by `EpisodeRunner`.
struct Sandbox: Sendable {
    static let workspace = "/workspace"
    /// The initial files are kept here too, so the final patch can be a diff.
    static let baseline = "/var/lib/synth-baseline"

    let docker: DockerClient
    let containerID: String

    struct CommandOutput: Sendable {
        var output: String
        var exitCode: Int
        var truncated: Bool
        var timedOut: Bool
    }

    struct ImageMissing: Error, CustomStringConvertible {
        var image: String
        var description: String { "image '\(image)' does not exist on this Docker host and could not be pulled" }
    }

    static func create(docker: DockerClient, task: TaskDefinition, trajectoryID: String, workerID: String) async throws -> Sandbox {
        guard try await docker.imageExists(task.dockerImage) else { throw ImageMissing(image: task.dockerImage) }
        var spec = ContainerSpec(image: task.dockerImage, command: ["sleep", "infinity"], environment: task.environmentVars,
                                 workingDirectory: workspace,
                                 labels: ["synth.task_id": task.id, "synth.trajectory_id": trajectoryID, "synth.worker_id": workerID])
        spec.memoryLimitBytes = task.resourceLimits.memoryMB * 1024 * 1024
        spec.nanoCPUs = Int(task.resourceLimits.cpuCores * 1_000_000_000)
        spec.pidsLimit = task.resourceLimits.maxProcesses
        spec.workspace = ContainerWorkspace(path: workspace, sizeBytes: Int(task.resourceLimits.diskGB * 1024 * 1024 * 1024))
        // The baseline copy of the initial files (for the final patch) lives in
        // the container's own layer, so the root stays writable for now.
        spec.readonlyRootfs = false
        let id = try await docker.createContainer(spec, name: "synth-\(trajectoryID)")
        let sandbox = Sandbox(docker: docker, containerID: id)
        try await docker.start(id)
        return sandbox
    }

    func writeFiles(_ files: [String: String], under directory: String = workspace) async throws {
        guard !files.isEmpty else { return }
        // Put at "/" with the directory in each path: the archive API needs an
        // existing target, and this way the directory is created if missing.
        let prefix = directory.hasPrefix("/") ? String(directory.dropFirst()) : directory
        // Real modification times: tools (make, pytest's caches, diff -N) treat
        // the epoch as "missing" or "older than everything".
        let now = Int(Date().timeIntervalSince1970)
        let archive = TarArchive(entries: files.sorted(by: { $0.key < $1.key }).map { path, content in
            TarArchive.Entry(path: prefix + "/" + path, kind: .file, content: Array(content.utf8), modificationTime: now)
        })
        try await docker.putArchive(containerID, path: "/", tar: archive.encoded())
    }

    func run(_ command: String, timeoutSeconds: Int, outputLimit: Int) async throws -> CommandOutput {
        let result = try await docker.exec(containerID, command: ["bash", "-c", command], workingDirectory: Self.workspace,
                                           environment: [:], timeout: .seconds(timeoutSeconds), outputLimit: outputLimit)
        var output = String(decoding: result.stdout, as: UTF8.self)
        if !result.stderr.isEmpty { output += String(decoding: result.stderr, as: UTF8.self) }
        return CommandOutput(output: output, exitCode: result.exitCode, truncated: result.truncated, timedOut: result.timedOut)
    }

    func readFile(_ path: String, limit: Int) async throws -> CommandOutput {
        let result = try await docker.exec(containerID, command: ["cat", "--", path], workingDirectory: Self.workspace,
                                           environment: [:], timeout: .seconds(30), outputLimit: limit)
        return CommandOutput(output: result.exitCode == 0 ? String(decoding: result.stdout, as: UTF8.self)
                                                          : String(decoding: result.stderr, as: UTF8.self),
                             exitCode: result.exitCode, truncated: result.truncated, timedOut: result.timedOut)
    }

    /// Content hash and size of every file in the workspace.
    func snapshot() async throws -> [String: FileState] {
        let listing = try await run("find . -type f -not -path './.git/*' -printf '%s\\t%p\\n' | sort -k2; echo ---; "
                                    + "find . -type f -not -path './.git/*' -print0 | xargs -0 -r sha256sum",
                                    timeoutSeconds: 60, outputLimit: 8 * 1024 * 1024)
        let sections = listing.output.components(separatedBy: "---\n")
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
        return files
    }

    /// Unified diff of the workspace against the initial files, with git's
    /// a/ and b/ path prefixes so `git apply` takes it.
    func patch() async throws -> String {
        let result = try await run("cd / && diff -ruN --exclude=__pycache__ --exclude=.pytest_cache \(Self.baseline.dropFirst()) workspace; true",
                                   timeoutSeconds: 60, outputLimit: 4 * 1024 * 1024)
        return Self.gitStyle(result.output, baseline: String(Self.baseline.dropFirst()) + "/", workspace: "workspace/")
    }

    static func gitStyle(_ diff: String, baseline: String, workspace: String) -> String {
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

    func remove() async {
        _ = try? await docker.remove(containerID, force: true)
    }

    static func relative(_ path: String) -> String {
        path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    }
}
