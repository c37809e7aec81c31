import SynthCommon
import SynthHTTPClient
import SynthObjectStore
import SynthPostgres

// synth-exporter: writes stored trajectories as Hugging Face-layout Parquet
// datasets, on request (synth.exports) and on a schedule, and publishes each
// version to the object store.
let runtime = try ServiceRuntime.bootstrap(service: "exporter", defaultPort: 8405)
let database = PostgresClient(url: runtime.configuration.databaseURL)
try await database.migrate(Schema.migrations, logger: runtime.logger)
let publisher = try EventPublisher.connect(runtime.configuration)
let settings = try ExporterSettings.load(home: runtime.configuration.home)
let store = try ObjectStoreFactory.make(home: runtime.configuration.home)
let hub = try settings.hub.map { HubPublisher(settings: $0, client: try HTTPClient()) }
let exporter = DatasetExporter(database: database, publisher: publisher, store: store, hub: hub, settings: settings,
                               logger: runtime.logger)

let router = runtime.makeRouter(readiness: { ["postgres": (try? await database.query("SELECT 1")) != nil] })
let consumer = try EventConsumerService(configuration: runtime.configuration, groupID: "synth-exporter",
                                        topics: [.exports], logger: runtime.logger, handler: exporter.handle)
try await runtime.run(router: router, services: [consumer, ExportSchedule(exporter: exporter, settings: settings)])
