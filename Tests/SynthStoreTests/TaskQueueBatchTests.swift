import Foundation
import Testing
import SynthCommon
import SynthRedis

/// The batched enqueue, lease and ack against a real Redis: each keeps the
/// one-task guarantees (idempotent enqueue, priorities, caps, holder-only
/// ack). An extension of the "Task queue" suite, so it runs serialized with
/// it on the same flushed database.
extension TaskQueueTests {
    @Test func batchEnqueueReportsEachEntryAndSkipsKnownCancelledAndRepeatedIDs() async throws {
        let queue = try await freshQueue()
        try await queue.enqueue(task("known"), score: 0)
        try await queue.cancel(taskID: "cancelled")
        let added = try await queue.enqueue([
            QueueEntry(task: task("a"), score: 3), QueueEntry(task: task("known"), score: -100),
            QueueEntry(task: task("b"), score: 1), QueueEntry(task: task("cancelled"), score: -100),
            QueueEntry(task: task("a"), score: -50),
        ])
        #expect(added == [true, false, true, false, false])
        #expect(try await queue.depth() == (3, 0))
        // The repeated "a" kept its first score: it pops after "known" (0) and "b" (1).
        let order = try await queue.lease(workerID: "w", upTo: 10, leaseSeconds: 30).map(\.taskID)
        #expect(order == ["known", "b", "a"])
        #expect(try await queue.meta(taskID: "a")["score"] == "3.0")
    }

    @Test func batchOfNewIDsAddsARepeatedIDOnceAndAKnownIDInALaterBatchNot() async throws {
        let queue = try await freshQueue()
        // No id of this batch is known yet, so the one read of info passes them all: the repeat must still be caught.
        let added = try await queue.enqueue([QueueEntry(task: task("x"), score: 2), QueueEntry(task: task("y"), score: 1),
                                             QueueEntry(task: task("x"), score: -9)])
        #expect(added == [true, true, false])
        #expect(try await queue.depth() == (2, 0))
        #expect(try await queue.meta(taskID: "x")["score"] == "2.0")
        #expect(try await queue.enqueue([QueueEntry(task: task("z"), score: 0), QueueEntry(task: task("y"), score: -9)]) == [true, false])
        #expect(try await queue.depth() == (3, 0))
    }

