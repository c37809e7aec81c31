import Foundation
import SynthCommon
import SynthRedis

// synth-bench-queue: the queue core's throughput (enqueue -> lease -> ack,
// no containers) and pickup latency, against a real Redis. Run it with
// bench/queue/run.sh, which puts redis-benchmark's figures on the same Redis
// beside it. Flushes the Redis database it is given.
//
// Throughput runs: one task per script call (the single-task API), and
// batched two ways (producers enqueue `--batch` tasks per call, each worker
// leases up to its `--capacity` free slots per call and acks them in one
// call): producers passing the definitions' JSON they hold, then producers
// encoding each definition. Workers decode every definition they lease.
// Each batched way runs `--runs` times, alternating, and its median is
// printed too: on this shared machine one run swings by 10% or more.
// Producers stop while `--max-backlog` tasks are enqueued and not yet acked
// (default 20,000, twice the 10,000 concurrent tasks the platform is sized
// for; 0: no limit, so the producers, faster than the workers, queue most
// of the run's tasks before the workers catch up, and Redis holds them all).
//
//   synth-bench-queue [--redis URL] [--tasks N] [--concurrency C] [--batch B] [--capacity K]
//                     [--single-tasks N] [--latency-tasks N] [--rate R] [--runs N] [--max-backlog N]

struct Options {
    var redisURL = "redis://127.0.0.1:16379/63"
    var tasks = 100_000
    var concurrency = 32
    var singleTasks = 20_000
    var batch = 100
    var capacity = 64
    var latencyTasks = 5_000
    var rate = 2_000.0
    var runs = 3
    var maxBacklog = 20_000

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
            case "--runs": runs = max(1, Int(iterator.next() ?? "") ?? runs)
            case "--max-backlog": maxBacklog = max(0, Int(iterator.next() ?? "") ?? maxBacklog)
            default: fatalError("unknown argument \(argument)")
            }
        }
    }
}

/// CPU this process and Redis spent on a run, per task: the figures to
/// compare on a shared machine, where rates swing with the load. Redis's
/// script share is EVALSHA's total time from INFO commandstats; its whole
/// share is the CPU of its main thread from INFO cpu (scripts, the lease's
/// body reads, parsing, replies, networking and the AOF writes). Both count
/// other clients of the same server too.
struct CPUCost {
    var client: Double
    var redisScripts: Double
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

    /// EVALSHA's total time and the main thread's CPU time, in seconds.
    static func redisSeconds(_ redis: RedisClient) async throws -> (scripts: Double, main: Double) {
        let info = try await redis.command("INFO", "all").string ?? ""
        let lines = info.split(whereSeparator: \.isNewline)
        func value(_ prefix: String) -> Double {
            lines.first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) } ?? 0
        }
        let scripts = lines.first { $0.hasPrefix("cmdstat_evalsha:") }?.split(separator: ",")
            .first { $0.hasPrefix("usec=") }.flatMap { Double($0.dropFirst(5)) } ?? 0
        return (scripts / 1e6, value("used_cpu_user_main_thread:") + value("used_cpu_sys_main_thread:"))
    }

    /// The clocks at the start of a run.
    struct Snapshot {
        let client: Double
        let redis: (scripts: Double, main: Double)

        init(_ redis: RedisClient) async throws {
            client = CPUCost.processSeconds()
            self.redis = try await CPUCost.redisSeconds(redis)
        }

        /// Microseconds per task since the snapshot.
        func cost(_ redis: RedisClient, tasks: Int) async throws -> CPUCost {
            let perTask = 1e6 / Double(max(tasks, 1))
            let now = try await CPUCost.redisSeconds(redis)
            return CPUCost(client: (CPUCost.processSeconds() - client) * perTask, redisScripts: (now.scripts - self.redis.scripts) * perTask,
                           redis: (now.main - self.redis.main) * perTask)
        }
    }

    var text: String {
        String(format: "client_cpu_us_per_task=%.1f redis_script_us_per_task=%.1f redis_cpu_us_per_task=%.1f", client, redisScripts, redis)
    }
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
                    // Backpressure: a producer waits while the queue holds `maxBacklog` tasks not yet acked.
                    while options.maxBacklog > 0, next.value - acked.value >= options.maxBacklog, next.value < options.tasks {
                        try await Task.sleep(for: .microseconds(200))
                    }
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
/// One batched run's figures, and the queue's depth after it (0 and 0: every task was acked).
struct BatchedRun {
    let rate: Double
    let cost: CPUCost
    let depth: (ready: Int, inflight: Int)
}
var batched: [Bool: [BatchedRun]] = [true: [], false: []]
for _ in 0..<options.runs {
    for preEncoded in [true, false] {
        let (rate, cost) = try await batchedThroughput(queue: queue, options: options, preEncoded: preEncoded)
        batched[preEncoded, default: []].append(BatchedRun(rate: rate, cost: cost, depth: try await queue.depth()))
        _ = try await redis.command("FLUSHDB")
    }
}
let latencies = try await pickupLatency(queue: queue, options: options)
_ = try await redis.command("FLUSHDB")
print(String(format: "queue_core_single tasks=%d concurrency=%d tasks_per_second=%.0f leftover_ready=%d leftover_inflight=%d",
             options.singleTasks, options.concurrency, singleRate, singleDepth.ready, singleDepth.inflight) + " " + singleCost.text)
for (preEncoded, name) in [(true, "queue_core_batched"), (false, "queue_core_batched_encoding")] {
    let runs = batched[preEncoded] ?? []
    for (index, run) in runs.enumerated() {
        print("\(name) run=\(index + 1) " + String(format: "tasks=%d concurrency=%d batch=%d capacity=%d max_backlog=%d tasks_per_second=%.0f leftover_ready=%d leftover_inflight=%d",
                     options.tasks, options.concurrency, options.batch, options.capacity, options.maxBacklog, run.rate, run.depth.ready,
                     run.depth.inflight) + " " + run.cost.text)
    }
    let median = runs.sorted { $0.rate < $1.rate }[runs.count / 2]
    print("\(name)_median " + String(format: "runs=%d tasks_per_second=%.0f min=%.0f max=%.0f", runs.count, median.rate,
                 runs.map(\.rate).min() ?? 0, runs.map(\.rate).max() ?? 0) + " " + median.cost.text)
}
print(String(format: "pickup tasks=%d rate=%.0f/s p50_ms=%.2f p99_ms=%.2f max_ms=%.2f",
             latencies.count, options.rate, percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.last ?? .nan))
