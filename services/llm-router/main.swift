import Foundation
import NIOCore
import NIOPosix
import SynthCommon
import SynthHTTPClient
import SynthRedis

// synth-llm-router: an OpenAI-compatible gateway. Each call is routed by its
// route's strategy to an upstream deployment (OpenAI-format, Anthropic or
// Gemini), with retries, cooldowns, fallbacks and Redis-shared budgets, or
// answered by the oracle; every call is recorded to synth.llm-calls.

// Swift concurrency's jobs run on NIO's event loops (the threads serving the
// sockets) instead of a separate pool: a call's handler, gateway and reply
// writer no longer hand off between the two twice per request. Must come
// before any task starts. SYNTH_ROUTER_NIO_EXECUTOR=0 keeps the default pool.
if ProcessInfo.processInfo.environment["SYNTH_ROUTER_NIO_EXECUTOR"] != "0" {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
let runtime = try ServiceRuntime.bootstrap(service: "llm-router", defaultPort: 8401)
let config = try RouterConfig.load()
let redis = try RedisClient(url: runtime.configuration.redisURL)
let publisher = try EventPublisher.connect(runtime.configuration)
let journalDirectory = runtime.configuration.home + "/router-journal/\(runtime.configuration.httpPort)"
let journal = try RecordJournal(directory: URL(fileURLWithPath: EnvironmentReader().optionalString("SYNTH_ROUTER_JOURNAL_DIR") ?? journalDirectory),
                                publisher: publisher, logger: runtime.logger)
let health = DeploymentHealth(allowedFailures: config.resilience.allowedFailures, cooldownSeconds: config.resilience.cooldownSeconds)
let gateway = ChatGateway(
    config: config, planner: RoutePlanner(config: config, health: health), health: health,
    ledger: SpendLedger(redis: redis, journal: journal, thresholds: config.costThresholds, logger: runtime.logger),
    limiter: RateLimiter(redis: redis), http: try HTTPClient(maximumCachedConnections: 256, loops: 4), oracle: OracleModel(redis: redis),
    journal: journal, metrics: RouterMetrics(registry: runtime.registry),
    logger: runtime.logger)
runtime.logger.info("router_config", metadata: ["models": "\(config.models.keys.sorted())", "routes": "\(config.routes.keys.sorted())",
                                                "budgets": "\(config.budgets.count)"])

let router = runtime.makeRouter(readiness: { ["redis": (try? await redis.command("PING")) != nil] })
ChatRoutes(gateway: gateway, config: config).register(on: router)
try await runtime.run(router: router, services: [JournalService(journal: journal)])
