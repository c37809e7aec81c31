import Foundation
import SynthCommon
import SynthRedis

// synth-bench-queue: the queue core's throughput (enqueue -> lease -> ack,
// no containers) and pickup latency, against a real Redis. Run it with
// bench/queue/run.sh, which puts redis-benchmark's figures on the same Redis
// beside it. Flushes the Redis database it is given.
//
// Three throughput runs: one task per script call (the single-task API),
// and batched twice (producers enqueue `--batch` tasks per call, each worker
// leases up to its `--capacity` free slots per call and acks them in one
// call): producers passing the definitions' JSON they hold, then producers
// encoding each definition. Workers decode every definition they lease.
//
//   synth-bench-queue [--redis URL] [--tasks N] [--concurrency C] [--batch B] [--capacity K]
//                     [--single-tasks N] [--latency-tasks N] [--rate R]

struct Options {
    var redisURL = "redis://127.0.0.1:16379/63"
    var tasks = 100_000
    var concurrency = 32
    var singleTasks = 20_000
    var batch = 100
    var capacity = 64
    var latencyTasks = 5_000
    var rate = 2_000.0

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--redis": redisURL = iterator.next() ?? redisURL
            case "--tasks": tasks = Int(iterator.next() ?? "") ?? tasks
            case "--concurrency": concurrency = Int(iterator.next() ?? "") ?? concurrency
            case "--single-tasks": singleTasks = Int(iterator.next() ?? "") ?? singleTasks
            case "--batch": batch = Int(iterator.next() ?? "") ?? batch
            case "--capacity": capacity = Int(iterator.next() ?? "") ?? capacity
            case "--latency-tasks": latencyTasks = Int(iterator.next() ?? "") ?? latencyTasks
            case "--rate": rate = Double(iterator.next() ?? "") ?? rate
            default: fatalError("unknown argument \(argument)")
            }
        }
    }
}

/// CPU this process and Redis's scripts spent on a run, per task: the
/// figures to compare on a shared machine, where rates swing with the load.
/// Redis's share is EVALSHA's total time from INFO commandstats (every
/// queue operation is one script), which counts other clients' scripts on
/// the same server too.
struct CPUCost {
    var client: Double
    var redis: Double

    static func processSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func redisScriptSeconds(_ redis: RedisClient) async throws -> Double {
        let info = try await redis.command("INFO", "commandstats").string ?? ""
        guard let line = info.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cmdstat_evalsha:") }),
              let field = line.split(separator: ",").first(where: { $0.hasPrefix("usec=") }) else { return 0 }
        return (Double(field.dropFirst(5)) ?? 0) / 1e6
    }

    /// Both clocks at the start of a run.
    struct Snapshot {
        let client: Double
        let scripts: Double

        init(_ redis: RedisClient) async throws {
            client = CPUCost.processSeconds()
            scripts = try await CPUCost.redisScriptSeconds(redis)
        }

        /// Microseconds per task since the snapshot.
        func cost(_ redis: RedisClient, tasks: Int) async throws -> CPUCost {
            let perTask = 1e6 / Double(max(tasks, 1))
            return CPUCost(client: (CPUCost.processSeconds() - client) * perTask,
                           redis: (try await CPUCost.redisScriptSeconds(redis) - scripts) * perTask)
        }
    }

