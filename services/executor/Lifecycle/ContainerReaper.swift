import Foundation
import Logging
import ServiceLifecycle
import SynthCommon
import SynthSandbox
import SynthDocker
import SynthRedis

/// Removes this stack's task containers whose task is no longer running:
/// left by an executor that crashed (or was SIGKILLed) mid-episode, or by a
/// removal that failed. Runs at start-up and then periodically.
///
/// A container is kept when it is one of this process's live episodes, or
/// when its task is still leased (in-flight, lease not expired) by the worker
/// named in its labels — another executor of the same stack. Containers of
/// other stacks (another `synth.stack` label) or not made by an executor are
/// never looked at.
struct ContainerReaper: Service {
    let docker: DockerClient
    let redis: RedisClient
    let settings: SandboxSettings
    let workerID: String
    let active: ActiveContainers
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await reapOnce()
            } catch {
                logger.warning("reaper_failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(settings.reaperIntervalSeconds))
        }
    }

    /// One pass; returns the ids it removed.
    func reapOnce(now: Date = Date()) async throws -> [String] {
        let containers = try await docker.listContainers(labels: ContainerLabels.ofStack(settings.stackID))
        var removed: [String] = []
        for container in containers {
            guard let reason = try await orphanReason(container, now: now) else { continue }
            try await docker.remove(container.id, force: true)
            removed.append(container.id)
            logger.warning("container_reaped", metadata: [
                "container": "\(container.id.prefix(12))", "task_id": "\(container.labels[ContainerLabels.task] ?? "")",
                "reason": "\(reason)", "active": "\(active.count)"])
        }
        return removed
    }

    private func orphanReason(_ container: ContainerSummary, now: Date) async throws -> String? {
        let labels = container.labels
        // Too young: it may be an episode between create and registering.
        if Double(container.created) > now.timeIntervalSince1970 - settings.reaperGraceSeconds { return nil }
        if active.contains(container.id) { return nil }
        guard let taskID = labels[ContainerLabels.task] else { return "no task label" }
        let mine = labels[ContainerLabels.process] == settings.processID
        if !mine && labels[ContainerLabels.worker] == workerID {
            return "left by an earlier process of this worker"
        }
        let deadline = try await redis.command("ZSCORE", QueueKeys.inflight, taskID).string.flatMap(Double.init)
        guard let deadline, deadline > now.timeIntervalSince1970 * 1000 else { return "task not in flight" }
        let holder = try await redis.command("HGET", QueueKeys.holder, taskID).string
        guard holder == labels[ContainerLabels.worker] else { return "task leased by another worker" }
        // Still leased by its worker: if that is this process, the episode
        // is between steps of its bookkeeping; either way, not an orphan.
        return nil
    }
}
