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
}
