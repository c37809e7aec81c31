import Foundation
import SynthRedis

extension TaskQueue {
    /// Counts one finished trajectory of `category`, once per event id (a
    /// redelivered event is not counted twice; the dedupe key expires in a day).
    @discardableResult
    public func recordFinished(category: String, eventID: String) async throws -> Bool {
        let reply = try await redis.eval(Self.recordFinishedScript,
                                         keys: [QueueKeys.finishedByCategory, "synth:stats:seen:\(eventID)"],
                                         arguments: [category])
        return reply.int == 1
    }

    /// Finished trajectories per category, as counted by `recordFinished`.
    public func finishedByCategory() async throws -> [String: Int] {
        let flat = try await redis.command("HGETALL", QueueKeys.finishedByCategory).array ?? []
        var counts: [String: Int] = [:]
        var index = 0
        while index + 1 < flat.count {
            if let key = flat[index].string { counts[key] = Int(flat[index + 1].string ?? "") ?? 0 }
            index += 2
        }
        return counts
    }

    /// The category of a queued or recently finished task, from its info.
    public func category(taskID: String) async throws -> String? {
        try await meta(taskID: taskID)["category"]
    }

    static let recordFinishedScript = RedisScript("""
        if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', 86400) then return 0 end
        redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
        return 1
        """)
}