    @Test func tasksOfTheOneHashPerTaskLayoutAreMigratedOnceAndKeepTheirState() async throws {
        // The layouts before 2026-11-29 10:00: one hash per task. Queued,
        // leased, retried, finished and dead tasks of a running deployment
        // must survive the upgrade.
        let queue = try await freshQueue()
        func oldTask(_ id: String, _ fields: String...) async throws {
            let body = String(decoding: try task(id).json(), as: UTF8.self)
            _ = try await queue.redis.command(["HSET", QueueKeys.legacyTask(id), "body", body, "enqueued_at", "1000", "score", "-1.0",
                                               "category", "bugfix"] + fields)
        }
        // Queued (the 04:30 form wrote attempts 0).
        try await oldTask("queued", "attempts", "0")
        _ = try await queue.redis.command("ZADD", QueueKeys.ready, "-1.0", "queued")
        _ = try await queue.redis.command("ZADD", QueueKeys.legacyReadySince, "1000", "queued")
        // Leased by w-old, whose lease runs on.
        try await oldTask("held", "attempts", "1", "worker", "w-old")
        _ = try await queue.redis.command("ZADD", QueueKeys.inflight, String(Int64(Date().timeIntervalSince1970 * 1000) + 60_000), "held")
        _ = try await queue.redis.command("HSET", QueueKeys.workerLoad, "w-old", "1")
        // Waiting out a retry backoff that has passed.
        try await oldTask("backoff", "attempts", "2", "last_error", "docker down")
        _ = try await queue.redis.command("ZADD", QueueKeys.delayed, "1", "backoff")
        // Finished (the old ack kept the last holder) and dead, both with a TTL.
        try await oldTask("done", "attempts", "1", "worker", "w-old", "finished", "1")
        _ = try await queue.redis.command("EXPIRE", QueueKeys.legacyTask("done"), "600")
        try await oldTask("buried", "attempts", "3", "dead", "1", "dead_reason", "gave up")
        _ = try await queue.redis.command("EXPIRE", QueueKeys.legacyTask("buried"), "600")
        _ = try await queue.redis.command("RPUSH", QueueKeys.dead, "buried")

        // The still older layout's state hash is not a task of this one.
        _ = try await queue.redis.command("HSET", QueueKeys.legacyTask("ancient") + ":meta", "attempts", "1")
        // Cancelled before it was queued, when enqueue still read the flags: its TaskSubmitted may come later.
        _ = try await queue.redis.command("SET", QueueKeys.cancelled("early"), "1", "EX", "500")

        #expect(try await queue.migrateLegacyLayout() == 5)
        #expect(try await queue.redis.command("EXISTS", QueueKeys.legacyReadySince).int == 0)
        #expect(try await queue.redis.command("HGET", QueueKeys.readyCounts, "1000").string == "1", "the queued task's enqueue time")
        #expect(try await queue.migrateLegacyLayout() == 0, "a second run moves nothing")
        #expect(try await queue.redis.command("GET", QueueKeys.layout).string == TaskQueue.layoutVersion)
        let keys = try await queue.redis.command("KEYS", "synth:task:*").array?.compactMap(\.string) ?? []
        #expect(Set(keys) == [QueueKeys.legacyTask("ancient") + ":meta", QueueKeys.cancelled("early")])
        #expect(try await queue.enqueue([QueueEntry(task: task("early"), score: -9)]) == [false], "a flagged id stays cancelled")
        #expect(try await queue.meta(taskID: "early") == ["cancelled": "1"])

        _ = try await queue.enqueue([QueueEntry(task: task("new"), score: 0)])
        #expect(try await queue.enqueue([QueueEntry(task: task("done"), score: -5)]) == [false], "a finished task stays known")
        let leases = try await queue.lease(workerID: "w", upTo: 5, leaseSeconds: 30)
        #expect(leases.map(\.taskID) == ["backoff", "queued", "new"])
        #expect(leases.map(\.attempt) == [3, 1, 1])
        #expect(leases.first?.task?.instruction == "do backoff")
        #expect(try await queue.meta(taskID: "backoff")["last_error"] == "docker down")
        #expect(try await queue.redis.command("EXISTS", QueueKeys.readyTimes, QueueKeys.readyCounts).int == 0)
        #expect(try await queue.ack(leases) == [true, true, true])
        // The old holder still holds its lease; nobody else does.
        let held = TaskLease(taskID: "held", task: nil, attempt: 1, workerID: "w-old")
        #expect(try await queue.ack([TaskLease(taskID: "held", task: nil, attempt: 1, workerID: "w")]) == [false])
        #expect(try await queue.heartbeat(held, leaseSeconds: 30))
        #expect(try await queue.ack([held]) == [true])
        #expect(try await queue.redis.command("HLEN", QueueKeys.workerLoad).int == 0)
        #expect(try await queue.deadLetters().map(\.reason) == ["gave up"])
        #expect(try await queue.meta(taskID: "buried")["dead"] == "1")
        // Ended tasks keep the rest of their TTL.
        let due = try #require(try await queue.redis.command("ZSCORE", QueueKeys.expiry, "done").string.flatMap(Double.init))
        #expect(due <= Date().timeIntervalSince1970 * 1000 + 600_000 && due > Date().timeIntervalSince1970 * 1000)
        #expect(try await queue.depth() == (0, 0))
    }

    @Test func aMigratedQueueIsNotScannedAgain() async throws {
        let queue = try await freshQueue()
        #expect(try await queue.migrateLegacyLayout() == 0)
        #expect(try await queue.redis.command("GET", QueueKeys.layout).string == TaskQueue.layoutVersion)
        // Nothing of an older layout can appear once every process runs this one (no overlap, DEPLOY.md): a start skips the SCAN.
        _ = try await queue.redis.command("HSET", QueueKeys.legacyTask("late"), "body", "{}", "score", "0")
        #expect(try await queue.migrateLegacyLayout() == 0)
        #expect(try await queue.redis.command("EXISTS", QueueKeys.legacyTask("late")).int == 1, "not scanned")
        // Without the record (a Redis of the older layout), it scans.
        _ = try await queue.redis.command("DEL", QueueKeys.layout)
        #expect(try await queue.migrateLegacyLayout() == 1)
    }

