import Foundation
import Logging
import ServiceLifecycle
import SynthCommon

/// `capacity` slots, each pulling the next task when it is free, so load
/// spreads over executors by itself. A lease is heartbeated while its episode
/// runs and acknowledged only after the episode's final event was delivered:
/// an executor killed mid-episode lets the lease expire and the scheduler
/// hands the task to another worker.
struct WorkerPool: Service {
    let runner: EpisodeRunner
    let queue: TaskQueue
    let publisher: EventPublisher
    let settings: ExecutorSettings
    let logger: Logger

    func run() async throws {
        try? await publisher.publish(WorkerStatusChanged(workerID: settings.workerID, status: "registered", activeTasks: 0, capacity: settings.capacity))
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for slot in 0..<settings.capacity {
                    group.addTask { await runSlot(slot) }
                }
            }
        } onGracefulShutdown: {
            logger.info("worker_draining")
        }
        try? await publisher.publish(WorkerStatusChanged(workerID: settings.workerID, status: "shutdown", activeTasks: 0, capacity: settings.capacity))
    }

    /// Stops taking new tasks at shutdown, but lets the current episode finish.
    private func runSlot(_ slot: Int) async {
        var idleDelay = 0.05
        while !isShuttingDown() {
            do {
                guard let lease = try await queue.lease(workerID: settings.workerID, leaseSeconds: settings.leaseSeconds,
                                                        maxInflight: settings.maxConcurrentTasks) else {
                    try? await Task.sleep(for: .seconds(idleDelay))
                    idleDelay = min(idleDelay * 2, 0.5)
                    continue
                }
                idleDelay = 0.05
                do {
                    try await withHeartbeat(lease) { try await runner.run(lease) }
                } catch let failure as EpisodeRunner.InfrastructureFailure {
                    try await retryOrGiveUp(lease, failure)
                    continue
                }
                try await queue.ack(lease)
            } catch {
                logger.error("worker_slot_error", metadata: ["slot": "\(slot)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Requeues the task after an infrastructure failure, or fails it for good
    /// once it has used its attempts.
    private func retryOrGiveUp(_ lease: TaskLease, _ failure: EpisodeRunner.InfrastructureFailure) async throws {
        let requeued = try await queue.retry(lease, maxAttempts: settings.maxAttempts)
        logger.warning(requeued ? "task_retry_scheduled" : "task_attempts_exhausted",
                       metadata: ["task_id": "\(lease.taskID)", "attempt": "\(lease.attempt)", "error": "\(failure)"])
        let message = requeued ? "\(failure)" : "gave up after \(lease.attempt) attempts: \(failure)"
        try await publisher.publish(TaskFailed(taskID: lease.taskID, trajectoryID: failure.trajectoryID, workerID: settings.workerID,
                                               error: message, retryable: requeued, attempt: lease.attempt))
        if !requeued { try await queue.ack(lease) }
    }

    private func isShuttingDown() -> Bool {
        Task.isShuttingDownGracefully || Task.isCancelled
    }

    private func withHeartbeat(_ lease: TaskLease, _ body: @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(settings.leaseSeconds / 3))
                    if try await !queue.heartbeat(lease, leaseSeconds: settings.leaseSeconds) {
                        logger.warning("lease_lost", metadata: ["task_id": "\(lease.taskID)"])
                    }
                }
            }
            try await body()
            group.cancelAll()
        }
    }
}
