import SynthCommon
import SynthObjectStore
import SynthPostgres

// synth-collector: builds trajectories and the task status projection in
// Postgres from task, step and llm-call events, idempotently, and keeps large
// artifacts in the object store.
let runtime = try ServiceRuntime.bootstrap(service: "collector", defaultPort: 8404)
let database = PostgresClient(url: runtime.configuration.databaseURL)
try await database.migrate(Schema.migrations, logger: runtime.logger)
let publisher = try EventPublisher.connect(runtime.configuration)
let artifacts = try ObjectStoreFactory.make(home: runtime.configuration.home)
let collector = TrajectoryCollector(store: TrajectoryStore(database: database), artifacts: artifacts, publisher: publisher,
                                    logger: runtime.logger)

let router = runtime.makeRouter(readiness: { ["postgres": (try? await database.query("SELECT 1")) != nil] })
// Batches of up to 2,000 events: one transaction and one offset commit each (docs/BENCHMARKS.md).
// Step events, nearly all of them, are read header and payload in one pass.
let consumer = try EventConsumerService(configuration: runtime.configuration, groupID: "synth-collector",
                                        topics: [.tasks, .steps, .llmCalls], logger: runtime.logger, maxEvents: 2000,
                                        read: { bytes in StepExecuted.envelope(bytes: bytes).map { ($0.header, $0.step) } },
                                        prepare: collector.prepare)
try await runtime.run(router: router, services: [consumer])
