import SynthCommon
import SynthDocker
import SynthRedis

// synth-executor: leases tasks from the Redis queue and runs each as an
// episode in its own container: scaffold steps through the router, then the
// hidden tests and the reward.
let runtime = try ServiceRuntime.bootstrap(service: "executor", defaultPort: 8403)
let settings = try ExecutorSettings.load(instanceID: runtime.configuration.instanceID)
let redis = try RedisClient(url: runtime.configuration.redisURL)
let docker = try DockerClient(socketPath: settings.dockerSocket)
let publisher = try EventPublisher.connect(runtime.configuration)
let runner = EpisodeRunner(docker: docker, publisher: publisher, router: try RouterClient(baseURL: settings.routerURL),
                           queue: TaskQueue(redis: redis), settings: settings, logger: runtime.logger)

let router = runtime.makeRouter(readiness: {
    ["redis": (try? await redis.command("PING")) != nil, "docker": (try? await docker.ping()) != nil]
})
try await runtime.run(router: router, services: [WorkerPool(runner: runner, queue: TaskQueue(redis: redis), publisher: publisher,
                                                            settings: settings, logger: runtime.logger)])
