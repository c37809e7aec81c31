import Foundation
import Logging
import Metrics
import SynthCommon
import SynthDataset
import SynthObjectStore
import SynthParquet
import SynthPostgres

/// Writes one dataset version in the Hugging Face layout (`data/<split>-0000i-of-0000n.parquet`
/// shards plus a `README.md` card) under `<outputRoot>/<export_id>/`, publishes it to the object
/// store under `datasets/<export_id>/`, records it in `exports` and announces DatasetPublished.
struct DatasetExporter: Sendable {
    let database: PostgresClient
    let publisher: EventPublisher
    let store: any ObjectStore
    /// Also publishes each version to a Hugging Face Hub when configured.
    let hub: HubPublisher?
    let settings: ExporterSettings
    let logger: Logger

    func handle(_ event: ConsumedEvent) async throws {
        guard event.header.type == ExportRequested.eventType else { return }
        try await export(try event.payload(ExportRequested.self))
    }

    func export(_ request: ExportRequested) async throws {
        // A redelivered request whose export already finished is not redone.
        if let done = try await database.query("SELECT status FROM exports WHERE export_id = $1", [request.exportID]).first,
           done["status"] == "succeeded" { return }
        try await database.query("""
            INSERT INTO exports (export_id, status, request, schedule_name) VALUES ($1, 'running', $2::jsonb, $3)
            ON CONFLICT (export_id) DO UPDATE SET status = 'running', error = NULL, request = EXCLUDED.request,
                schedule_name = EXCLUDED.schedule_name
            """, [request.exportID, String(decoding: try SynthJSON.encode(request), as: UTF8.self), request.scheduleName])
        let started = ContinuousClock.now
        do {
            let published = try await build(request)
            Counter(label: "synth_datasets_published_total").increment()
            Recorder(label: "synth_export_duration_seconds").record(Double((ContinuousClock.now - started).components.seconds))
            logger.info("dataset_published", metadata: ["export_id": "\(request.exportID)", "rows": "\(published.rows)",
                                                        "location": "\(published.location ?? "")",
                                                        "hub_url": "\(published.hubURL ?? "")"])
        } catch {
            try await database.query("UPDATE exports SET status = 'failed', error = $2, finished_at = now() WHERE export_id = $1",
                                     [request.exportID, "\(error)"])
            throw error
        }
    }

