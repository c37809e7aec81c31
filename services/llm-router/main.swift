import SynthCommon
import SynthHTTPClient
import SynthRedis

// synth-llm-router: an OpenAI-compatible gateway. Every call is forwarded to
// the configured upstream for its model (or answered by the oracle) and
// recorded to synth.llm-calls.
let runtime = try ServiceRuntime.bootstrap(service: "llm-router", defaultPort: 8401)
let catalog = try ModelCatalog.load()
let redis = try RedisClient(url: runtime.configuration.redisURL)
let publisher = try EventPublisher.connect(runtime.configuration)
let gateway = ChatGateway(catalog: catalog, oracle: OracleModel(redis: redis), upstream: try UpstreamClient(),
                          recorder: CallRecorder(publisher: publisher, logger: runtime.logger), logger: runtime.logger)

let router = runtime.makeRouter(readiness: { ["redis": (try? await redis.command("PING")) != nil] })
ChatRoutes(gateway: gateway, catalog: catalog).register(on: router)
try await runtime.run(router: router, services: [])
