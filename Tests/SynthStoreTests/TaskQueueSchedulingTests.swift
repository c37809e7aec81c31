import Foundation
import Testing
import SynthCommon
import SynthRedis

/// Backoff, dead letters, per-worker capacity, priority and ageing, bounded
/// data: the queue's Lua scripts against a real Redis (a flushed test
/// database). An extension of the "Task queue" suite, so it runs serialized
/// with it on the same database.
extension TaskQueueTests {
    func categorized(_ id: String, category: String = "bugfix", difficulty: Difficulty = .easy) -> TaskDefinition {
        TaskDefinition(id: id, instruction: "do \(id)", category: category, difficulty: difficulty, dockerImage: "img",
                       verificationTests: [TestSpec(name: "t", command: "true")])
    }

    @Test func backoffIsExponentialWithBoundedJitter() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelaySeconds: 2, maxDelaySeconds: 20)
        #expect((1...5).map(policy.ceiling(afterAttempt:)) == [2, 4, 8, 16, 20])
        for attempt in 1...5 {
            let ceiling = policy.ceiling(afterAttempt: attempt)
            #expect(policy.delay(afterAttempt: attempt, unit: 0) == ceiling / 2)
            #expect(policy.delay(afterAttempt: attempt, unit: 0.999) < ceiling)
            let delays = (0..<50).map { _ in policy.delay(afterAttempt: attempt) }
            #expect(delays.allSatisfy { $0 >= ceiling / 2 && $0 <= ceiling })
            #expect(Set(delays).count > 1, "jitter spreads retries")
        }
    }

    @Test func aRetryWaitsOutItsBackoffThenKeepsItsPlace() async throws {
        let queue = try await freshQueue()
        let now = Date()
        try await queue.enqueue(categorized("flaky"), score: -10, now: now)
        try await queue.enqueue(categorized("later"), score: 5, now: now)
        let lease = try #require(try await queue.lease(workerID: "w1", leaseSeconds: 30, now: now))
        #expect(lease.taskID == "flaky")
        let outcome = try await queue.retry(lease, policy: RetryPolicy(maxAttempts: 3, baseDelaySeconds: 10, maxDelaySeconds: 60),
                                            reason: "container start failed", now: now)
        guard case .retried(let readyAt) = outcome else { Issue.record("expected a retry, got \(outcome)"); return }
        #expect(readyAt.timeIntervalSince(now) >= 5 && readyAt.timeIntervalSince(now) <= 10)
        let stats = try await queue.stats(weights: PriorityWeights(), now: now)
        #expect(stats.delayed == 1 && stats.ready == 1 && stats.inflight == 0)
        // During the backoff only the other task is available.
        let other = try #require(try await queue.lease(workerID: "w2", leaseSeconds: 30, now: now.addingTimeInterval(1)))
        #expect(other.taskID == "later")
        #expect(try await queue.lease(workerID: "w2", leaseSeconds: 30, now: now.addingTimeInterval(2)) == nil)
        // After it, the retry is leased again, as attempt 2, with its original score.
        let again = try #require(try await queue.lease(workerID: "w3", leaseSeconds: 30, now: now.addingTimeInterval(10.5)))
        #expect(again.taskID == "flaky" && again.attempt == 2)
        #expect(try await queue.meta(taskID: "flaky")["score"] == "-10.0")
    }

    @Test func exhaustedTasksAreDeadLetteredWithTheirReasonAndExpire() async throws {
        var queue = try await freshQueue()
        queue.maxDeadLetters = 3
        let policy = RetryPolicy(maxAttempts: 1, baseDelaySeconds: 0, maxDelaySeconds: 0)
        for index in 0..<5 {
            try await queue.enqueue(categorized("doomed\(index)"), score: Double(index))
            let lease = try #require(try await queue.lease(workerID: "w", leaseSeconds: 30))
            #expect(try await queue.retry(lease, policy: policy, reason: "LLM provider down (503)") == .deadLettered)
        }
        let letters = try await queue.deadLetters(limit: 10)
        // The list is bounded: only the newest three are kept, newest first.
        #expect(letters.map(\.taskID) == ["doomed4", "doomed3", "doomed2"])
        #expect(letters.allSatisfy { $0.attempts == 1 && $0.reason == "gave up after 1 attempts: LLM provider down (503)" })
        // An id whose data is gone (expired, or a key of an older layout
        // that is not a task hash) is listed without details; the migration
        // leaves such a key alone, and it does not fail the listing.
        _ = try await queue.redis.command("SET", QueueKeys.legacyTask("old-layout"), "{}")
        _ = try await queue.redis.command("RPUSH", QueueKeys.dead, "old-layout")
        #expect(try await queue.migrateLegacyLayout() == 0)
        #expect(try await queue.redis.command("GET", QueueKeys.legacyTask("old-layout")).string == "{}")
        let withOld = try await queue.deadLetters(limit: 10)
        #expect(withOld.map(\.taskID) == ["old-layout", "doomed4", "doomed3", "doomed2"])
        #expect(withOld[0].attempts == 0 && withOld[0].reason.isEmpty)
        #expect(withOld[1].attempts == 1)
        // A dead task's data is due for the sweep after the dead TTL, not the finished one.
        let due = try #require(try await queue.redis.command("ZSCORE", QueueKeys.expiry, "doomed4").string.flatMap(Double.init))
        let now = Date().timeIntervalSince1970 * 1000
        #expect(due > now + Double(queue.finishedTTLSeconds) * 1000 && due <= now + Double(queue.deadTTLSeconds) * 1000)
    }

    @Test func reapedLeasesComeBackAfterACappedBackoffThenDeadLetter() async throws {
        let queue = try await freshQueue()
        let policy = RetryPolicy(maxAttempts: 2, baseDelaySeconds: 2, maxDelaySeconds: 20)
        let start = Date()
        try await queue.enqueue(categorized("crashy"), score: 0, now: start)
        _ = try #require(try await queue.lease(workerID: "dead-worker", leaseSeconds: 30, now: start))
        #expect(try await queue.reapExpired(policy: policy, now: start.addingTimeInterval(29)).requeued.isEmpty)
        let reaped = try await queue.reapExpired(policy: policy, now: start.addingTimeInterval(31))
        #expect(reaped.requeued == ["crashy"])
        #expect(try await queue.meta(taskID: "crashy")["last_error"] == "lease expired: worker dead-worker stopped heartbeating")
        // Back in the queue within lease time + 30 s.
        let second = try #require(try await queue.lease(workerID: "w2", leaseSeconds: 30, now: start.addingTimeInterval(31 + 2.01)))
        #expect(second.attempt == 2)
        let final = try await queue.reapExpired(policy: policy, now: start.addingTimeInterval(100))
        #expect(final.dead == ["crashy"])
        #expect(try await queue.deadLetters().first?.reason == "gave up after 2 attempts: lease expired: worker w2 stopped heartbeating")
        #expect(try await queue.redis.command("HLEN", QueueKeys.workerLoad).int == 0, "no lease is counted for a dead worker")
    }

    @Test func eachWorkerHoldsAtMostItsCapacity() async throws {
        let queue = try await freshQueue()
        for index in 0..<5 { try await queue.enqueue(categorized("t\(index)"), score: Double(index)) }
        let first = try #require(try await queue.lease(workerID: "w1", leaseSeconds: 30, workerCapacity: 2))
        _ = try #require(try await queue.lease(workerID: "w1", leaseSeconds: 30, workerCapacity: 2))
        #expect(try await queue.lease(workerID: "w1", leaseSeconds: 30, workerCapacity: 2) == nil)
        #expect(try await queue.lease(workerID: "w2", leaseSeconds: 30, workerCapacity: 2) != nil)
        #expect(try await queue.ack(first))
        #expect(try await queue.lease(workerID: "w1", leaseSeconds: 30, workerCapacity: 2) != nil)
        #expect(try await queue.redis.command("HGET", QueueKeys.workerLoad, "w1").string == "2")
    }

    /// The order PriorityWeights implies: difficulty, then how scarce a
    /// category is among finished trajectories.
    @Test func leasesFollowTheOrderTheWeightsImply() async throws {
        let queue = try await freshQueue()
        let weights = PriorityWeights(difficulty: 1, category: 2, age: 0.01)
        for index in 0..<8 { try await queue.recordFinished(category: "bugfix", eventID: "e-bug-\(index)") }
        for index in 0..<4 { try await queue.recordFinished(category: "refactor", eventID: "e-ref-\(index)") }
        // A redelivered event is not counted twice.
        #expect(try await queue.recordFinished(category: "refactor", eventID: "e-ref-0") == false)
        let finished = try await queue.finishedByCategory()
        #expect(finished == ["bugfix": 8, "refactor": 4])
        let now = Date()
        let tasks = [
            categorized("bug-easy", category: "bugfix", difficulty: .easy),          // 1 + 2 x 0    = 1
            categorized("bug-hard", category: "bugfix", difficulty: .hard),          // 3 + 2 x 0    = 3
            categorized("ref-easy", category: "refactor", difficulty: .easy),        // 1 + 2 x 0.5  = 2
            categorized("ref-hard", category: "refactor", difficulty: .hard),        // 3 + 2 x 0.5  = 4
            categorized("new-easy", category: "docs", difficulty: .easy),            // 1 + 2 x 1    = 3 (ties with bug-hard)
            categorized("new-expert", category: "docs", difficulty: .expert),        // 4 + 2 x 1    = 6
        ]
        for task in tasks.shuffled() {
            let scarcity = PriorityWeights.scarcity(of: task.category, finished: finished)
            try await queue.enqueue(task, score: weights.score(difficulty: task.difficulty.level, scarcity: scarcity, enqueuedAt: now), now: now)
        }
        var order: [String] = []
        while let lease = try await queue.lease(workerID: "w", leaseSeconds: 30, now: now) { order.append(lease.taskID) }
        #expect(order[0] == "new-expert")
        #expect(order[1] == "ref-hard")
        #expect(Set(order[2...3]) == ["bug-hard", "new-easy"])
        #expect(order[4] == "ref-easy")
        #expect(order[5] == "bug-easy")
    }

    /// Linear ageing: a low-priority task that has waited long enough runs
    /// before a steady stream of new high-priority ones.
    @Test func anOldLowPriorityTaskIsNotStarved() async throws {
        let queue = try await freshQueue()
        let weights = PriorityWeights(difficulty: 1, category: 2, age: 0.01)
        let start = Date()
        let old = categorized("old-easy", category: "bugfix", difficulty: .easy)
        try await queue.enqueue(old, score: weights.score(difficulty: 1, scarcity: 0, enqueuedAt: start), now: start)
        // Every simulated minute two expert tasks in a scarce category arrive and one worker slot frees up.
        var minute = 0
        var ranAt: Int?
        while minute < 60 && ranAt == nil {
            minute += 1
            let now = start.addingTimeInterval(Double(minute) * 60)
            for index in 0..<2 {
                let fresh = categorized("hot-\(minute)-\(index)", category: "docs", difficulty: .expert)
                try await queue.enqueue(fresh, score: weights.score(difficulty: 4, scarcity: 1, enqueuedAt: now), now: now)
            }
            let lease = try #require(try await queue.lease(workerID: "w", leaseSeconds: 30, now: now))
            if lease.taskID == "old-easy" { ranAt = minute }
        }
        // The priority gap 6 - 1 = 5 points closes at 0.01 points/s in 500 s: the 16 expert tasks that
        // arrived in minutes 1-8 still go first, one a minute, and then the old task runs, in minute 17,
        // although experts keep arriving twice as fast as they are served.
        #expect(ranAt == 17, "the old task ran in minute \(String(describing: ranAt))")
    }

    @Test func cancellingRemovesAWaitingRetryToo() async throws {
        let queue = try await freshQueue()
        try await queue.enqueue(categorized("c"), score: 0)
        let lease = try #require(try await queue.lease(workerID: "w", leaseSeconds: 30))
        _ = try await queue.retry(lease, policy: RetryPolicy(maxAttempts: 3, baseDelaySeconds: 60, maxDelaySeconds: 60), reason: "x")
        #expect(try await queue.cancel(taskID: "c"))
        #expect(try await queue.stats(weights: PriorityWeights()).delayed == 0)
        // A redelivered TaskSubmitted does not bring a cancelled task back.
        #expect(try await queue.enqueue(categorized("c"), score: 0) == false)
        #expect(try await queue.lease(workerID: "w", leaseSeconds: 30, now: Date().addingTimeInterval(120)) == nil)
    }

    @Test func finishedTasksDataIsSweptAfterTheTTLAndARedeliveryBeforeIsANoOp() async throws {
        let queue = try await freshQueue()
        let start = Date()
        for index in 0..<20 {
            try await queue.enqueue(categorized("f\(index)"), score: 0, now: start)
            let lease = try #require(try await queue.lease(workerID: "w", leaseSeconds: 30, workerCapacity: 1, now: start))
            #expect(try await queue.ack([lease], now: start) == [true])
        }
        let keys = try await queue.redis.command("KEYS", "*").array?.compactMap(\.string) ?? []
        #expect(!keys.contains { $0.hasPrefix("synth:task:") }, "no per-task key")
        // Short values would make these listpacks, searched linearly per field; the marker field keeps them hash tables.
        for hash in [QueueKeys.info, QueueKeys.holder] {
            #expect(try await queue.redis.command("OBJECT", "ENCODING", hash).string == "hashtable")
        }
        #expect(try await queue.redis.command("ZCARD", QueueKeys.expiryBatches).int == 20, "one entry per ack call")
        #expect(try await queue.redis.command("HLEN", QueueKeys.body).int == 0, "ack deletes a finished task's body at once")
        #expect(try await queue.meta(taskID: "f3")["finished"] == "1")
        #expect(try await queue.category(taskID: "f3") == "bugfix", "a finished task's category is readable until its data expires")
        // Within the TTL a redelivered TaskSubmitted is a no-op.
        #expect(try await queue.enqueue(categorized("f0"), score: 0, now: start) == false)
        let stats = try await queue.stats(weights: PriorityWeights())
        #expect(stats.ready == 0 && stats.inflight == 0 && stats.delayed == 0)
        #expect(try await queue.redis.command("EXISTS", QueueKeys.readyTimes, QueueKeys.readyCounts).int == 0)
        #expect(try await queue.redis.command("HLEN", QueueKeys.workerLoad).int == 0)
        // After the TTL reaps sweep every finished task's data away, each at most 10 ack batches (20 here).
        let later = start.addingTimeInterval(Double(queue.finishedTTLSeconds) + 1)
        _ = try await queue.reapExpired(policy: RetryPolicy(maxAttempts: 3), now: later)
        #expect(try await queue.redis.command("ZCARD", QueueKeys.expiryBatches).int == 10)
        _ = try await queue.reapExpired(policy: RetryPolicy(maxAttempts: 3), now: later)
        for hash in [QueueKeys.body, QueueKeys.info, QueueKeys.attempts, QueueKeys.holder] {
            let fields = try await queue.redis.command("HKEYS", hash).array?.compactMap(\.string) ?? []
            #expect(fields.allSatisfy { $0 == QueueKeys.hashtableField }, "\(hash) holds no task")
        }
        #expect(try await queue.redis.command("EXISTS", QueueKeys.expiry, QueueKeys.expiryBatches).int == 0)
        #expect(try await queue.meta(taskID: "f0").isEmpty)
    }

    @Test func eachAckSweepsAtMostTwoExpiredAckBatches() async throws {
        let queue = try await freshQueue()
        let start = Date()
        _ = try await queue.enqueue((0..<40).map { QueueEntry(task: task("old\($0)"), score: 0, enqueuedAt: start) })
        for _ in 0..<4 {
            #expect(try await queue.ack(try await queue.lease(workerID: "w", upTo: 10, leaseSeconds: 30, now: start), now: start).count == 10)
        }
        let later = start.addingTimeInterval(Double(queue.finishedTTLSeconds) + 1)
        try await queue.enqueue(task("new"), score: 0, now: later)
        let lease = try #require(try await queue.lease(workerID: "w", leaseSeconds: 30, now: later))
        #expect(try await queue.ack([lease], now: later) == [true])
        // One ack swept two of the four expired batches (20 tasks) and added its own.
        #expect(try await queue.redis.command("ZCARD", QueueKeys.expiryBatches).int == 4 - 2 + 1)
        // Ack deleted every body at once; info keeps the ids known until the sweep (the marker field is one more).
        #expect(try await queue.redis.command("HLEN", QueueKeys.body).int == 0)
        #expect(try await queue.redis.command("HLEN", QueueKeys.info).int == 40 - 20 + 1 + 1)
        #expect(try await queue.redis.command("HEXISTS", QueueKeys.info, "new").int == 1)
        #expect(try await queue.meta(taskID: "old0").isEmpty, "the oldest batch went first")
    }

    @Test func statsBandTasksByTheirPriorityNowAndReportTheOldestWait() async throws {
        let queue = try await freshQueue()
        let weights = PriorityWeights(difficulty: 1, category: 2, age: 0.01)
        let now = Date()
        let oldest = now.addingTimeInterval(-120)
        try await queue.enqueue(categorized("low"), score: weights.score(difficulty: 1, scarcity: 0, enqueuedAt: oldest), now: oldest)  // 1 + 1.2
        try await queue.enqueue(categorized("lower"), score: weights.score(difficulty: 1, scarcity: 0, enqueuedAt: now), now: now)     // 1
        try await queue.enqueue(categorized("high"), score: weights.score(difficulty: 4, scarcity: 1, enqueuedAt: now), now: now)     // 6
        let stats = try await queue.stats(weights: weights, now: now)
        #expect(stats.readyByBand == ["high": 1, "normal": 1, "low": 1])
        #expect(abs(stats.oldestWaitingSeconds - 120) < 1)
    }

    @Test func theOldestWaitFollowsTasksThroughLeaseCancelRetryAndPromotion() async throws {
        let queue = try await freshQueue()
        let weights = PriorityWeights()
        let now = Date()
        func oldest() async throws -> Double { try await queue.stats(weights: weights, now: now).oldestWaitingSeconds }
        func counts() async throws -> [String] {
            (try await queue.redis.command("HGETALL", QueueKeys.readyCounts).array ?? []).compactMap(\.string)
        }
        let old = now.addingTimeInterval(-300), mid = now.addingTimeInterval(-200), new = now.addingTimeInterval(-100)
        // Two runs of enqueue times in one batch, one more batch later; the oldest tasks pop first.
        _ = try await queue.enqueue([QueueEntry(task: categorized("a1"), score: 1, enqueuedAt: old),
                                     QueueEntry(task: categorized("a2"), score: 2, enqueuedAt: old),
                                     QueueEntry(task: categorized("b1"), score: 3, enqueuedAt: mid)])
        _ = try await queue.enqueue([QueueEntry(task: categorized("c1"), score: 4, enqueuedAt: new),
                                     QueueEntry(task: categorized("c2"), score: 5, enqueuedAt: new)])
        #expect(abs(try await oldest() - 300) < 1)
        #expect(try await queue.redis.command("ZCARD", QueueKeys.readyTimes).int == 3, "one entry per enqueue time, not per task")
        let first = try await queue.lease(workerID: "w", upTo: 1, leaseSeconds: 30)
        #expect(first.map(\.taskID) == ["a1"])
        #expect(abs(try await oldest() - 300) < 1, "a2 still waits")
        #expect(try await queue.cancel(taskID: "a2"))
        #expect(abs(try await oldest() - 200) < 1)
        // A retried task comes back with its first enqueue time once its backoff has passed.
        _ = try await queue.retry(first[0], policy: RetryPolicy(maxAttempts: 3, baseDelaySeconds: 0, maxDelaySeconds: 0), reason: "x")
        #expect(try await queue.promoteDue(now: now.addingTimeInterval(1)) == 1)
        #expect(abs(try await oldest() - 300) < 1)
        #expect(try await queue.lease(workerID: "w", upTo: 2, leaseSeconds: 30).map(\.taskID) == ["a1", "b1"])
        #expect(abs(try await oldest() - 100) < 1)
        let left = try await counts()
        #expect(left == [String(Int64((new.timeIntervalSince1970 * 1000).rounded())), "2"], "only c's time is left")
        #expect(try await queue.lease(workerID: "w", upTo: 5, leaseSeconds: 30).map(\.taskID) == ["c1", "c2"])
        #expect(try await oldest() == 0)
        #expect(try await queue.redis.command("EXISTS", QueueKeys.readyTimes, QueueKeys.readyCounts).int == 0)
    }

    @Test func workersReportThemselvesAndCanBeAskedToStop() async throws {
        let queue = try await freshQueue()
        let now = Date()
        try await queue.reportWorker(workerID: "exec-1", status: "active", capacity: 4, activeTasks: 1, startedAt: now, now: now)
        try await queue.reportWorker(workerID: "exec-2", status: "active", capacity: 2, activeTasks: 0, startedAt: now,
                                     now: now.addingTimeInterval(-120))
        let workers = try await queue.workers(now: now)
        #expect(workers.map(\.workerID) == ["exec-1", "exec-2"])
        #expect(workers[0].status == "active" && workers[0].capacity == 4)
        #expect(workers[1].status == "lost", "no heartbeat for two minutes")
        try await queue.requestStop(workerID: "exec-1")
        #expect(try await queue.isStopRequested(workerID: "exec-1"))
        #expect(try await queue.worker(id: "exec-1", now: now)?.stopRequested == true)
        #expect(try await queue.worker(id: "nobody") == nil)
    }
}
