import Foundation
import SynthCommon
import SynthDocker
import SynthSandbox
import Testing

/// The state read in an agent command's own exec against the real daemon:
/// the command's output, exit code and flags are what they are without the
/// state, and the state is what a separate snapshot reads.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct SandboxStateTests {
    static let image = ProcessInfo.processInfo.environment["SYNTH_BASE_IMAGE"] ?? "synth-python:bookworm"
    static let files = ["main.py": "def add(a, b):\n    return a - b\n", "pkg/util.py": "X = 1\n"]

    /// A sandbox with the files and their baseline, removed after `body`.
    func withSandbox(commandTimeoutSeconds: Int = 30, outputStopBytes: Int = 8 << 20,
                     _ body: (Sandbox) async throws -> Void) async throws {
        let docker = try DockerClient()
        let task = TaskDefinition(id: "sandbox-test-\(UUID().uuidString.lowercased())", instruction: "test", category: "bugfix",
                                  difficulty: .easy, dockerImage: Self.image, initialFiles: Self.files,
                                  verificationTests: [TestSpec(name: "t", command: "true")])
        let settings = SandboxSettings(stackID: "sandbox-tests", processID: UUID().uuidString.lowercased(), outputStopBytes: outputStopBytes,
                                       reaperIntervalSeconds: 30, reaperGraceSeconds: 60)
        let sandbox = try await Sandbox.create(docker: docker, task: task, trajectoryID: UUID().uuidString.lowercased(), workerID: "tests",
                                               settings: settings, deadline: .now + .seconds(300),
                                               commandTimeoutSeconds: commandTimeoutSeconds)
        do {
            try await sandbox.writeFiles(Self.files)
            try await sandbox.writeBaseline(Self.files)
            try await body(sandbox)
        } catch {
            await sandbox.remove()
            throw error
        }
        await sandbox.remove()
    }

    @Test func theStateIsWhatASeparateSnapshotReads() async throws {
        try await withSandbox { sandbox in
            let result = try await sandbox.runAgentCommandWithState(
                "sed -i 's/a - b/a + b/' main.py && echo new > notes.txt && rm pkg/util.py && cd pkg && pwd", outputLimit: 64 * 1024)
            #expect(result.output == "/workspace/pkg\n")
            #expect(result.exitCode == 0)
            let state = try #require(result.state)
            let snapshot = try await sandbox.snapshot()
            #expect(state.files == snapshot.files)
            #expect(state.diff == snapshot.diff)
            #expect(Set(state.files.keys) == ["main.py", "notes.txt"])
            #expect(Set(state.changedFiles) == ["main.py", "notes.txt", "pkg/util.py"])
            #expect(state.diff.contains("+    return a + b"))
        }
    }

    @Test func outputExitCodeAndFlagsMatchTheCommandWithoutState() async throws {
        try await withSandbox { sandbox in
            for command in ["printf 'no newline'; echo to-err >&2; exit 3", "echo; echo", "true", "cat /nonexistent",
                            "yes 0123456789 | head -c 100000"] {
                let plain = try await sandbox.runAgentCommand(command, outputLimit: 4096)
                let folded = try await sandbox.runAgentCommandWithState(command, outputLimit: 4096)
                #expect(folded.output == plain.output, "\(command)")
                #expect(folded.exitCode == plain.exitCode, "\(command)")
                #expect(folded.truncated == plain.truncated, "\(command)")
                #expect(!folded.timedOut && !folded.outputStopped, "\(command)")
                // Output cut at the observation limit still leaves the state whole.
                #expect(folded.state != nil, "\(command)")
            }
        }
    }

    @Test func aCommandKilledAtItsTimeoutBringsNoState() async throws {
        try await withSandbox(commandTimeoutSeconds: 1) { sandbox in
            let result = try await sandbox.runAgentCommandWithState("echo started; sleep 30", outputLimit: 4096)
            #expect(result.timedOut)
            #expect(result.exitCode == 137)
            #expect(result.output == "started\n")
            #expect(result.state == nil)
            // The container is fine, and the separate snapshot reads the state.
            #expect(try await sandbox.snapshot().files.keys.sorted() == ["main.py", "pkg/util.py"])
        }
    }

    @Test func endlessOutputIsStillStoppedAndBringsNoState() async throws {
        try await withSandbox(outputStopBytes: 1 << 20) { sandbox in
            let result = try await sandbox.runAgentCommandWithState("yes flood", outputLimit: 4096)
            #expect(result.outputStopped)
            #expect(result.output.utf8.count <= 4096)
            #expect(result.state == nil)
        }
    }
}
