import ServiceLifecycle

/// Periodically returns tasks whose worker stopped heartbeating.
struct LeaseReaper: Service {
    let scheduler: Scheduler

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await scheduler.reap()
                } catch is CancellationError {
                    return
                } catch {
                    scheduler.logger.warning("reap_failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(scheduler.settings.reapIntervalSeconds))
            }
        }
    }
}
