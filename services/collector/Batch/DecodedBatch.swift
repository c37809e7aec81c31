import Foundation
import Logging
import SynthCommon

/// The events of a batch the collector stores, decoded: steps and model calls to be written
/// with one statement per table, task events in the order they were read, and the trajectories
/// touched. Built per chunk on every core, then joined in order (`append`).
struct DecodedBatch: Sendable {
    var steps: [StepExecuted] = []
    var calls: [(call: LLMCallRecorded, occurredAt: Date)] = []
    var taskEvents: [TaskEvent] = []
    var touched = TouchedTrajectories()

    init() {}

    init(_ events: some Sequence<ConsumedEvent>, logger: Logger) throws {
        for event in events {
            do {
                switch event.header.type {
                case StepExecuted.eventType:
                    // Usually read with the header already (main.swift's `read`); else the byte-level
                    // reader, and what it leaves goes to JSONDecoder, so odd inputs decode (or
                    // fail) exactly as before.
                    let step = try (event.payloadRead as? StepExecuted) ?? StepExecuted(envelopeBytes: event.bytes)
                        ?? event.payload(StepExecuted.self)
                    steps.append(step)
                    touched.insert(step.trajectoryID)
                case LLMCallRecorded.eventType:
                    let call = try event.decode(LLMCallRecorded.self)
                    calls.append((call.payload, call.occurredAt))
                    if let trajectoryID = call.payload.trajectoryID { touched.insert(trajectoryID) }
                default:
                    guard let taskEvent = try TaskEvent(event) else { continue }
                    taskEvents.append(taskEvent)
                    if let trajectoryID = taskEvent.assembles { touched.insert(trajectoryID) }
                }
            } catch let error as DecodingError {
                // Retrying cannot fix the bytes; skipping the one event keeps the rest of the batch.
                logger.error("event_payload_undecodable",
                             metadata: ["type": "\(event.header.type)", "event_id": "\(event.header.eventID)", "error": "\(error)"])
            }
        }
    }

    /// `other`'s events after this batch's, as if decoded in one pass.
    mutating func append(_ other: DecodedBatch) {
        steps += other.steps
        calls += other.calls
        taskEvents += other.taskEvents
        for trajectoryID in other.touched.ordered { touched.insert(trajectoryID) }
    }
}