    var text: String { String(format: "client_cpu_us_per_task=%.1f redis_script_us_per_task=%.1f", client, redis) }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func task(_ index: Int) -> TaskDefinition {
    TaskDefinition(id: "bench-\(index)", instruction: "benchmark task \(index)", category: ["bugfix", "feature", "refactor"][index % 3],
                   difficulty: Difficulty.allCases[index % 4], dockerImage: "synth-python:bookworm",
                   verificationTests: [TestSpec(name: "t", command: "true")])
}

/// One task per call: producers enqueue N tasks while workers (capacity 4)
/// lease and ack them one at a time; the clock runs from the first enqueue to
/// the last ack.
func singleThroughput(queue: TaskQueue, options: Options) async throws -> (Double, CPUCost) {
    let weights = PriorityWeights()
    let tasks = options.singleTasks
    let bodies = (0..<tasks).map(task)
    let next = Counter()
    let acked = Counter()
    let cpu = try await CPUCost.Snapshot(queue.redis)
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<options.concurrency {
            group.addTask {
                while true {
                    let index = next.increment()
                    if index >= tasks { return }
                    let task = bodies[index]
                    try await queue.enqueue(task, score: weights.score(difficulty: task.difficulty.level, scarcity: 0.5, enqueuedAt: Date()))
                }
            }
        }
        for worker in 0..<options.concurrency {
            group.addTask {
                while acked.value < tasks {
                    guard let lease = try await queue.lease(workerID: "bench-w\(worker)", leaseSeconds: 60, workerCapacity: 4) else {
                        await Task.yield()
                        continue
                    }
                    try await queue.ack(lease)
                    acked.increment()
                }
            }
        }
        try await group.waitForAll()
    }
    let rate = Double(tasks) / seconds(ContinuousClock.now - started)
    return (rate, try await cpu.cost(queue.redis, tasks: tasks))
}

/// Batched: producers enqueue `batch` tasks per call; each worker leases up
/// to `capacity` tasks per call (as many as it has free slots; all of them,
/// since it acks everything it got) and acks them in one call. Every lease
/// decodes each task's definition, as an executor's does. With
/// `preEncoded`, producers pass each definition's JSON as they already have
/// it (the scheduler slices it out of the TaskSubmitted event), encoded
/// before the clock starts; without, enqueue encodes each definition.
func batchedThroughput(queue: TaskQueue, options: Options, preEncoded: Bool) async throws -> (Double, CPUCost) {
    let weights = PriorityWeights()
    let bodies = (0..<options.tasks).map(task)
    let encoded = preEncoded ? try bodies.map { try SynthJSON.encode($0) } : []
    let next = Counter()
    let acked = Counter()
    let cpu = try await CPUCost.Snapshot(queue.redis)
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<options.concurrency {
            group.addTask {
                while true {
                    let first = next.add(options.batch)
                    if first >= options.tasks { return }
                    let now = Date()
                    let entries = (first..<min(first + options.batch, options.tasks)).map { index in
                        let task = bodies[index]
                        let score = weights.score(difficulty: task.difficulty.level, scarcity: 0.5, enqueuedAt: now)
                        return preEncoded ? QueueEntry(task: task, encoded: encoded[index], score: score, enqueuedAt: now)
                                          : QueueEntry(task: task, score: score, enqueuedAt: now)
                    }
                    _ = try await queue.enqueue(entries)
                }
            }
        }
        for worker in 0..<options.concurrency {
            group.addTask {
                while acked.value < options.tasks {
                    let leases = try await queue.lease(workerID: "bench-w\(worker)", upTo: options.capacity, leaseSeconds: 60,
                                                       workerCapacity: options.capacity)
                    if leases.isEmpty {
                        await Task.yield()
                        continue
                    }
                    // The definitions were decoded by lease(); a lost one would be a bug.
                    precondition(leases.allSatisfy { $0.task?.id == $0.taskID }, "a leased task came back without its definition")
                    _ = try await queue.ack(leases)
                    acked.add(leases.count)
                }
            }
        }
        try await group.waitForAll()
    }
    let rate = Double(options.tasks) / seconds(ContinuousClock.now - started)
    return (rate, try await cpu.cost(queue.redis, tasks: options.tasks))
}

