import Foundation
import SynthCommon
import SynthRedis

// synth-bench-queue: the queue core's throughput (enqueue -> lease -> ack,
// no containers) and pickup latency, against a real Redis. Run it with
// bench/queue/run.sh, which puts redis-benchmark's figures on the same Redis
// beside it. Flushes the Redis database it is given.
//
//   synth-bench-queue [--redis URL] [--tasks N] [--concurrency C] [--rate R]

struct Options {
    var redisURL = "redis://127.0.0.1:16379/63"
    var tasks = 100_000
    var concurrency = 32
    var latencyTasks = 5_000
    var rate = 2_000.0

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--redis": redisURL = iterator.next() ?? redisURL
            case "--tasks": tasks = Int(iterator.next() ?? "") ?? tasks
            case "--concurrency": concurrency = Int(iterator.next() ?? "") ?? concurrency
            case "--latency-tasks": latencyTasks = Int(iterator.next() ?? "") ?? latencyTasks
            case "--rate": rate = Double(iterator.next() ?? "") ?? rate
            default: fatalError("unknown argument \(argument)")
            }
        }
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

/// Producers enqueue N tasks while consumers lease and ack them; the clock
/// runs from the first enqueue to the last ack.
func throughput(queue: TaskQueue, options: Options) async throws -> Double {
    let weights = PriorityWeights()
    let bodies = (0..<options.tasks).map(task)
    let next = Counter()
    let acked = Counter()
    let started = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<options.concurrency {
            group.addTask {
                while true {
                    let index = next.increment()
                    if index >= options.tasks { return }
                    let task = bodies[index]
                    try await queue.enqueue(task, score: weights.score(difficulty: task.difficulty.level, scarcity: 0.5, enqueuedAt: Date()))
                }
            }
        }
        for worker in 0..<options.concurrency {
            group.addTask {
                while acked.value < options.tasks {
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
    return Double(options.tasks) / seconds(ContinuousClock.now - started)
}

/// Tasks enqueued at a steady rate; idle workers poll with the executor's
/// back-off (50 ms doubling to 500 ms is the executor's; here 1 ms) and the
/// time from enqueue to lease is recorded.
func pickupLatency(queue: TaskQueue, options: Options) async throws -> [Double] {
    let enqueuedAt = TimeTable()
    let latencies = LatencyLog()
    let done = Counter()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            let interval = 1.0 / options.rate
            let start = ContinuousClock.now
            for index in 0..<options.latencyTasks {
                let due = start + .seconds(Double(index) * interval)
                if due > ContinuousClock.now { try await Task.sleep(until: due, clock: .continuous) }
                let task = task(1_000_000 + index)
                enqueuedAt.set(task.id, ContinuousClock.now)
                try await queue.enqueue(task, score: Double(index))
            }
        }
        for worker in 0..<4 {
            group.addTask {
                while done.value < options.latencyTasks {
                    guard let lease = try await queue.lease(workerID: "latency-w\(worker)", leaseSeconds: 60) else {
                        try await Task.sleep(for: .milliseconds(1))
                        continue
                    }
                    let leasedAt = ContinuousClock.now
                    if let at = enqueuedAt.get(lease.taskID) { latencies.add(seconds(leasedAt - at) * 1000) }
                    try await queue.ack(lease)
                    done.increment()
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
    @discardableResult func increment() -> Int { lock.withLock { count += 1; return count - 1 } }
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
let redis = try RedisClient(url: options.redisURL)
let queue = TaskQueue(redis: redis)
_ = try await redis.command("FLUSHDB")
let rate = try await throughput(queue: queue, options: options)
let depth = try await queue.depth()
_ = try await redis.command("FLUSHDB")
let latencies = try await pickupLatency(queue: queue, options: options)
_ = try await redis.command("FLUSHDB")
print(String(format: "queue_core tasks=%d concurrency=%d tasks_per_second=%.0f leftover_ready=%d leftover_inflight=%d",
             options.tasks, options.concurrency, rate, depth.ready, depth.inflight))
print(String(format: "pickup tasks=%d rate=%.0f/s p50_ms=%.2f p99_ms=%.2f max_ms=%.2f",
             latencies.count, options.rate, percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.last ?? .nan))
