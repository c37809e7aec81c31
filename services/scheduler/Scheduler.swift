import Foundation
import Logging
import Metrics
import SynthCommon

/// Handles task events: queues submitted tasks by priority, drops cancelled
/// ones, counts finished ones per category (the under-representation weight),
/// and returns or dead-letters tasks whose worker stopped heartbeating.
struct Scheduler: Sendable {
    let queue: TaskQueue
    let publisher: EventPublisher
    let settings: SchedulerSettings
    let categories: CategoryCounts
    let logger: Logger

    init(queue: TaskQueue, publisher: EventPublisher, settings: SchedulerSettings, logger: Logger) {
        self.queue = queue
        self.publisher = publisher
        self.settings = settings
        self.categories = CategoryCounts(queue: queue, maxAge: settings.categoryCacheSeconds)
        self.logger = logger
    }

    /// Handles events in order; each run of consecutive TaskSubmitted events
    /// is queued with one batched enqueue and its TaskQueued events go out
    /// together. Idempotent, so a batch retried whole changes nothing twice.
    func handle(_ events: [ConsumedEvent]) async throws {
        var submitted: [(EventEnvelope<TaskSubmitted>, ConsumedEvent)] = []
        for event in events {
            if event.header.type == TaskSubmitted.eventType {
                do {
                    submitted.append((try event.decode(TaskSubmitted.self), event))
                } catch is DecodingError {
                    logger.error("event_payload_undecodable", metadata: ["type": "\(event.header.type)", "event_id": "\(event.header.eventID)"])
                }
                continue
            }
            try await enqueue(submitted)
            submitted = []
            do {
                try await handle(event)
            } catch is DecodingError {
                logger.error("event_payload_undecodable", metadata: ["type": "\(event.header.type)", "event_id": "\(event.header.eventID)"])
            }
        }
        try await enqueue(submitted)
    }

    private func enqueue(_ submitted: [(EventEnvelope<TaskSubmitted>, ConsumedEvent)]) async throws {
        guard !submitted.isEmpty else { return }
        let finished = try await categories.current()
        var priorities: [Double] = []
        var entries: [QueueEntry] = []
        for (envelope, event) in submitted {
            let task = envelope.payload.task
            let scarcity = PriorityWeights.scarcity(of: task.category, finished: finished)
            // Ageing counts from submission, so a task redelivered late keeps its place.
            let score = settings.weights.score(difficulty: task.difficulty.level, scarcity: scarcity, enqueuedAt: envelope.occurredAt)
            if let encoded = Self.encodedTask(in: event) {
                entries.append(QueueEntry(task: task, encoded: encoded, score: score, enqueuedAt: envelope.occurredAt))
            } else {
                entries.append(QueueEntry(task: task, score: score, enqueuedAt: envelope.occurredAt))
            }
            priorities.append(settings.weights.difficulty * task.difficulty.level + settings.weights.category * scarcity)
        }
        let added = try await queue.enqueue(entries)
        var queued: [EncodedEvent] = []
        for (index, entry) in entries.enumerated() {
            let task = entry.task
            if added[index] {
                Counter(label: "synth_tasks_queued_total", dimensions: [("category", task.category)]).increment()
                logger.info("task_queued", metadata: ["task_id": "\(task.id)", "priority": "\(priorities[index])"])
            } else if try await queue.isCancelled(taskID: task.id) {
                continue
            }
            // A redelivered task is announced again (we may have died before publishing): the collector's update is idempotent.
            queued.append(try publisher.encode(TaskQueued(taskID: task.id, priority: priorities[index])))
        }
        try await publisher.sendAll(queued)
    }

    /// The task's JSON as the event carries it, passed to the queue as is.
    /// Only when it names its id and creation time: decoding fills those two
    /// with fresh values when absent, so the worker would read another task.
    static func encodedTask(in event: ConsumedEvent) -> [UInt8]? {
        guard let slice = JSONMemberScanner.value(at: ["payload", "task"], in: event.bytes),
              JSONMemberScanner.hasMembers(["id", "created_at"], in: slice) else { return nil }
        return Array(slice)
    }

    func handle(_ event: ConsumedEvent) async throws {
        switch event.header.type {
        case TaskSubmitted.eventType:
            try await enqueue([(try event.decode(TaskSubmitted.self), event)])
        case TaskCancelled.eventType:
            let taskID = try event.payload(TaskCancelled.self).taskID
            let wasWaiting = try await queue.cancel(taskID: taskID)
            Counter(label: "synth_tasks_cancelled_total", dimensions: [("state", wasWaiting ? "queued" : "running")]).increment()
            logger.info("task_cancel_flagged", metadata: ["task_id": "\(taskID)", "was_queued": "\(wasWaiting)"])
        case TaskCompleted.eventType:
            let completed = try event.payload(TaskCompleted.self)
            if let category = try await queue.category(taskID: completed.taskID) {
                try await queue.recordFinished(category: category, eventID: event.header.eventID)
            }
        default:
            break
        }
    }

    /// Returns expired leases to the queue after a backoff, dead-letters tasks
    /// out of attempts, and promotes retries whose backoff has passed.
    func reap(now: Date = Date()) async throws {
        let (requeued, dead) = try await queue.reapExpired(policy: settings.reapPolicy, now: now)
        for id in requeued {
            Counter(label: "synth_leases_expired_total").increment()
            Counter(label: "synth_task_retries_total", dimensions: [("reason", "lease_expired")]).increment()
            let meta = try await queue.meta(taskID: id)
            let attempt = Int(meta["attempts"] ?? "") ?? 0
            let reason = meta["last_error"] ?? "lease expired"
            logger.warning("lease_expired_requeued", metadata: ["task_id": "\(id)", "attempt": "\(attempt)"])
            let retryAt = now.addingTimeInterval(settings.reapPolicy.ceiling(afterAttempt: attempt))
            try await publisher.publish(TaskRetried(taskID: id, attempt: attempt, reason: reason, retryAt: retryAt))
            try await publisher.publish(TaskFailed(taskID: id, trajectoryID: nil, workerID: nil, error: reason, retryable: true,
                                                   attempt: attempt))
        }
        for id in dead {
            Counter(label: "synth_leases_expired_total").increment()
            Counter(label: "synth_dead_letters_total", dimensions: [("reason", "lease_expired")]).increment()
            let meta = try await queue.meta(taskID: id)
            let reason = meta["dead_reason"] ?? "dead-lettered"
            logger.error("task_dead_lettered", metadata: ["task_id": "\(id)", "reason": "\(reason)"])
            try await publisher.publish(TaskFailed(taskID: id, trajectoryID: nil, workerID: nil, error: "dead-lettered: \(reason)",
                                                   retryable: false, attempt: Int(meta["attempts"] ?? "") ?? settings.maxAttempts))
        }
        _ = try await queue.promoteDue(now: now)
    }
}
