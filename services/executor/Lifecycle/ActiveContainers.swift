import Metrics
import Synchronization

/// The containers this executor has running: counted for
/// synth_worker_active_containers (episodes run concurrently, so each one
/// adjusts a shared set rather than setting a gauge itself), summed for the
/// worker's CPU and memory gauges, and known by id so the reaper never
/// removes a live episode's container.
final class ActiveContainers: Sendable {
    private struct Usage { var cpuPercent = 0.0; var memoryBytes = 0 }
    private let running = Mutex<[String: Usage]>([:])
    private let activeGauge = Gauge(label: "synth_worker_active_containers")
    private let cpuGauge = Gauge(label: "synth_worker_cpu_usage_percent")
    private let memoryGauge = Gauge(label: "synth_worker_memory_usage_bytes")

    func started(_ id: String) {
        update { $0[id] = Usage() }
    }

    func stopped(_ id: String) {
        update { $0[id] = nil }
    }

    func report(_ id: String, cpuPercent: Double, memoryBytes: Int) {
        update { running in
            guard running[id] != nil else { return }
            running[id] = Usage(cpuPercent: cpuPercent, memoryBytes: memoryBytes)
        }
    }

    func contains(_ id: String) -> Bool {
        running.withLock { $0[id] != nil }
    }

    var count: Int { running.withLock { $0.count } }

    private func update(_ change: (inout [String: Usage]) -> Void) {
        let (count, cpu, memory) = running.withLock { running in
            change(&running)
            return (running.count, running.values.reduce(0) { $0 + $1.cpuPercent }, running.values.reduce(0) { $0 + $1.memoryBytes })
        }
        activeGauge.record(count)
        cpuGauge.record(cpu)
        memoryGauge.record(memory)
    }
}
