import Foundation
import Logging
import Metrics
import SynthCommon

/// Dispatches each event to the store. Every write is an upsert keyed by the
/// event's natural key, so a redelivered or reordered event changes nothing.
struct TrajectoryCollector: Sendable {
    let store: TrajectoryStore
    let publisher: EventPublisher
    let logger: Logger

    func handle(_ event: ConsumedEvent) async throws {
        switch event.header.type {
        case TaskSubmitted.eventType:
            try await store.advance(taskID: try event.payload(TaskSubmitted.self).task.id, to: .submitted)
        case TaskQueued.eventType:
            try await store.advance(taskID: try event.payload(TaskQueued.self).taskID, to: .queued)
        case TaskAssigned.eventType:
            let payload = try event.payload(TaskAssigned.self)
            try await store.advance(taskID: payload.taskID, to: .assigned, workerID: payload.workerID, attempt: payload.attempt)
        case TaskStarted.eventType:
            let started = try event.decode(TaskStarted.self)
            try await store.start(started.payload, at: started.occurredAt)
        case StepExecuted.eventType:
            let step = try event.payload(StepExecuted.self)
            try await store.record(step)
            Recorder(label: "synth_step_reward").record(step.transition.reward)
        case TaskCompleted.eventType:
            let completed = try event.decode(TaskCompleted.self)
            let payload = completed.payload
            try await store.complete(payload, at: completed.occurredAt)
            Counter(label: "synth_tasks_completed_total", dimensions: [("result", payload.result.typeName)]).increment()
            Recorder(label: "synth_trajectory_length_steps").record(payload.totalSteps)
            Recorder(label: "synth_trajectory_reward_total").record(payload.reward.total)
            Recorder(label: "synth_trajectory_tokens_total").record(payload.totalTokens)
            Recorder(label: "synth_task_duration_seconds").record(payload.executionTimeSeconds)
            try await publisher.publish(TrajectoryStored(trajectoryID: payload.trajectoryID, taskID: payload.taskID))
            logger.info("trajectory_stored", metadata: ["task_id": "\(payload.taskID)", "trajectory_id": "\(payload.trajectoryID)",
                                                        "reward": "\(payload.reward.total)"])
        case TaskFailed.eventType:
            let payload = try event.payload(TaskFailed.self)
            try await store.fail(payload)
            Counter(label: "synth_tasks_failed_total").increment()
        case TaskCancelled.eventType:
            try await store.advance(taskID: try event.payload(TaskCancelled.self).taskID, to: .cancelled)
        default:
            break
        }
    }
}
