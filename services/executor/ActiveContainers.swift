import Metrics
import Synchronization

/// Counts the containers this executor has running, for
/// synth_worker_active_containers: episodes run concurrently, so each one
/// adjusts a shared count rather than setting the gauge itself.
final class ActiveContainers: Sendable {
    private let count = Mutex(0)
    private let gauge = Gauge(label: "synth_worker_active_containers")

    func started() { update(+1) }
    func stopped() { update(-1) }

    private func update(_ delta: Int) {
        let value = count.withLock { value in
            value += delta
            return value
        }
        gauge.record(value)
    }
}
