import SynthCommon
import SynthSandbox
import SynthDocker
import SynthRedis

// synth-executor: leases tasks from the Redis queue and runs each as an
// episode in its own container: scaffold steps through the router, then the
// hidden tests and the reward. The reaper removes containers a crashed
// executor of this stack left behind.
let runtime = try ServiceRuntime.bootstrap(service: "executor", defaultPort: 8403)
let settings = try ExecutorSettings.load(instanceID: runtime.configuration.instanceID)
let sandboxSettings = try SandboxSettings.load(redisURL: runtime.configuration.redisURL)
let redis = try RedisClient(url: runtime.configuration.redisURL)
// An executor may start before the scheduler: it moves tasks of the older queue layout itself (idempotent).
if case let moved = try await TaskQueue(redis: redis).migrateLegacyLayout(), moved > 0 {
    runtime.logger.notice("queue_layout_migrated", metadata: ["tasks": "\(moved)"])
}
let docker = try DockerClient(socketPath: settings.dockerSocket)
let publisher = try EventPublisher.connect(runtime.configuration)
let active = ActiveContainers()
let runner = EpisodeRunner(docker: docker, publisher: publisher, router: try RouterClient(baseURL: settings.routerURL),
                           queue: TaskQueue(redis: redis), settings: settings, sandboxSettings: sandboxSettings,
                           logger: runtime.logger, activeContainers: active)
let reaper = ContainerReaper(docker: docker, redis: redis, settings: sandboxSettings, workerID: settings.workerID, active: active,
                             logger: runtime.logger)

let router = runtime.makeRouter(readiness: {
    ["redis": (try? await redis.command("PING")) != nil, "docker": (try? await docker.ping()) != nil]
})
try await runtime.run(router: router, services: [WorkerPool(runner: runner, queue: TaskQueue(redis: redis), publisher: publisher,
                                                            settings: settings, logger: runtime.logger), reaper])
