import Foundation
import SynthCommon

/// A decoded task-topic event the collector stores. These are few (a handful per trajectory)
/// and some depend on each other's order (a completion only replaces a failure record of the
/// same attempt), so a batch applies them one by one, in the order they were read.
enum TaskEvent: Sendable {
    case advance(taskID: String, status: TaskStatus, workerID: String? = nil, attempt: Int? = nil)
    case started(TaskStarted, at: Date)
    case completed(TaskCompleted, at: Date)
    case failed(TaskFailed)

    /// `nil` for event types the collector does not store.
    init?(_ event: ConsumedEvent) throws {
        switch event.header.type {
        case TaskSubmitted.eventType:
            self = .advance(taskID: try event.payload(TaskSubmitted.self).task.id, status: .submitted)
        case TaskQueued.eventType:
            self = .advance(taskID: try event.payload(TaskQueued.self).taskID, status: .queued)
        case TaskAssigned.eventType:
            let payload = try event.payload(TaskAssigned.self)
            self = .advance(taskID: payload.taskID, status: .assigned, workerID: payload.workerID, attempt: payload.attempt)
        case TaskStarted.eventType:
            let started = try event.decode(TaskStarted.self)
            self = .started(started.payload, at: started.occurredAt)
        case TaskCompleted.eventType:
            let completed = try event.decode(TaskCompleted.self)
            self = .completed(completed.payload, at: completed.occurredAt)
        case TaskFailed.eventType:
            self = .failed(try event.payload(TaskFailed.self))
        case TaskCancelled.eventType:
            self = .advance(taskID: try event.payload(TaskCancelled.self).taskID, status: .cancelled)
        default:
            return nil
        }
    }

    /// The trajectory that may have become whole with this event (a failure never completes one).
    var assembles: String? {
        switch self {
        case .started(let started, _): started.trajectoryID
        case .completed(let completed, _): completed.trajectoryID
        case .advance, .failed: nil
        }
    }

    /// `artifacts`: the object-store references of completed trajectories, by trajectory id.
    func apply(to writes: TrajectoryWrites, artifacts: [String: [UInt8]]) async throws {
        switch self {
        case .advance(let taskID, let status, let workerID, let attempt):
            try await writes.advance(taskID: taskID, to: status, workerID: workerID, attempt: attempt)
        case .started(let started, let date):
            try await writes.start(started, at: date)
        case .completed(let completed, let date):
            try await writes.complete(completed, at: date, artifacts: artifacts[completed.trajectoryID])
        case .failed(let failed):
            try await writes.fail(failed)
        }
    }
}
