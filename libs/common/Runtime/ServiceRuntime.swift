import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// What every synth process shares: JSON-lines logging, Prometheus metrics,
/// an HTTP server with /metrics, /health and /ready, and a ServiceGroup that
/// shuts everything down gracefully on SIGTERM or SIGINT.
public struct ServiceRuntime: Sendable {
    public let configuration: SynthConfiguration
    public let logger: Logger
    public let registry: PrometheusCollectorRegistry

    /// Call once at process start, before anything logs.
    public static func bootstrap(service: String, defaultPort: Int) throws -> ServiceRuntime {
        let configuration = try SynthConfiguration.load(service: service, defaultPort: defaultPort)
        let level = Logger.Level(rawValue: configuration.logLevel.lowercased()) ?? .info
        LoggingSystem.bootstrap { _ in JSONLogHandler(component: service, level: level) }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: service)
        logger[metadataKey: "instance"] = "\(configuration.instanceID)"
        return ServiceRuntime(configuration: configuration, logger: logger, registry: registry)
    }

    /// A router with the endpoints every service has; add the service's own
    /// routes to it. `readiness` names each dependency and whether it answers.
    public func makeRouter(readiness: @escaping @Sendable () async -> [String: Bool]) -> Router<BasicRequestContext> {
        let router = Router()
        let registry = self.registry
        router.get("/metrics") { _, _ in
            HTTPResponses.raw(Data(registry.emitToBuffer()), contentType: "text/plain; version=0.0.4")
        }
        router.get("/health") { _, _ in HTTPResponses.json(["status": "ok"]) }
        router.get("/ready") { _, _ in
            let checks = await readiness()
            let ready = checks.values.allSatisfy { $0 }
            return HTTPResponses.json(ReadinessBody(status: ready ? "ready" : "not_ready", checks: checks),
                                      status: ready ? .ok : .serviceUnavailable)
        }
        return router
    }

    /// Runs the HTTP server and `services` until a shutdown signal, then stops
    /// them in reverse order so in-flight work drains.
    public func run(router: Router<BasicRequestContext>, services: [any Service]) async throws {
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort),
                                 serverName: configuration.serviceName),
            logger: logger)
        let group = ServiceGroup(configuration: .init(
            // A service that finishes on its own (an executor told to stop
            // through the api drains and returns) ends the process cleanly;
            // one that throws still fails it.
            services: (services + [app]).map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        logger.info("service_started", metadata: ["port": "\(configuration.httpPort)"])
        try await group.run()
        logger.info("service_stopped")
    }

    struct ReadinessBody: Encodable {
        var status: String
        var checks: [String: Bool]
    }
}
