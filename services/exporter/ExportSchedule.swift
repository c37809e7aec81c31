import Foundation
import ServiceLifecycle
import SynthCommon

/// Exports everything verified every `intervalSeconds`, without a person.
struct ExportSchedule: Service {
    let exporter: DatasetExporter
    let intervalSeconds: Double

    func run() async throws {
        guard intervalSeconds > 0 else {
            // A service that returns early would stop the whole group: idle instead.
            try? await gracefulShutdown()
            return
        }
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(intervalSeconds))
                let request = ExportRequested(exportID: "scheduled-" + UUID().uuidString.lowercased(), verifiedOnly: true, minReward: nil)
                do {
                    try await exporter.export(request)
                } catch {
                    exporter.logger.error("scheduled_export_failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
