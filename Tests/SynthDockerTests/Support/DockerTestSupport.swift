import Foundation
import SynthDocker

/// Shared helpers for tests that talk to the real daemon.
enum DockerTestSupport {
    /// Every container a test creates carries this label, so leftovers from
    /// a crashed run are easy to find: `docker ps -a --filter label=synth.test`.
    static let testLabel = "synth.test"

    static func spec(
        _ command: [String] = ["sleep", "300"],
        labels: [String: String] = [:],
        configure: (inout ContainerSpec) -> Void = { _ in }
    ) -> ContainerSpec {
        var spec = ContainerSpec(image: BusyboxImage.reference, command: command,
                                 labels: labels.merging([testLabel: "SynthDockerTests"]) { current, _ in current })
        // Small limits keep the tests light on a shared machine.
        spec.memoryLimitBytes = 256 << 20
        spec.workspace?.sizeBytes = 64 << 20
        configure(&spec)
        return spec
    }

    /// Creates (and by default starts) a container, runs `body`, and removes
    /// the container whether `body` succeeds or throws.
    static func withContainer<T>(
        _ docker: DockerClient,
        _ spec: ContainerSpec,
        start: Bool = true,
        _ body: (String) async throws -> T
    ) async throws -> T {
        let id = try await docker.createContainer(spec)
        do {
            if start { try await docker.start(id) }
            let result = try await body(id)
            try await docker.remove(id)
            return result
        } catch {
            try? await docker.remove(id)
            throw error
        }
    }

    static func uniqueSuffix() -> String {
        UUID().uuidString.prefix(8).lowercased()
    }
}
