import Foundation

/// A worker as it last reported itself through its Redis heartbeat.
public struct WorkerRecord: Sendable, Equatable, Codable {
    public var workerID: String
    /// "active", "draining" (asked to stop), "stopped", or "lost" (heartbeat expired).
    public var status: String
    public var capacity: Int
    public var activeTasks: Int
    /// Leases the queue counts for it right now.
    public var leases: Int
    public var lastSeen: Date
    public var startedAt: Date?
    public var stopRequested: Bool

    public init(workerID: String, status: String, capacity: Int, activeTasks: Int, leases: Int, lastSeen: Date, startedAt: Date?,
                stopRequested: Bool) {
        self.workerID = workerID
        self.status = status
        self.capacity = capacity
        self.activeTasks = activeTasks
        self.leases = leases
        self.lastSeen = lastSeen
        self.startedAt = startedAt
        self.stopRequested = stopRequested
    }

    enum CodingKeys: String, CodingKey {
        case status, capacity, leases
        case workerID = "worker_id", activeTasks = "active_tasks", lastSeen = "last_seen", startedAt = "started_at"
        case stopRequested = "stop_requested"
    }
}
