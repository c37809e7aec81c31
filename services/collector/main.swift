import SynthCommon
import SynthPostgres

// synth-collector: builds trajectories and the task status projection in
// Postgres from task and step events, idempotently.
let runtime = try ServiceRuntime.bootstrap(service: "collector", defaultPort: 8404)
let database = PostgresClient(url: runtime.configuration.databaseURL)
try await database.migrate(Schema.migrations, logger: runtime.logger)
let publisher = try EventPublisher.connect(runtime.configuration)
let collector = TrajectoryCollector(store: TrajectoryStore(database: database), publisher: publisher, logger: runtime.logger)

let router = runtime.makeRouter(readiness: { ["postgres": (try? await database.query("SELECT 1")) != nil] })
let consumer = try EventConsumerService(configuration: runtime.configuration, groupID: "synth-collector",
                                        topics: [.tasks, .steps], logger: runtime.logger, handler: collector.handle)
try await runtime.run(router: router, services: [consumer])
