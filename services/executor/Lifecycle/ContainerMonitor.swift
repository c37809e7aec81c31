import SynthDocker

/// Samples one episode's container every few seconds for the worker's
/// resource gauges (CPU from successive cumulative CPU-time readings, since
/// one-shot stats carry no previous sample).
struct ContainerMonitor: Sendable {
    let docker: DockerClient
    let containerID: String
    let usage: ActiveContainers
    var interval: Duration = .seconds(5)

    func sampleWhileRunning() async {
        var previous: (cpu: Int, at: ContinuousClock.Instant)?
        while !Task.isCancelled {
            if let stats = try? await docker.stats(containerID) {
                let now = ContinuousClock.now
                var percent = 0.0
                if let previous {
                    let wall = now - previous.at
                    let wallNanos = Double(wall.components.seconds) * 1e9 + Double(wall.components.attoseconds) / 1e9
                    if wallNanos > 0 { percent = Double(max(0, stats.cpuTotalNanoseconds - previous.cpu)) / wallNanos * 100 }
                }
                previous = (stats.cpuTotalNanoseconds, now)
                usage.report(containerID, cpuPercent: percent, memoryBytes: stats.memoryWorkingSetBytes)
            }
            try? await Task.sleep(for: interval)
        }
    }
}
