import Foundation
import Logging
import Metrics
import SynthCommon

/// Handles task events: queues submitted tasks, drops cancelled ones.
struct Scheduler: Sendable {
    let queue: TaskQueue
    let publisher: EventPublisher
    let settings: SchedulerSettings
    let logger: Logger

    func handle(_ event: ConsumedEvent) async throws {
        switch event.header.type {
        case TaskSubmitted.eventType:
            let envelope = try event.decode(TaskSubmitted.self)
            let task = envelope.payload.task
            let score = settings.weights.score(difficulty: task.difficulty.level, scarcity: 0, enqueuedAt: envelope.occurredAt)
            let added = try await queue.enqueue(task, score: score)
            // Published on redelivery too: the collector's status update is idempotent.
            try await publisher.publish(TaskQueued(taskID: task.id, priority: -score))
            if added {
                logger.info("task_queued", metadata: ["task_id": "\(task.id)", "score": "\(score)"])
                try await reportDepth()
            }
        case TaskCancelled.eventType:
            let taskID = try event.payload(TaskCancelled.self).taskID
            try await queue.cancel(taskID: taskID)
            logger.info("task_cancel_flagged", metadata: ["task_id": "\(taskID)"])
        default:
            break
        }
    }

    /// Returns expired leases to the queue, dead-letters tasks out of attempts.
    func reap() async throws {
        let (requeued, dead) = try await queue.reapExpired(maxAttempts: settings.maxAttempts)
        for id in requeued {
            Counter(label: "synth_leases_expired_total").increment()
            logger.warning("lease_expired_requeued", metadata: ["task_id": "\(id)"])
            try await publisher.publish(TaskQueued(taskID: id, priority: 0))
        }
        for id in dead {
            Counter(label: "synth_dead_letters_total").increment()
            logger.error("task_dead_lettered", metadata: ["task_id": "\(id)"])
            try await publisher.publish(TaskFailed(taskID: id, trajectoryID: nil, workerID: nil,
                                                   error: "dead-lettered: its worker stopped responding \(settings.maxAttempts) times",
                                                   retryable: false, attempt: settings.maxAttempts))
        }
        if !requeued.isEmpty || !dead.isEmpty { try await reportDepth() }
    }

    func reportDepth() async throws {
        let depth = try await queue.depth()
        Gauge(label: "synth_queue_depth", dimensions: [("state", "ready")]).record(depth.ready)
        Gauge(label: "synth_queue_depth", dimensions: [("state", "inflight")]).record(depth.inflight)
        try await publisher.publish(QueueDepthChanged(depth: depth.ready))
    }
}
