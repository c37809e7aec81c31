import Foundation
import SynthCommon
import SynthKafka
import SynthPostgres
import SynthRedis

// synth-api: the REST api. Tasks are stored with their TaskSubmitted event in
// one transaction (outbox) and relayed to Kafka; reads come from Postgres
// projections and the Redis queue. `synth-api create-key --id NAME` makes a key.
if CommandLine.arguments.dropFirst().first == "create-key" {
    try await CreateKeyCommand.run(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
let runtime = try ServiceRuntime.bootstrap(service: "api", defaultPort: 8400)
let environment = EnvironmentReader()
let database = PostgresClient(url: runtime.configuration.databaseURL)
try await database.migrate(Schema.migrations, logger: runtime.logger)
let publisher = try EventPublisher.connect(runtime.configuration)
let redis = try RedisClient(url: runtime.configuration.redisURL)
let queue = TaskQueue(redis: redis)
let kafkaAdmin = try KafkaAdmin(bootstrapServers: runtime.configuration.kafkaBootstrapServers, clientID: "synth-api-ready")
let keys = APIKeyStore(database: database)
for entry in try APIKeyStore.parseBootstrap(environment.optionalString("SYNTH_API_KEYS") ?? "") {
    try await keys.put(id: entry.id, name: entry.id, key: entry.key)
    runtime.logger.info("api_key_installed", metadata: ["key_id": "\(entry.id)"])
}
let weights = PriorityWeights(
    difficulty: try environment.double("SYNTH_PRIORITY_DIFFICULTY_WEIGHT", default: 1),
    category: try environment.double("SYNTH_PRIORITY_CATEGORY_WEIGHT", default: 2),
    age: try environment.double("SYNTH_PRIORITY_AGE_WEIGHT", default: 0.01))

let store = TaskStore(database: database, publisher: publisher)
let router = runtime.makeRouter(readiness: {
    async let postgres = (try? await database.query("SELECT 1")) != nil
    async let redisUp = (try? await redis.command("PING")) != nil
    async let kafka = (try? await kafkaAdmin.partitions(of: Topic.tasks.rawValue, timeout: .seconds(2))) != nil
    return ["postgres": await postgres, "redis": await redisUp, "kafka": await kafka]
})
router.add(middleware: APIKeyMiddleware(keys: keys, logger: runtime.logger))
let taskRoutes = TaskRoutes(store: store, queue: queue, logger: runtime.logger)
taskRoutes.register(on: router)
TrajectoryRoutes(reader: TrajectoryReader(database: database), store: store).register(on: router)
WorkerRoutes(queue: queue).register(on: router)
let statsReader = StatsReader(database: database, queue: queue, weights: weights)
MonitoringRoutes(stats: statsReader, registry: runtime.registry).register(on: router)
let alerts = try AlertEvaluator(rules: try AlertRule.load(environment), defaultWebhook: environment.optionalString("SYNTH_ALERT_WEBHOOK_URL"),
                                redis: redis, publisher: publisher, logger: runtime.logger)
let monitor = MonitorService(reader: MonitorReader(database: database, stats: statsReader, queue: queue, alerts: alerts),
                             interval: .milliseconds(try environment.int("SYNTH_MONITOR_INTERVAL_MS", default: 2_000)), logger: runtime.logger)
MonitorRoutes(service: monitor).register(on: router)
TemplateRoutes(templates: TemplateStore(database: database), tasks: store, taskRoutes: taskRoutes, logger: runtime.logger).register(on: router)
OpenAPIRoutes().register(on: router)
try await runtime.run(router: router, services: [OutboxRelay(database: database, publisher: publisher, logger: runtime.logger), monitor])