/// Tasks enqueued at a steady rate, in one batch per millisecond (the tasks
/// due by then); 4 idle workers poll every 1 ms (the executor backs off from
/// 50 ms to 500 ms; here 1 ms), lease up to 16 at once, and the time from
/// enqueue to lease is recorded.
func pickupLatency(queue: TaskQueue, options: Options) async throws -> [Double] {
    let enqueuedAt = TimeTable()
    let latencies = LatencyLog()
    let done = Counter()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            let start = ContinuousClock.now
            var sent = 0
            while sent < options.latencyTasks {
                let due = min(options.latencyTasks, Int(seconds(ContinuousClock.now - start) * options.rate) + 1)
                if due > sent {
                    let entries = (sent..<due).map { QueueEntry(task: task(1_000_000 + $0), score: Double($0)) }
                    let now = ContinuousClock.now
                    for entry in entries { enqueuedAt.set(entry.task.id, now) }
                    _ = try await queue.enqueue(entries)
                    sent = due
                }
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        for worker in 0..<4 {
            group.addTask {
                while done.value < options.latencyTasks {
                    let leases = try await queue.lease(workerID: "latency-w\(worker)", upTo: 16, leaseSeconds: 60)
                    if leases.isEmpty {
                        try await Task.sleep(for: .milliseconds(1))
                        continue
                    }
                    let leasedAt = ContinuousClock.now
                    for lease in leases {
                        if let at = enqueuedAt.get(lease.taskID) { latencies.add(seconds(leasedAt - at) * 1000) }
                    }
                    _ = try await queue.ack(leases)
                    done.add(leases.count)
                }
            }
        }
        try await group.waitForAll()
    }
    return latencies.sorted()
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    @discardableResult func increment() -> Int { add(1) }
    /// Adds `n` and returns the value before.
    @discardableResult func add(_ n: Int) -> Int { lock.withLock { count += n; return count - n } }
}

final class TimeTable: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [String: ContinuousClock.Instant] = [:]
    func set(_ id: String, _ instant: ContinuousClock.Instant) { lock.withLock { times[id] = instant } }
    func get(_ id: String) -> ContinuousClock.Instant? { lock.withLock { times[id] } }
}

final class LatencyLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func add(_ value: Double) { lock.withLock { values.append(value) } }
    func sorted() -> [Double] { lock.withLock { values.sorted() } }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

let options = Options(CommandLine.arguments)
// One pooled connection per concurrent caller (producers + workers), as a
// service sized for its concurrency would have.
let redis = try RedisClient(url: options.redisURL, maxIdleConnections: 2 * options.concurrency + 8)
let queue = TaskQueue(redis: redis)
_ = try await redis.command("FLUSHDB")
let (singleRate, singleCost) = try await singleThroughput(queue: queue, options: options)
let singleDepth = try await queue.depth()
_ = try await redis.command("FLUSHDB")
let (rate, cost) = try await batchedThroughput(queue: queue, options: options, preEncoded: true)
let depth = try await queue.depth()
_ = try await redis.command("FLUSHDB")
let (encodingRate, encodingCost) = try await batchedThroughput(queue: queue, options: options, preEncoded: false)
let encodingDepth = try await queue.depth()
_ = try await redis.command("FLUSHDB")
let latencies = try await pickupLatency(queue: queue, options: options)
_ = try await redis.command("FLUSHDB")
print(String(format: "queue_core_single tasks=%d concurrency=%d tasks_per_second=%.0f leftover_ready=%d leftover_inflight=%d",
             options.singleTasks, options.concurrency, singleRate, singleDepth.ready, singleDepth.inflight) + " " + singleCost.text)
print(String(format: "queue_core_batched tasks=%d concurrency=%d batch=%d capacity=%d tasks_per_second=%.0f leftover_ready=%d leftover_inflight=%d",
             options.tasks, options.concurrency, options.batch, options.capacity, rate, depth.ready, depth.inflight) + " " + cost.text)
print(String(format: "queue_core_batched_encoding tasks=%d concurrency=%d batch=%d capacity=%d tasks_per_second=%.0f leftover_ready=%d leftover_inflight=%d",
             options.tasks, options.concurrency, options.batch, options.capacity, encodingRate, encodingDepth.ready,
             encodingDepth.inflight) + " " + encodingCost.text)
print(String(format: "pickup tasks=%d rate=%.0f/s p50_ms=%.2f p99_ms=%.2f max_ms=%.2f",
             latencies.count, options.rate, percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.last ?? .nan))
