import Foundation
import Testing
import SynthCommon
import SynthRedis

/// The queue's Lua scripts against a real Redis (a test database, flushed per test).
@Suite("Task queue", .serialized)
struct TaskQueueTests {
    func freshQueue() async throws -> TaskQueue {
        let redis = try StackEndpoints.redis(database: StackEndpoints.queueTestDatabase)
        try await redis.command("FLUSHDB")
        return TaskQueue(redis: redis)
    }

    func task(_ id: String, difficulty: Difficulty = .easy) -> TaskDefinition {
        TaskDefinition(id: id, instruction: "do \(id)", category: "bugfix", difficulty: difficulty, dockerImage: "img",
                       verificationTests: [TestSpec(name: "t", command: "true")])
    }

    @Test func leasesPopInScoreOrderAndEnqueueIsIdempotent() async throws {
        let queue = try await freshQueue()
        #expect(try await queue.enqueue(task("low"), score: 5))
        #expect(try await queue.enqueue(task("high"), score: -5))
        #expect(try await queue.enqueue(task("low"), score: -100) == false)  // redelivered TaskSubmitted
        let first = try #require(try await queue.lease(workerID: "w1", leaseSeconds: 30))
        let second = try #require(try await queue.lease(workerID: "w1", leaseSeconds: 30))
        #expect(first.taskID == "high" && first.attempt == 1 && first.task?.instruction == "do high")
        #expect(second.taskID == "low")
        #expect(try await queue.lease(workerID: "w1", leaseSeconds: 30) == nil)
        #expect(try await queue.depth() == (0, 2))
    }

    @Test func onlyTheHolderCanHeartbeatOrAck() async throws {
        let queue = try await freshQueue()
        try await queue.enqueue(task("t"), score: 0)
        let lease = try #require(try await queue.lease(workerID: "w1", leaseSeconds: 30))
        let impostor = TaskLease(taskID: "t", task: nil, attempt: 1, workerID: "w2")
        #expect(try await queue.heartbeat(impostor, leaseSeconds: 30) == false)
        #expect(try await queue.ack(impostor) == false)
        #expect(try await queue.heartbeat(lease, leaseSeconds: 30))
        #expect(try await queue.ack(lease))
        #expect(try await queue.depth() == (0, 0))
        #expect(try await queue.heartbeat(lease, leaseSeconds: 30) == false)
    }

    @Test func expiredLeasesReturnToTheQueueThenDeadLetter() async throws {
        let queue = try await freshQueue()
        try await queue.enqueue(task("crashy"), score: 0)
        let past = Date().addingTimeInterval(-120)
        for attempt in 1...2 {
            let lease = try #require(try await queue.lease(workerID: "w\(attempt)", leaseSeconds: 10, now: past))
            #expect(lease.attempt == attempt)
            let reaped = try await queue.reapExpired(maxAttempts: 2)
            if attempt == 1 {
                #expect(reaped.requeued == ["crashy"] && reaped.dead.isEmpty)
                // The stale worker lost its lease: it cannot ack any more.
                #expect(try await queue.ack(lease) == false)
            } else {
                #expect(reaped.dead == ["crashy"] && reaped.requeued.isEmpty)
            }
        }
        #expect(try await queue.depth() == (0, 0))
        #expect(try await queue.redis.command("LRANGE", QueueKeys.dead, "0", "-1").array?.compactMap(\.string) == ["crashy"])
    }

    @Test func retryRequeuesUntilAttemptsRunOut() async throws {
        let queue = try await freshQueue()
        try await queue.enqueue(task("flaky"), score: 0)
        let immediate = RetryPolicy(maxAttempts: 2, baseDelaySeconds: 0, maxDelaySeconds: 0)
        let first = try #require(try await queue.lease(workerID: "w1", leaseSeconds: 30))
        guard case .retried = try await queue.retry(first, policy: immediate, reason: "docker down") else {
            Issue.record("expected a retry"); return
        }
        let second = try #require(try await queue.lease(workerID: "w2", leaseSeconds: 30))
        #expect(second.attempt == 2)
        #expect(try await queue.retry(second, policy: immediate, reason: "docker down") == .deadLettered)
        #expect(try await queue.depth() == (0, 0))
        #expect(try await queue.ack(second) == false)
    }

    @Test func liveLeasesAreNotReaped() async throws {
        let queue = try await freshQueue()
        try await queue.enqueue(task("busy"), score: 0)
        _ = try #require(try await queue.lease(workerID: "w1", leaseSeconds: 60))
        let reaped = try await queue.reapExpired(maxAttempts: 3)
        #expect(reaped.requeued.isEmpty && reaped.dead.isEmpty)
    }

    @Test func globalConcurrencyLimitHoldsBackLeases() async throws {
        let queue = try await freshQueue()
        for index in 0..<3 { try await queue.enqueue(task("t\(index)"), score: Double(index)) }
        #expect(try await queue.lease(workerID: "w", leaseSeconds: 30, maxInflight: 2) != nil)
        #expect(try await queue.lease(workerID: "w", leaseSeconds: 30, maxInflight: 2) != nil)
        #expect(try await queue.lease(workerID: "w", leaseSeconds: 30, maxInflight: 2) == nil)
        #expect(try await queue.depth() == (1, 2))
    }

    @Test func concurrentWorkersNeverShareATask() async throws {
        let queue = try await freshQueue()
        for index in 0..<200 { try await queue.enqueue(task("t\(index)"), score: Double(index % 7)) }
        let leased = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var mine: [String] = []
                    while let lease = try await queue.lease(workerID: "w\(worker)", leaseSeconds: 30) { mine.append(lease.taskID) }
                    return mine
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(leased.count == 200)
        #expect(Set(leased).count == 200)
    }

    @Test func cancellationRemovesAQueuedTaskAndFlagsIt() async throws {
        let queue = try await freshQueue()
        try await queue.enqueue(task("c"), score: 0)
        try await queue.cancel(taskID: "c")
        #expect(try await queue.isCancelled(taskID: "c"))
        #expect(try await queue.lease(workerID: "w", leaseSeconds: 30) == nil)
    }
}
