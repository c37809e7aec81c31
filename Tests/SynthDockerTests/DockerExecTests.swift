import Foundation
import SynthDocker
import Testing

/// exec: output separation, exit codes, caps and timeouts.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct DockerExecTests {
    let docker: DockerClient

    init() async throws {
        docker = try DockerClient()
        try await BusyboxImage.ensure()
    }

    @Test func stdoutAndStderrAreSeparatedWithExitCodes() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            let ok = try await docker.exec(id, command: ["echo", "hello"], timeout: .seconds(10))
            #expect(ok.exitCode == 0)
            #expect(ok.stdoutText == "hello\n")
            #expect(ok.stderr.isEmpty)
            #expect(!ok.timedOut && !ok.truncated)

            let failing = try await docker.exec(
                id, command: ["sh", "-c", "echo to-out; echo to-err >&2; echo more-out; exit 3"], timeout: .seconds(10))
            #expect(failing.exitCode == 3)
            #expect(failing.stdoutText == "to-out\nmore-out\n")
            #expect(failing.stderrText == "to-err\n")
            #expect(!failing.timedOut)
        }
    }

    @Test func environmentWorkingDirectoryAndUserApply() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            let result = try await docker.exec(
                id, command: ["sh", "-c", "echo $GREETING; pwd; id -u"], workingDirectory: "/tmp",
                environment: ["GREETING": "hi there"], user: "65534", timeout: .seconds(10))
            #expect(result.stdoutText == "hi there\n/tmp\n65534\n")
            // The default working directory is the workspace.
            #expect(try await docker.exec(id, command: ["pwd"], timeout: .seconds(10)).stdoutText == "/workspace\n")
        }
    }

    @Test func missingCommandReportsExitCode127() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            let result = try await docker.exec(id, command: ["no-such-command"], timeout: .seconds(10))
            #expect(result.exitCode == 127)
            #expect(!result.stderr.isEmpty)
        }
    }

    @Test func outputIsCappedAndFlagged() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            let limit = 64 * 1024
            let result = try await docker.exec(
                id, command: ["sh", "-c", "yes 0123456789abcdef | head -c 10485760; echo done >&2"],
                timeout: .seconds(30), outputLimit: limit)
            #expect(result.exitCode == 0)
            #expect(result.stdout.count == limit)
            #expect(result.stdoutTruncated)
            #expect(result.truncated)
            #expect(result.stdoutText.hasPrefix("0123456789abcdef\n0123456789abcdef\n"))
            #expect(result.stderrText == "done\n")
            #expect(!result.stderrTruncated)
        }
    }

    @Test func timeoutKillsTheCommand() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            let result = try await docker.exec(id, command: ["sleep", "60"], timeout: .seconds(2))
            #expect(result.timedOut)
            #expect(result.exitCode == 137)
            #expect(!result.containerKilled)
            #expect(result.duration >= .seconds(2))
            #expect(result.duration < .seconds(5), "took \(result.duration)")
            // Only the command died; the container keeps serving execs.
            #expect(try await docker.inspect(id).state.running)
            #expect(try await docker.exec(id, command: ["echo", "alive"], timeout: .seconds(10)).stdoutText == "alive\n")
        }
    }

    @Test func runawayOutsideTheKillIsStoppedByKillingTheContainer() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            // Without the in-container `timeout`, only the host-side deadline can stop it.
            let result = try await docker.exec(id, command: ["sleep", "60"], timeout: .seconds(2), killInContainer: false)
            #expect(result.timedOut)
            #expect(result.containerKilled)
            #expect(result.duration < .seconds(8), "took \(result.duration)")
            #expect(try await docker.inspect(id).state.running == false)
        }
    }

    @Test func backgroundChildHoldingOutputOpenStillEnds() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            // The shell is killed at 2 s but its orphan keeps stdout open.
            let result = try await docker.exec(id, command: ["sh", "-c", "sleep 60 & sleep 60"], timeout: .seconds(2))
            #expect(result.timedOut)
            #expect(result.duration < .seconds(8), "took \(result.duration)")
        }
    }

    @Test func endlessOutputIsStoppedAndItsProcessesKilled() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            // `yes` never ends on its own; a child in the background writes too.
            let result = try await docker.exec(id, command: ["sh", "-c", "yes spam >&2 & yes 0123456789abcdef"],
                                               timeout: .seconds(60), outputLimit: 4096, stopAfterBytes: 1 << 20)
            #expect(result.outputStopped)
            #expect(result.truncated)
            #expect(result.outputBytes > 1 << 20)
            #expect(result.stdout.count <= 4096)
            #expect(!result.timedOut)
            #expect(result.duration < .seconds(20), "took \(result.duration)")
            // Every writer is gone and the container still serves execs.
            let left = try await docker.exec(id, command: ["sh", "-c", "ps -o comm | grep -c '^yes$' || true"], timeout: .seconds(10))
            #expect(left.stdoutText == "0\n")
            #expect(try await docker.inspect(id).state.running)
        }
    }

    @Test func outputUnderTheStopLimitIsNotStopped() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            let result = try await docker.exec(id, command: ["sh", "-c", "yes ab | head -c 100000"],
                                               timeout: .seconds(30), outputLimit: 1000, stopAfterBytes: 1 << 20)
            #expect(!result.outputStopped)
            #expect(result.exitCode == 0)
            #expect(result.stdoutTruncated)
            #expect(result.outputBytes >= 100000)
        }
    }

    @Test func extraVolumesAreWritableBesideAReadOnlyRoot() async throws {
        let spec = DockerTestSupport.spec { spec in
            spec.extraVolumes = [ContainerWorkspace(path: "/var/lib/synth", sizeBytes: 1 << 20)]
        }
        try await DockerTestSupport.withContainer(docker, spec) { id in
            let write = try await docker.exec(id, command: ["sh", "-c", "echo x > /var/lib/synth/a && cat /var/lib/synth/a && ! touch /etc/x"],
                                              timeout: .seconds(10))
            #expect(write.exitCode == 0, "\(write.stderrText)")
            // The size limit holds: 2 MiB do not fit in 1 MiB.
            let fill = try await docker.exec(id, command: ["sh", "-c", "dd if=/dev/zero of=/var/lib/synth/big bs=1024 count=2048"],
                                             timeout: .seconds(10))
            #expect(fill.exitCode != 0)
            #expect(fill.stderrText.contains("No space left"), "\(fill.stderrText)")
            _ = try await docker.exec(id, command: ["rm", "-f", "/var/lib/synth/big"], timeout: .seconds(10))
            // The archive API sees the volume (the platform writes the baseline
            // there); the target must be the volume, not the read-only root.
            var archive = TarArchive()
            archive.addFile(path: "base/f.txt", text: "base")
            try await docker.putArchive(id, path: "/var/lib/synth", tar: archive.encoded())
            await #expect(throws: DockerError.self) { try await docker.putArchive(id, path: "/", tar: archive.encoded()) }
            #expect(try await docker.exec(id, command: ["cat", "/var/lib/synth/base/f.txt"], timeout: .seconds(10)).stdoutText == "base")
        }
    }
}