    @Test func aTaskCancelledBeforeItIsQueuedStaysOutForADay() async throws {
        let queue = try await freshQueue()
        let now = Date()
        #expect(try await queue.cancel(taskID: "early", now: now) == false, "it was not waiting")
        #expect(try await queue.enqueue([QueueEntry(task: task("early"), score: 0)]) == [false])
        #expect(try await queue.meta(taskID: "early") == ["cancelled": "1"])
        #expect(try await queue.isCancelled(taskID: "early"))
        let due = try #require(try await queue.redis.command("ZSCORE", QueueKeys.expiry, "early").string.flatMap(Double.init))
        #expect(abs(due - (now.timeIntervalSince1970 + 86_400) * 1000) < 1_000, "its data lasts as long as the flag")
        // A second cancel changes nothing; a queued task cancelled later is taken out as before.
        #expect(try await queue.cancel(taskID: "early") == false)
        try await queue.enqueue(task("late"), score: 0)
        #expect(try await queue.cancel(taskID: "late"))
        #expect(try await queue.meta(taskID: "late")["cancelled"] == "1")
        #expect(try await queue.meta(taskID: "late")["category"] == "bugfix")
        #expect(try await queue.depth() == (0, 0))
    }

    @Test func aLeasedIDWithoutABodyIsReleasedNotReturned() async throws {
        let queue = try await freshQueue()
        _ = try await queue.enqueue([QueueEntry(task: task("kept"), score: 0), QueueEntry(task: task("gutted"), score: 1)])
        _ = try await queue.redis.command("HDEL", QueueKeys.body, "gutted")
        let leases = try await queue.lease(workerID: "w", upTo: 5, leaseSeconds: 30, workerCapacity: 5)
        #expect(leases.map(\.taskID) == ["kept"])
        #expect(try await queue.depth() == (0, 1), "the body-less lease was acked at once")
        #expect(try await queue.redis.command("HGET", QueueKeys.workerLoad, "w").string == "1")
    }

    @Test func theSchedulerIsToldWhichRedisSettingsSlowTheQueue() async throws {
        let queue = try await freshQueue()
        let before = try #require(try await queue.redis.command("CONFIG", "GET", "zset-max-listpack-entries").array?.last?.string)
        _ = try await queue.redis.command("CONFIG", "SET", "zset-max-listpack-entries", "0")
        #expect(await queue.serverSettingAdvice().isEmpty)
        _ = try await queue.redis.command("CONFIG", "SET", "zset-max-listpack-entries", "128")
        let advice = await queue.serverSettingAdvice()
        #expect(advice.count == 1 && advice[0].hasPrefix("zset-max-listpack-entries is 128, 0 recommended"))
        _ = try await queue.redis.command("CONFIG", "SET", "zset-max-listpack-entries", before)
    }

    @Test func batchEnqueueLargerThanOneScriptCallAddsEveryTask() async throws {
        let queue = try await freshQueue()
        let count = TaskQueue.maxBatch * 2 + 7
        let added = try await queue.enqueue((0..<count).map { QueueEntry(task: task("t\($0)"), score: Double($0)) })
        #expect(added.count == count && added.allSatisfy { $0 })
        #expect(try await queue.depth() == (count, 0))
        let leased = try await queue.lease(workerID: "w", upTo: count, leaseSeconds: 30)
        // One lease call is capped at maxBatch, best first.
        #expect(leased.map(\.taskID) == (0..<TaskQueue.maxBatch).map { "t\($0)" })
        #expect(try await queue.ack(leased).allSatisfy { $0 })
        #expect(try await queue.depth() == (count - TaskQueue.maxBatch, 0))
    }

