import Foundation
import SynthCommon
import SynthParquet

struct ExporterSettings: Sendable {
    /// Datasets are written under `<outputRoot>/<export_id>/` before they are published.
    var outputRoot: String
    /// Seconds between scheduled exports; 0 turns the interval schedule off.
    var intervalSeconds: Double
    /// A 5-field cron expression (UTC) for scheduled exports; takes precedence over the interval.
    var cron: CronExpression?
    /// What a scheduled export includes.
    var scheduledVerifiedOnly: Bool
    var scheduledMinReward: Double?
    var compression: ParquetCompression
    var maxShardBytes: Int
    var maxShardRows: Int
    var rowGroupRows: Int
    var license: String
    /// Trajectories stored less than this long ago wait for the next export (see TrajectoryQuery).
    var settleSeconds: Double
    /// Where each version is also published on a Hugging Face Hub; nil when off.
    var hub: HubSettings?

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    static func load(home: String, _ environment: EnvironmentReader = EnvironmentReader()) throws -> ExporterSettings {
        let compressionName = environment.string("SYNTH_EXPORT_COMPRESSION", default: "zstd")
        guard let compression = ParquetCompression(name: compressionName) else {
            throw Invalid(description: "SYNTH_EXPORT_COMPRESSION=\(compressionName): use none, snappy, zstd or zstd:<level>")
        }
        let cronText = environment.optionalString("SYNTH_EXPORT_CRON")
        let cron = try cronText.flatMap { $0.isEmpty ? nil : $0 }.map { text in
            do { return try CronExpression(text) } catch { throw Invalid(description: "SYNTH_EXPORT_CRON=\(text): \(error)") }
        }
        let minReward = environment.optionalString("SYNTH_EXPORT_MIN_REWARD").flatMap(Double.init)
        return ExporterSettings(
            outputRoot: environment.string("SYNTH_DATASET_DIR", default: home + "/datasets"),
            intervalSeconds: try environment.double("SYNTH_EXPORT_INTERVAL_SECONDS", default: 0),
            cron: cron,
            scheduledVerifiedOnly: environment.string("SYNTH_EXPORT_VERIFIED_ONLY", default: "true") != "false",
            scheduledMinReward: minReward,
            compression: compression,
            maxShardBytes: try environment.int("SYNTH_EXPORT_SHARD_MAX_BYTES", default: 256 * 1024 * 1024),
            maxShardRows: try environment.int("SYNTH_EXPORT_SHARD_MAX_ROWS", default: 100_000),
            rowGroupRows: try environment.int("SYNTH_EXPORT_ROW_GROUP_ROWS", default: 10_000),
            license: environment.string("SYNTH_DATASET_LICENSE", default: "other"),
            settleSeconds: try environment.double("SYNTH_EXPORT_SETTLE_SECONDS", default: 2),
            hub: try HubSettings.load(environment))
    }
}
