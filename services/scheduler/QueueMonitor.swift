import Foundation
import Logging
import Metrics
import ServiceLifecycle
import SynthCommon

/// Publishes the queue's shape: gauges for depth per priority band and state,
/// the oldest waiting age and dead letters, and a QueueDepthChanged event
/// whenever the ready depth moved.
struct QueueMonitor: Service {
    let queue: TaskQueue
    let publisher: EventPublisher
    let settings: SchedulerSettings
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var lastDepth = -1
            while !Task.isCancelled {
                do {
                    let stats = try await queue.stats(weights: settings.weights)
                    for (band, count) in stats.readyByBand {
                        Gauge(label: "synth_queue_depth", dimensions: [("band", band)]).record(count)
                    }
                    Gauge(label: "synth_queue_state_depth", dimensions: [("state", "ready")]).record(stats.ready)
                    Gauge(label: "synth_queue_state_depth", dimensions: [("state", "delayed")]).record(stats.delayed)
                    Gauge(label: "synth_queue_state_depth", dimensions: [("state", "inflight")]).record(stats.inflight)
                    Gauge(label: "synth_queue_dead_letters").record(stats.dead)
                    Gauge(label: "synth_queue_oldest_waiting_seconds").record(stats.oldestWaitingSeconds)
                    if stats.ready != lastDepth {
                        try await publisher.publish(QueueDepthChanged(depth: stats.ready))
                        lastDepth = stats.ready
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("queue_stats_failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(settings.metricsIntervalSeconds))
            }
        }
    }
}