    @Test func batchLeaseTakesOnlyTheFreeSlotsOfTheWorkerAndTheGlobalCap() async throws {
        let queue = try await freshQueue()
        _ = try await queue.enqueue((0..<10).map { QueueEntry(task: task("t\($0)"), score: Double($0)) })
        let one = try #require(try await queue.lease(workerID: "w1", leaseSeconds: 30, workerCapacity: 4))
        #expect(one.taskID == "t0")
        // w1 holds 1 of 4: asking for 8 gets 3, in score order, each on its first attempt.
        let three = try await queue.lease(workerID: "w1", upTo: 8, leaseSeconds: 30, workerCapacity: 4)
        #expect(three.map(\.taskID) == ["t1", "t2", "t3"])
        #expect(three.allSatisfy { $0.attempt == 1 && $0.workerID == "w1" && $0.task?.instruction == "do \($0.taskID)" })
        #expect(try await queue.lease(workerID: "w1", upTo: 8, leaseSeconds: 30, workerCapacity: 4).isEmpty)
        #expect(try await queue.redis.command("HGET", QueueKeys.workerLoad, "w1").string == "4")
        // Six leased in all; a global cap of 6 lets w2 take none, a cap of 8 two.
        let more = try await queue.lease(workerID: "w2", upTo: 5, leaseSeconds: 30, maxInflight: 6)
        #expect(more.map(\.taskID) == ["t4", "t5"])  // 4 held + 2 = the cap of 6
        #expect(try await queue.lease(workerID: "w2", upTo: 5, leaseSeconds: 30, maxInflight: 6).isEmpty)
        #expect(try await queue.lease(workerID: "w2", upTo: 5, leaseSeconds: 30, maxInflight: 8).map(\.taskID) == ["t6", "t7"])
        #expect(try await queue.depth() == (2, 8))
    }

    @Test func batchLeasePromotesDueRetriesFirst() async throws {
        let queue = try await freshQueue()
        _ = try await queue.enqueue([QueueEntry(task: task("retried"), score: 0), QueueEntry(task: task("fresh"), score: 5)])
        let first = try #require(try await queue.lease(workerID: "w1", leaseSeconds: 30))
        let immediate = RetryPolicy(maxAttempts: 3, baseDelaySeconds: 0, maxDelaySeconds: 0)
        guard case .retried = try await queue.retry(first, policy: immediate, reason: "docker down") else {
            Issue.record("expected a retry"); return
        }
        let leases = try await queue.lease(workerID: "w2", upTo: 2, leaseSeconds: 30, now: Date().addingTimeInterval(1))
        #expect(leases.map(\.taskID) == ["retried", "fresh"])
        #expect(leases.map(\.attempt) == [2, 1])
    }

    @Test func batchAckReleasesOnlyTheHoldersLeases() async throws {
        let queue = try await freshQueue()
        _ = try await queue.enqueue((0..<4).map { QueueEntry(task: task("t\($0)"), score: Double($0)) })
        let mine = try await queue.lease(workerID: "w1", upTo: 2, leaseSeconds: 30, workerCapacity: 2)
        let theirs = try await queue.lease(workerID: "w2", upTo: 2, leaseSeconds: 30)
        let impostor = TaskLease(taskID: theirs[0].taskID, task: nil, attempt: 1, workerID: "w1")
        // The impostor's ack and the repeated ack fail; the rest succeed.
        let acked = try await queue.ack([mine[0], impostor, mine[1], mine[0], theirs[1]])
        #expect(acked == [true, false, true, false, true])
        #expect(try await queue.depth() == (0, 1))
        #expect(try await queue.redis.command("HGET", QueueKeys.workerLoad, "w1").isNull)
        #expect(try await queue.redis.command("HGET", QueueKeys.workerLoad, "w2").string == "1")
        #expect(try await queue.meta(taskID: "t0")["finished"] == "1")
        let batches = try await queue.redis.command("ZRANGE", QueueKeys.expiryBatches, "0", "-1").array?.compactMap(\.string) ?? []
        #expect(batches.map { $0.split(separator: "\0").map(String.init) } == [["t0", "t1", "t3"]],
                "the acked ids expire together, as one entry")
        #expect(try await queue.redis.command("HEXISTS", QueueKeys.holder, "t0").int == 0)
        #expect(try await queue.heartbeat(theirs[0], leaseSeconds: 30))
    }

    @Test func concurrentBatchLeasersNeverShareATask() async throws {
        let queue = try await freshQueue()
        _ = try await queue.enqueue((0..<300).map { QueueEntry(task: task("t\($0)"), score: Double($0 % 7)) })
        let taken = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<6 {
                group.addTask {
                    var ids: [String] = []
                    while true {
                        let leases = try await queue.lease(workerID: "w\(worker)", upTo: 7, leaseSeconds: 30, workerCapacity: 7)
                        if leases.isEmpty { return ids }
                        ids += leases.map(\.taskID)
                        #expect(try await queue.ack(leases).allSatisfy { $0 })
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(taken.count == 300 && Set(taken).count == 300)
        #expect(try await queue.redis.command("HLEN", QueueKeys.workerLoad).int == 0)
    }
}
