import Foundation
import SynthCommon
import SynthDataset
import SynthParquet
import SynthPostgres
import SynthTesting

// Times the exporter's own shard writing of the trajectory table (TrajectoryTable.schema, 26
// fields with nested messages, tool calls, steps, token ids and logprobs) and prints rows/s and
// file size as JSON. bench/datasets/run.sh then has pyarrow write the very same table (read back
// from this file) with the same codec and row-group size.
//   synth-bench-dataset <out-directory> <rows> <none|snappy|zstd> [columns|rows]
// The trajectories are generated as the exporter's Postgres query returns them (JSON text) and
// decoded with ExportedTrajectory(row:) before timing (decode_seconds reports that step).
// columns (default, the exporter's path): ShardedDatasetWriter<TrajectoryColumns> builds the
//   columns from the trajectories and writes them with write(columns:), exporter options.
// Each mode is timed three times in the process; the best run is reported.
// rows (the exporter's former path): ExportedTrajectory.row + ParquetWriter.write(row:), same options.
// prebuilt (the writer alone, like for like with pyarrow's write_table of a table in memory): the
//   whole table's columns are built from the trajectories before timing; only ParquetWriter's
//   write(columns:) and close() are timed.
let arguments = CommandLine.arguments
let mode = arguments.count == 5 ? arguments[4] : "columns"
guard (4...5).contains(arguments.count), let rowCount = Int(arguments[2]), let compression = ParquetCompression(name: arguments[3]),
      ["columns", "rows", "prebuilt"].contains(mode) else {
    FileHandle.standardError.write(Data("usage: synth-bench-dataset <out-directory> <rows> <none|snappy|zstd> [columns|rows|prebuilt]\n".utf8))
    exit(2)
}
let directory = arguments[1]
// The exporter's defaults (ExporterSettings): row groups of 10,000 rows; one shard here, so
// that pyarrow rewrites exactly one file.
let options = ParquetWriterOptions(compression: compression, rowGroupRowLimit: 10_000,
                                   keyValueMetadata: ["synth.export_id": "bench"])

var random = SplitMix64(seed: 42)
let rows = (0..<rowCount).map { generatedRow($0, &random) }
let decodeStarted = ContinuousClock.now
let trajectories = try rows.map { try ExportedTrajectory(row: $0) }
let decodeSeconds = seconds(ContinuousClock.now - decodeStarted)

// The prebuilt mode's table, built once before any timing.
let prebuilt: [ParquetColumn] = mode == "prebuilt" ? {
    var batch = TrajectoryColumns()
    for trajectory in trajectories { batch.append(trajectory) }
    return batch.columns()
}() : []

// Best of three runs of the timed part, on the same decoded trajectories (decoding dominates
// the process's time, so it is done once).
var best: (seconds: Double, cpu: Double, path: String)?
for run in 0..<3 {
    let started = ContinuousClock.now
    let startedCPU = cpuSeconds()
    let path = try writeTable(to: directory + "/run-\(run)")
    let elapsed = seconds(ContinuousClock.now - started)
    let cpu = cpuSeconds() - startedCPU
    if best == nil || elapsed < best!.seconds { best = (elapsed, cpu, path) }
}
let (elapsed, cpu, path) = best!
let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
let report: [String: Any] = [
    "writer": "synth-dataset \(mode)", "path": path, "rows": rowCount, "seconds": elapsed, "cpu_seconds": cpu,
    "rows_per_second": Double(rowCount) / elapsed, "bytes": bytes, "decode_seconds": decodeSeconds,
]
print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))

/// The timed part: the whole table into one shard; returns the file's path.
@MainActor func writeTable(to directory: String) throws -> String {
    try? FileManager.default.removeItem(atPath: directory)
    if mode == "columns" {
        let writer = try ShardedDatasetWriter<TrajectoryColumns>(
            directory: directory, split: "train", schema: TrajectoryTable.schema, options: options,
            limits: .init(maxShardBytes: .max, maxShardRows: .max))
        for trajectory in trajectories {
            try writer.write(trajectory, byteEstimate: trajectory.byteEstimate)
        }
        return directory + "/" + (try writer.finish())[0]
    }
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = directory + "/\(mode).parquet"
    let writer = try ParquetWriter(path: path, schema: TrajectoryTable.schema, options: options)
    if mode == "prebuilt" {
        try writer.write(columns: prebuilt)
        try writer.close()
        return path
    }
    for trajectory in trajectories {
        try writer.write(row: trajectory.row)
    }
    try writer.close()
    return path
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func cpuSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
