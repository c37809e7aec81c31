import SynthCommon
import SynthPostgres

// synth-api: accepts tasks over HTTP, stores them with their TaskSubmitted
// event in one transaction (outbox), and relays the outbox to Kafka.
let runtime = try ServiceRuntime.bootstrap(service: "api", defaultPort: 8400)
let database = PostgresClient(url: runtime.configuration.databaseURL)
try await database.migrate(Schema.migrations, logger: runtime.logger)
let publisher = try EventPublisher.connect(runtime.configuration)
let store = TaskStore(database: database, publisher: publisher)

let router = runtime.makeRouter(readiness: { ["postgres": (try? await database.query("SELECT 1")) != nil] })
TaskRoutes(store: store, logger: runtime.logger).register(on: router)
ExportRoutes(store: store).register(on: router)
try await runtime.run(router: router, services: [OutboxRelay(database: database, publisher: publisher, logger: runtime.logger)])