    private func build(_ request: ExportRequested) async throws -> DatasetPublished {
        let directory = settings.outputRoot + "/" + request.exportID
        // A retried export starts from a clean directory.
        try? FileManager.default.removeItem(atPath: directory)
        let start = request.incremental == true ? try await lastWatermark(schedule: request.scheduleName ?? "default") : nil
        // Only an incremental export needs to leave just-stored rows for the next one (see
        // TrajectoryQuery); a one-off export takes everything stored so far.
        let settle = request.incremental == true ? settings.settleSeconds : -60
        let upperBound = Int64((Date().timeIntervalSince1970 - settle) * 1_000_000)
        let query = TrajectoryQuery(database: database, request: request, upperBoundMicros: upperBound)
        let writer = try ShardedDatasetWriter<TrajectoryColumns>(
            directory: directory, split: "train", schema: TrajectoryTable.schema,
            options: ParquetWriterOptions(compression: settings.compression, rowGroupRowLimit: settings.rowGroupRows,
                                          keyValueMetadata: ["synth.export_id": request.exportID]),
            limits: .init(maxShardBytes: settings.maxShardBytes, maxShardRows: max(1, request.maxShardRows ?? settings.maxShardRows)))
        var accumulator = DatasetSummary.Accumulator()
        var watermark = start
        while true {
            let page = try await query.page(after: watermark)
            var last: TrajectoryQuery.Watermark?
            for row in page {
                let trajectory = try ExportedTrajectory(row: row)
                try writer.write(trajectory, byteEstimate: trajectory.byteEstimate)
                accumulator.add(trajectory)
                last = TrajectoryQuery.Watermark(storedAtMicros: Int64(row["stored_us"] ?? "") ?? 0, trajectoryID: row["trajectory_id"] ?? "")
            }
            guard let last else { break }
            watermark = last
        }
        let files = try writer.finish()
        var summary = accumulator.finish()
        summary.files = files
        summary.bytes = writer.fileBytes
        let card = DatasetCard(exportID: request.exportID, license: settings.license, split: "train",
                               schema: TrajectoryTable.schema, summary: summary, filters: Self.describe(request))
        try Data(card.render().utf8).write(to: URL(fileURLWithPath: directory + "/README.md"))

        // Publish: data files first, the card last, so a reader that sees the card sees a whole version.
        let prefix = "datasets/\(request.exportID)/"
        for file in files {
            try await store.put(key: prefix + file, file: directory + "/" + file, contentType: "application/vnd.apache.parquet")
        }
        try await store.put(key: prefix + "README.md", file: directory + "/README.md", contentType: "text/markdown")
        let location = store.location + "/" + prefix
        // The Hub gets the same files as one commit; its URL names that commit, i.e. this version.
        let hubCommit = try await hub?.publish(exportID: request.exportID, directory: directory, files: files + ["README.md"],
                                               summary: "\(summary.rows) trajectories. " + Self.describe(request).joined(separator: "; "))

        let summaryJSON = String(decoding: try SynthJSON.encode(summary), as: UTF8.self)
        let mainPath = directory + "/" + files[0]
        try await database.query("""
            UPDATE exports SET status = 'succeeded', path = $2, rows = $3, summary = $4::jsonb, finished_at = now(),
                files = $5::jsonb, location = $6, watermark_stored_at = 'epoch'::timestamptz + $7::bigint * interval '1 microsecond',
                watermark_trajectory_id = $8
            WHERE export_id = $1
            """, [request.exportID, mainPath, String(summary.rows), summaryJSON,
                  String(decoding: try SynthJSON.encode(files), as: UTF8.self), location,
                  watermark.map { String($0.storedAtMicros) }, watermark?.trajectoryID])
        var published = DatasetPublished(exportID: request.exportID, path: mainPath, rows: summary.rows)
        published.location = location
        published.files = files.map { prefix + $0 } + [prefix + "README.md"]
        published.hubURL = hubCommit?.url
        try await publisher.publish(published)
        return published
    }

    /// Where the last successful export of `schedule` stopped; nil when there was none.
    private func lastWatermark(schedule: String) async throws -> TrajectoryQuery.Watermark? {
        guard let row = try await database.query("""
            SELECT (extract(epoch FROM watermark_stored_at) * 1000000)::bigint AS stored_us, watermark_trajectory_id
            FROM exports WHERE schedule_name = $1 AND status = 'succeeded' AND watermark_stored_at IS NOT NULL
            ORDER BY watermark_stored_at DESC, watermark_trajectory_id DESC LIMIT 1
            """, [schedule]).first, let micros = row["stored_us"].flatMap({ Int64($0) }), let id = row["watermark_trajectory_id"]
        else { return nil }
        return TrajectoryQuery.Watermark(storedAtMicros: micros, trajectoryID: id)
    }

    static func describe(_ request: ExportRequested) -> [String] {
        var filters: [String] = []
        if request.verifiedOnly { filters.append("verification passed") }
        if let minimum = request.minReward { filters.append("reward >= \(minimum)") }
        if let categories = request.categories, !categories.isEmpty { filters.append("categories: \(categories.joined(separator: ", "))") }
        if let models = request.models, !models.isEmpty { filters.append("models: \(models.joined(separator: ", "))") }
        if let after = request.completedAfter { filters.append("completed from \(SynthJSON.formatTimestamp(after))") }
        if let before = request.completedBefore { filters.append("completed before \(SynthJSON.formatTimestamp(before))") }
        if request.incremental == true { filters.append("new since the last '\(request.scheduleName ?? "default")' export") }
        return filters
    }
}
