import Foundation
import SynthDocker
import SynthHTTPClient
import Testing

/// Daemon-level calls: system, images, lifecycle, listing, errors.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct DockerClientTests {
    let docker: DockerClient

    init() async throws {
        docker = try DockerClient()
        try await BusyboxImage.ensure()
    }

    @Test func pingAndVersion() async throws {
        try await docker.ping()
        let version = try await docker.version()
        #expect(!version.version.isEmpty)
        #expect(version.operatingSystem == "linux")
    }

    @Test func imageExistsReportsPresence() async throws {
        #expect(try await docker.imageExists(BusyboxImage.reference))
        #expect(try await docker.imageExists("synth-test-absent-\(DockerTestSupport.uniqueSuffix()):latest") == false)
    }

    @Test func importCreatesAnImageFromATarball() async throws {
        let repository = "synth-test-import-\(DockerTestSupport.uniqueSuffix())"
        var rootfs = TarArchive()
        rootfs.addFile(path: "hello.txt", text: "imported\n")
        try await docker.importImage(tar: rootfs.encoded(), repository: repository, tag: "v1")
        #expect(try await docker.imageExists("\(repository):v1"))
        try await docker.removeImage("\(repository):v1")
        #expect(try await docker.imageExists("\(repository):v1") == false)
    }

    @Test func pullWithoutRegistrySurfacesTheDaemonMessage() async throws {
        let error = await #expect(throws: DockerError.self) {
            try await docker.pullImage("synth-no-such-image-\(DockerTestSupport.uniqueSuffix()):1", timeout: .seconds(90))
        }
        let message = try #require(error?.message)
        #expect(!message.isEmpty)
        // Whatever the cause (DNS, no route, not found), it is the daemon's text, not ours.
        #expect(message.contains("registry") || message.contains("dial") || message.contains("lookup")
                || message.contains("not found") || message.contains("denied"), "\(message)")
    }

    @Test func createWithMissingImageSurfacesTheDaemonMessage() async throws {
        let image = "synth-test-absent-\(DockerTestSupport.uniqueSuffix()):latest"
        let error = await #expect(throws: DockerError.self) {
            _ = try await docker.createContainer(ContainerSpec(image: image, command: ["true"]))
        }
        #expect(error?.status == 404)
        #expect(error?.message.contains("No such image") == true, "\(String(describing: error))")
        #expect(error?.message.contains(image) == true)
    }

    @Test func lifecycleStartInspectStopWaitRemove() async throws {
        let spec = DockerTestSupport.spec(["sleep", "300"])
        let id = try await docker.createContainer(spec, name: "synth-test-\(DockerTestSupport.uniqueSuffix())")
        do {
            #expect(try await docker.inspect(id).state.status == "created")
            try await docker.start(id)
            try await docker.start(id)  // already running: not an error
            let running = try await docker.inspect(id)
            #expect(running.state.running)
            #expect(running.name.hasPrefix("synth-test-"))
            #expect(running.labels[DockerTestSupport.testLabel] == "SynthDockerTests")

            let stats = try await docker.stats(id)
            #expect(stats.memoryLimitBytes == spec.memoryLimitBytes)
            #expect(stats.memoryUsageBytes > 0)
            #expect(stats.cpuTotalNanoseconds > 0)

            try await docker.stop(id, timeout: .seconds(5))
            // docker-init forwards SIGTERM and sleep dies of it (128 + 15);
            // on a loaded host the 5 s grace can run out first and dockerd
            // sends SIGKILL (128 + 9). Either way wait reports what inspect does.
            let code = try await docker.wait(id, timeout: .seconds(10))
            #expect(code == 143 || code == 137, "exit code \(code)")
            let stopped = try await docker.inspect(id)
            #expect(!stopped.state.running)
            #expect(stopped.state.exitCode == code)
            let error = await #expect(throws: DockerError.self) { try await docker.kill(id) }
            #expect(error?.status == 409)
        } catch {
            try? await docker.remove(id)
            throw error
        }
        try await docker.remove(id)
        try await docker.remove(id)  // already gone: still fine
        let gone = await #expect(throws: DockerError.self) { _ = try await docker.inspect(id) }
        #expect(gone?.isNotFound == true)
    }

    @Test func killStopsARunningContainer() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            try await docker.kill(id, signal: "KILL")
            #expect(try await docker.wait(id, timeout: .seconds(10)) == 137)
        }
    }

    @Test func removeForceRemovesRunningContainers() async throws {
        let id = try await docker.createContainer(DockerTestSupport.spec())
        try await docker.start(id)
        try await docker.remove(id, force: true)
        let error = await #expect(throws: DockerError.self) { _ = try await docker.inspect(id) }
        #expect(error?.isNotFound == true)
    }

    @Test func listContainersFiltersByLabel() async throws {
        let run = DockerTestSupport.uniqueSuffix()
        let tagged = DockerTestSupport.spec(labels: ["synth.test.run": run])
        let other = DockerTestSupport.spec(labels: ["synth.test.run": run + "-other"])
        try await DockerTestSupport.withContainer(docker, tagged, start: false) { first in
            try await DockerTestSupport.withContainer(docker, tagged) { second in
                try await DockerTestSupport.withContainer(docker, other, start: false) { _ in
                    let listed = try await docker.listContainers(labels: ["synth.test.run": run], all: true)
                    #expect(Set(listed.map(\.id)) == [first, second])
                    #expect(listed.allSatisfy { $0.labels["synth.test.run"] == run })
                    let runningOnly = try await docker.listContainers(labels: ["synth.test.run": run], all: false)
                    #expect(runningOnly.map(\.id) == [second])
                }
            }
        }
        #expect(try await docker.listContainers(labels: ["synth.test.run": run]).isEmpty)
    }
}
