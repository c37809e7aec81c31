import Foundation
import Logging
import Metrics
import SynthCommon
import SynthObjectStore

/// Dispatches each event to the store. Every write is an upsert keyed by the
/// event's natural key, so a redelivered or reordered event changes nothing;
/// after each event that touches a trajectory, `assemble` checks whether it is
/// now whole and, the first time it is, announces it with TrajectoryStored.
struct TrajectoryCollector: Sendable {
    let store: TrajectoryStore
    let artifacts: any ObjectStore
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
            try await assemble(started.payload.trajectoryID)
        case StepExecuted.eventType:
            let step = try event.payload(StepExecuted.self)
            try await store.record(step)
            Recorder(label: "synth_step_reward").record(step.transition.reward)
            try await assemble(step.trajectoryID)
        case LLMCallRecorded.eventType:
            let call = try event.decode(LLMCallRecorded.self)
            try await store.recordCall(call.payload, at: call.occurredAt)
            if let trajectoryID = call.payload.trajectoryID { try await assemble(trajectoryID) }
        case TaskCompleted.eventType:
            let completed = try event.decode(TaskCompleted.self)
            let payload = completed.payload
            try await store.complete(payload, at: completed.occurredAt, artifacts: try await storeArtifacts(payload))
            Counter(label: "synth_tasks_completed_total", dimensions: [("result", payload.result.typeName)]).increment()
            Recorder(label: "synth_trajectory_length_steps").record(payload.totalSteps)
            Recorder(label: "synth_trajectory_reward_total").record(payload.reward.total)
            Recorder(label: "synth_trajectory_tokens_total").record(payload.totalTokens)
            Recorder(label: "synth_task_duration_seconds").record(payload.executionTimeSeconds)
            try await assemble(payload.trajectoryID)
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

    /// The final patch goes to the object store (content-addressed key, so a redelivery
    /// rewrites the same object); Postgres keeps the text too because the api serves it.
    private func storeArtifacts(_ completed: TaskCompleted) async throws -> [UInt8]? {
        guard !completed.finalPatch.isEmpty else { return nil }
        let bytes = Array(completed.finalPatch.utf8)
        let key = "trajectories/\(completed.trajectoryID)/final.patch"
        try await artifacts.put(key: key, bytes: bytes, contentType: "text/x-diff")
        return try SynthJSON.encode(["final_patch": ArtifactReference(key: key, bytes: bytes.count, store: artifacts.location)])
    }

    private func assemble(_ trajectoryID: String) async throws {
        let assembly = try await store.assemble(trajectoryID: trajectoryID)
        guard assembly.announce, let taskID = assembly.taskID else { return }
        // Sent after the commit and marked only once sent: a crash in between sends it again
        // on redelivery (at least once), never not at all.
        try await publisher.publish(TrajectoryStored(trajectoryID: trajectoryID, taskID: taskID))
        try await store.markAnnounced(trajectoryID: trajectoryID)
        Counter(label: "synth_trajectories_stored_total").increment()
        logger.info("trajectory_stored", metadata: ["task_id": "\(taskID)", "trajectory_id": "\(trajectoryID)"])
    }
}

struct ArtifactReference: Codable, Sendable {
    var key: String
    var bytes: Int
    var store: String
}
