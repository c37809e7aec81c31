import Foundation
import Logging
import Metrics
import ServiceLifecycle
import SynthCommon

/// `capacity` slots; whenever some are free the pool leases that many tasks
/// in one call (workers pull, so load spreads over executors by itself). A
/// lease is heartbeated while its episode runs and acknowledged only after
/// the episode's final event was delivered:
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
        let startedAt = Date()
        let reporter = Task { await reportWhileRunning(startedAt: startedAt) }
        await withGracefulShutdownHandler {
            await leaseWhileRunning()
        } onGracefulShutdown: {
            logger.info("worker_draining")
        }
        reporter.cancel()
        try? await queue.reportWorker(workerID: settings.workerID, status: "stopped", capacity: settings.capacity, activeTasks: 0,
                                      startedAt: startedAt)
        try? await publisher.publish(WorkerStatusChanged(workerID: settings.workerID, status: "shutdown", activeTasks: 0, capacity: settings.capacity))
    }

    /// The worker's Redis heartbeat, which `GET /api/v1/workers` reads.
    private func reportWhileRunning(startedAt: Date) async {
        while !Task.isCancelled {
            let draining = (try? await queue.isStopRequested(workerID: settings.workerID)) ?? false
            let active = (try? await queue.worker(id: settings.workerID))?.leases ?? 0
            try? await queue.reportWorker(workerID: settings.workerID, status: draining ? "draining" : "active",
                                          capacity: settings.capacity, activeTasks: active, startedAt: startedAt)
            try? await Task.sleep(for: .seconds(5))
        }
    }

    /// Leases for all free slots at once and runs each task in its own child.
    /// Stops taking new tasks at shutdown (or an operator's stop), but lets
    /// the running episodes finish.
    private func leaseWhileRunning() async {
        let slots = FreeSlots(settings.capacity)
        await withDiscardingTaskGroup { group in
            var idleDelay = 0.05
            while !isShuttingDown() {
                let free = await slots.available()
                if isShuttingDown() { break }
                do {
                    // An operator's POST /api/v1/workers/{id}/stop: finish the current episodes, take no more.
                    if try await queue.isStopRequested(workerID: settings.workerID) {
                        logger.info("worker_stop_requested")
                        break
                    }
                    let leases = try await queue.lease(workerID: settings.workerID, upTo: free, leaseSeconds: settings.leaseSeconds,
                                                       maxInflight: settings.maxConcurrentTasks, workerCapacity: settings.capacity)
                    guard !leases.isEmpty else {
                        try? await Task.sleep(for: .seconds(idleDelay))
                        idleDelay = min(idleDelay * 2, 0.5)
                        continue
                    }
                    idleDelay = 0.05
                    await slots.take(leases.count)
                    for lease in leases {
                        group.addTask {
                            await runEpisode(lease)
                            await slots.release()
                        }
                    }
                } catch {
                    logger.error("worker_lease_error", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// Runs one leased task with heartbeats, then acks, retries or fails it.
    private func runEpisode(_ lease: TaskLease) async {
        do {
            let watch = LeaseWatch()
            do {
                try await withHeartbeat(lease, watch) { try await runner.run(lease) }
            } catch let failure as EpisodeRunner.InfrastructureFailure {
                // A container the watchdog killed fails like broken infrastructure; it is not.
                if let stop = watch.stop {
                    try await stopped(lease, stop, failure)
                } else {
                    try await retryOrGiveUp(lease, failure)
                }
                return
            }
            if watch.stop == .leaseLost { return }
            try await queue.ack(lease)
        } catch {
            // The lease is not acked: it expires and the reaper hands the task out again.
            logger.error("worker_episode_error", metadata: ["task_id": "\(lease.taskID)", "error": "\(error)"])
            // Paces a broken dependency (Kafka, Redis) instead of leasing the next task at once.
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Requeues the task after an infrastructure failure, or fails it for good
    /// once it has used its attempts.
    private func retryOrGiveUp(_ lease: TaskLease, _ failure: EpisodeRunner.InfrastructureFailure) async throws {
        let policy = RetryPolicy(maxAttempts: settings.maxAttempts, baseDelaySeconds: settings.retryBaseSeconds,
                                 maxDelaySeconds: settings.retryMaxSeconds)
        let outcome = try await queue.retry(lease, policy: policy, reason: "\(failure)")
        let requeued: Bool
        switch outcome {
        case .retried(let readyAt):
            requeued = true
            Counter(label: "synth_task_retries_total", dimensions: [("reason", "infrastructure")]).increment()
            try await publisher.publish(TaskRetried(taskID: lease.taskID, attempt: lease.attempt, reason: "\(failure)", retryAt: readyAt))
        case .deadLettered:
            requeued = false
            Counter(label: "synth_dead_letters_total", dimensions: [("reason", "infrastructure")]).increment()
        case .notHeld:
            // The lease expired under us and the reaper already requeued it: not ours to report.
            logger.warning("task_retry_lease_lost", metadata: ["task_id": "\(lease.taskID)", "error": "\(failure)"])
            return
        }
        logger.warning(requeued ? "task_retry_scheduled" : "task_attempts_exhausted",
                       metadata: ["task_id": "\(lease.taskID)", "attempt": "\(lease.attempt)", "error": "\(failure)"])
        let message = requeued ? "\(failure)" : "dead-lettered: gave up after \(lease.attempt) attempts: \(failure)"
        try await publisher.publish(TaskFailed(taskID: lease.taskID, trajectoryID: failure.trajectoryID, workerID: settings.workerID,
                                               error: message, retryable: requeued, attempt: lease.attempt))
    }

    /// The episode was stopped from outside (cancel, timeout): final, no retry.
    private func stopped(_ lease: TaskLease, _ stop: LeaseWatch.Stop, _ failure: EpisodeRunner.InfrastructureFailure) async throws {
        let message: String
        switch stop {
        case .cancelled: message = "cancelled"
        case .timedOut(let seconds): message = "timeout: the task ran longer than its timeout_seconds (\(seconds) s)"
        case .leaseLost: return
        }
        logger.warning("episode_stopped", metadata: ["task_id": "\(lease.taskID)", "reason": "\(message)"])
        try await publisher.publish(TaskFailed(taskID: lease.taskID, trajectoryID: failure.trajectoryID, workerID: settings.workerID,
                                               error: message, retryable: false, attempt: lease.attempt))
        try await queue.ack(lease)
    }

    private func isShuttingDown() -> Bool {
        Task.isShuttingDownGracefully || Task.isCancelled
    }

    /// Heartbeats the lease and watches the episode once a second: a
    /// cancelled task, one past its timeout (plus a grace for verification),
    /// or a lost lease gets its container killed within about a second.
    private func withHeartbeat(_ lease: TaskLease, _ watch: LeaseWatch, _ body: @Sendable () async throws -> Void) async throws {
        let timeout = lease.task?.timeoutSeconds ?? 0
        let killAt = ContinuousClock.now + .seconds(timeout > 0 ? timeout + 15 : Int.max / 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var lastBeat = ContinuousClock.now
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(1))
                    var stop: LeaseWatch.Stop?
                    if ContinuousClock.now - lastBeat >= .seconds(settings.leaseSeconds / 3) {
                        lastBeat = ContinuousClock.now
                        if try await !queue.heartbeat(lease, leaseSeconds: settings.leaseSeconds) {
                            logger.warning("lease_lost", metadata: ["task_id": "\(lease.taskID)"])
                            stop = .leaseLost
                        }
                    }
                    if stop == nil, try await queue.isCancelled(taskID: lease.taskID) { stop = .cancelled }
                    if stop == nil, ContinuousClock.now >= killAt { stop = .timedOut(seconds: timeout) }
                    if let stop, watch.record(stop) {
                        await killContainers(of: lease.taskID, reason: stop)
                    }
                }
            }
            do {
                try await body()
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
    }

    private func killContainers(of taskID: String, reason: LeaseWatch.Stop) async {
        let containers = (try? await runner.docker.listContainers(labels: ["synth.task_id": taskID])) ?? []
        for container in containers {
            try? await runner.docker.kill(container.id)
        }
        logger.warning("episode_killed", metadata: ["task_id": "\(taskID)", "reason": "\(reason)", "containers": "\(containers.count)"])
    }
}
