import Foundation
import ServiceLifecycle
import SynthCommon

/// Exports on a schedule, without a person: at each time the cron expression names (or every
/// `intervalSeconds`), an incremental export of what was stored since the last scheduled one.
struct ExportSchedule: Service {
    let exporter: DatasetExporter
    let settings: ExporterSettings

    func run() async throws {
        guard settings.cron != nil || settings.intervalSeconds > 0 else {
            // A service that returns early would stop the whole group: idle instead.
            try? await gracefulShutdown()
            return
        }
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let now = Date()
                guard let due = settings.cron.map({ $0.next(after: now) }) ?? now.addingTimeInterval(settings.intervalSeconds) else {
                    exporter.logger.error("export_schedule_never_fires")
                    try? await gracefulShutdown()
                    return
                }
                try await Task.sleep(for: .seconds(max(0, due.timeIntervalSince(Date()))))
                // The id is derived from the due time, so two exporter replicas firing together
                // write one export, not two.
                let stamp = Int64(due.timeIntervalSince1970)
                var request = ExportRequested(exportID: "scheduled-\(stamp)", verifiedOnly: settings.scheduledVerifiedOnly,
                                              minReward: settings.scheduledMinReward)
                request.incremental = true
                request.scheduleName = "default"
                do {
                    try await exporter.export(request)
                } catch {
                    exporter.logger.error("scheduled_export_failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
