import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import SynthCommon

/// Computes one snapshot per tick for all open monitor pages (so a hundred
/// viewers cost one set of queries) and runs the alert rules on it.
final class MonitorService: Service, Sendable {
    let reader: MonitorReader
    let interval: Duration
    private let logger: Logger
    private let latest = Mutex<(generation: Int, body: [UInt8])?>(nil)

    init(reader: MonitorReader, interval: Duration, logger: Logger) {
        self.reader = reader
        self.interval = interval
        self.logger = logger
    }

    /// The newest snapshot as JSON, and a number that changes with each one.
    func current() -> (generation: Int, body: [UInt8])? { latest.withLock { $0 } }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.tick()
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    func tick() async {
        do {
            var snapshot = try await reader.snapshot()
            await reader.alerts.evaluate(snapshot)
            snapshot.alerts = reader.alerts.states()
            let body = try SynthJSON.encode(snapshot)
            latest.withLock { $0 = (($0?.generation ?? 0) + 1, body) }
        } catch {
            logger.warning("monitor_snapshot_failed", metadata: ["error": "\(error)"])
        }
    }
}
