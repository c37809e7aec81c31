import Foundation
import SynthDocker
import Testing

/// The security defaults of `ContainerSpec`, verified from inside.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct DockerIsolationTests {
    let docker: DockerClient

    init() async throws {
        docker = try DockerClient()
        try await BusyboxImage.ensure()
    }

    func run(_ id: String, _ script: String, timeout: Duration = .seconds(20)) async throws -> ExecResult {
        try await docker.exec(id, command: ["sh", "-c", script], timeout: timeout)
    }

    @Test func defaultsAreTheLockedDownOnes() {
        let spec = ContainerSpec(image: "x", command: ["true"])
        #expect(spec.networkMode == "none" && spec.networkDisabled)
        #expect(spec.capDrop == ["ALL"] && spec.capAdd.isEmpty)
        #expect(spec.securityOptions == ["no-new-privileges"])
        #expect(spec.readonlyRootfs && spec.useInit)
        #expect(spec.additionalSwapBytes == 0)
        #expect(spec.workspace == ContainerWorkspace(path: "/workspace", sizeBytes: 512 << 20))
        #expect(spec.tmpfs["/tmp"] != nil)
        #expect(spec.logConfig.options["max-size"] != nil)
    }

    @Test func filesystemIsReadOnlyExceptWorkspaceAndTmp() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            let rootfs = try await run(id, "touch /etc/new-file")
            #expect(rootfs.exitCode != 0)
            #expect(rootfs.stderrText.contains("Read-only file system"))
            let writable = try await run(id, "echo a > /workspace/a && echo b > /tmp/b && cat /workspace/a /tmp/b")
            #expect(writable.exitCode == 0)
            #expect(writable.stdoutText == "a\nb\n")
            // The workspace is a size-limited tmpfs.
            let full = try await run(id, "dd if=/dev/zero of=/workspace/big bs=1M count=100")
            #expect(full.exitCode != 0)
            #expect(full.stderrText.contains("No space left on device"))
            let size = try await run(id, "df -k /workspace | tail -n 1")
            #expect(size.stdoutText.contains("65536"), "\(size.stdoutText)")
        }
    }

    @Test func privilegesAreDropped() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            let status = try await run(id, "grep -E '^(CapEff|NoNewPrivs)' /proc/self/status")
            #expect(status.stdoutText.contains("CapEff:\t0000000000000000"))
            #expect(status.stdoutText.contains("NoNewPrivs:\t1"))
            // Even root cannot chown without CAP_CHOWN.
            let chown = try await run(id, "touch /workspace/f && chown 1:1 /workspace/f")
            #expect(chown.exitCode != 0)
            // docker-init is PID 1.
            #expect(try await run(id, "cat /proc/1/comm").stdoutText == "docker-init\n")
        }
    }

    @Test func networkIsOnlyLoopback() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            let interfaces = try await run(id, "ls /sys/class/net")
            #expect(interfaces.stdoutText == "lo\n")
            // Only once no interface but lo exists is it safe to try a connect:
            // with no route it must fail at once, sending nothing.
            let connect = try await run(id, "[ \"$(ls /sys/class/net)\" = lo ] && nc -w 1 1.1.1.1 80 </dev/null", timeout: .seconds(5))
            #expect(connect.exitCode != 0)
            // "unreachable" is ENETUNREACH from connect() itself; a packet
            // sent into a network would instead time out after nc's 1 s.
            #expect(connect.stderrText.contains("unreachable"), "\(connect.stderrText)")
            #expect(connect.duration < .seconds(3))
        }
    }

    @Test func pidsLimitStopsAForkLoop() async throws {
        let spec = DockerTestSupport.spec { $0.pidsLimit = 24 }
        try await DockerTestSupport.withContainer(docker, spec) { id in
            let result = try await run(id, """
                i=0; while [ $i -lt 100 ]; do sleep 30 >/dev/null 2>&1 & i=$((i+1)); done; echo spawned
                """)
            #expect(result.stderrText.contains("can't fork") || result.stderrText.contains("Resource temporarily unavailable"),
                    "\(result.stderrText)")
            let processes = try await docker.stats(id).processCount
            #expect(try #require(processes) <= 24)
        }
    }

    @Test func memoryHogIsOOMKilled() async throws {
        let spec = DockerTestSupport.spec(["sh", "-c", "head -c 300000000 /dev/zero | tail"]) {
            $0.memoryLimitBytes = 32 << 20
        }
        try await DockerTestSupport.withContainer(docker, spec) { id in
            let exitCode = try await docker.wait(id, timeout: .seconds(60))
            #expect(exitCode == 137)
            let state = try await docker.inspect(id).state
            #expect(state.oomKilled)
            #expect(!state.running)
        }
    }
}
