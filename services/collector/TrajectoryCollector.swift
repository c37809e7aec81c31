import Foundation
import Logging
import Metrics
import SynthCommon
import SynthObjectStore

/// Stores a batch of events at a time: the steps and model calls with one multi-row upsert
/// each, the task events one by one in the order they were read, all in one transaction.
/// Decoding and encoding happen before (`prepare`), overlapping the previous batch's write. Every
/// write is keyed by the event's natural key, so a redelivered or reordered event changes
/// nothing and a batch written twice leaves the same rows. After the commit, `assemble` checks
/// every trajectory the batch touched and, the first time one is whole, announces it with
/// TrajectoryStored. The offsets are committed by the consumer only after all that.
struct TrajectoryCollector: Sendable {
    let store: TrajectoryStore
    let artifacts: any ObjectStore
    let publisher: EventPublisher
    let logger: Logger

    /// The batch's CPU work, with no side effects: decode every event and encode the rows, on
    /// every core. The returned write is what makes the batch durable; the consumer runs it
    /// while it prepares the next batch.
    func prepare(_ events: [ConsumedEvent]) async throws -> EventConsumerService.BatchWrite {
        let logger = self.logger
        var batch = DecodedBatch()
        for chunk in await ParallelChunks.map(events, { chunk in Result { try DecodedBatch(chunk, logger: logger) } }) {
            batch.append(try chunk.get())
        }
        let steps = try await StepRows(batch.steps), calls = try await EncodedRows.calls(batch.calls)
        let prepared = batch
        return { try await self.write(prepared, steps: steps, calls: calls) }
    }

    private func write(_ batch: DecodedBatch, steps: StepRows, calls: EncodedRows) async throws {
        // Object-store puts first: their keys are content-addressed, so one left behind by a
        // rolled-back batch is rewritten with the same bytes when the batch is retried.
        var references: [String: [UInt8]] = [:]
        for case .completed(let completed, _) in batch.taskEvents {
            references[completed.trajectoryID] = try await storeArtifacts(completed)
        }
        try await store.write { writes in
            try await writes.record(steps: steps)
            try await writes.record(calls: calls)
            for taskEvent in batch.taskEvents {
                try await taskEvent.apply(to: writes, artifacts: references)
            }
        }
        record(steps: batch.steps, taskEvents: batch.taskEvents)
        let touched = batch.touched.ordered
        let ready = try await store.assemblable(touched)
        for trajectoryID in touched where ready.contains(trajectoryID) {
            try await assemble(trajectoryID)
        }
    }

    private func record(steps: [StepExecuted], taskEvents: [TaskEvent]) {
        let stepReward = Recorder(label: "synth_step_reward")
        for index in steps.indices { stepReward.record(steps[index].transition.reward) }
        for taskEvent in taskEvents {
            switch taskEvent {
            case .completed(let payload, _):
                Counter(label: "synth_tasks_completed_total", dimensions: [("result", payload.result.typeName)]).increment()
                Recorder(label: "synth_trajectory_length_steps").record(payload.totalSteps)
                Recorder(label: "synth_trajectory_reward_total").record(payload.reward.total)
                Recorder(label: "synth_trajectory_tokens_total").record(payload.totalTokens)
                Recorder(label: "synth_task_duration_seconds").record(payload.executionTimeSeconds)
            case .failed:
                Counter(label: "synth_tasks_failed_total").increment()
            default:
                break
            }
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
