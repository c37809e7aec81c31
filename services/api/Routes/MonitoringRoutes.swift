import Foundation
import Hummingbird
import Prometheus
import SynthCommon

/// `GET /api/v1/stats` and `GET /api/v1/metrics` (the same Prometheus text as `/metrics`).
struct MonitoringRoutes: Sendable {
    let stats: StatsReader
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<BasicRequestContext>) {
        router.get("/api/v1/stats") { request, _ in
            try await guarded {
                let query = QueryParameters(request)
                let hours = try query.int("window_hours", default: 24, range: 1...720)
                let minutes = try query.int("bucket_minutes", default: 60, range: 1...1440)
                guard hours * 60 / minutes <= 2000 else {
                    throw APIError.invalid("bucket_minutes", "gives more than 2000 buckets over window_hours; use larger buckets")
                }
                return HTTPResponses.json(try await stats.stats(windowHours: hours, bucketMinutes: minutes))
            }
        }
        let registry = self.registry
        router.get("/api/v1/metrics") { _, _ in
            HTTPResponses.raw(Data(registry.emitToBuffer()), contentType: "text/plain; version=0.0.4")
        }
    }
}
