import SynthCommon
import SynthRedis

// synth-scheduler: turns TaskSubmitted events into entries of the Redis
// priority queue that executors lease from, returns stalled leases, and
// reports the queue's shape.
let runtime = try ServiceRuntime.bootstrap(service: "scheduler", defaultPort: 8402)
let settings = try SchedulerSettings.load()
let redis = try RedisClient(url: runtime.configuration.redisURL)
let queue = TaskQueue(redis: redis)
// Tasks queued by a release with the one-hash-per-task layout move to the shared hashes before anything reads them.
if case let moved = try await queue.migrateLegacyLayout(), moved > 0 {
    runtime.logger.notice("queue_layout_migrated", metadata: ["tasks": "\(moved)"])
}
for advice in await queue.serverSettingAdvice() {
    runtime.logger.warning("redis_setting", metadata: ["advice": "\(advice)"])
}
let publisher = try EventPublisher.connect(runtime.configuration)
let scheduler = Scheduler(queue: queue, publisher: publisher, settings: settings, logger: runtime.logger)

let router = runtime.makeRouter(readiness: { ["redis": (try? await redis.command("PING")) != nil] })
let consumer = try EventConsumerService(configuration: runtime.configuration, groupID: "synth-scheduler",
                                        topics: [.tasks], logger: runtime.logger, maxEvents: 500, batchHandler: scheduler.handle)
try await runtime.run(router: router, services: [
    consumer, LeaseReaper(scheduler: scheduler),
    QueueMonitor(queue: queue, publisher: publisher, settings: settings, logger: runtime.logger),
])
