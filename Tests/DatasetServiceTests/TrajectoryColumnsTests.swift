import Foundation
import Testing
import SynthParquet
@testable import SynthDataset

/// The exporter writes its shards column-wise (`TrajectoryColumns` through
/// `ShardedDatasetWriter`); those files must be byte for byte the ones the row path
/// (`ExportedTrajectory.row` through `ParquetWriter.write(row:)`) writes for the same trajectories.
@Suite struct TrajectoryColumnsTests {
    static let trajectories = TrajectoryFixture.generate(count: 1_500, seed: 7)

    func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trajectory-columns-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func fixtureCoversTheEdgeCases() {
        let messages = Self.trajectories.flatMap(\.messages), steps = Self.trajectories.flatMap(\.steps)
        #expect(Self.trajectories.contains { $0.messages.isEmpty } && Self.trajectories.contains { $0.steps.isEmpty })
        #expect(Self.trajectories.contains { $0.instanceID == nil } && Self.trajectories.contains { $0.qualityScore == nil })
        #expect(Self.trajectories.contains { ($0.finalPatch?.utf8.count ?? 0) > 1_048_576 })
        #expect(messages.contains { $0.toolCalls == nil } && messages.contains { $0.toolCalls?.isEmpty == true })
        #expect(messages.contains { ($0.toolCalls?.count ?? 0) > 1 } && messages.contains { $0.content == nil })
        #expect(messages.contains { $0.content?.contains("🙂") == true })
        #expect(steps.contains { $0.promptTokenIDs == nil } && steps.contains { $0.promptTokenIDs?.isEmpty == true })
        #expect(steps.contains { ($0.completionLogprobs?.count ?? 0) > 0 } && steps.contains { $0.callID != nil && $0.completionLogprobs == nil })
    }

    /// Row groups (rowGroupRowLimit 200) and pages (pageRowLimit 37) cut inside shards of 700
    /// rows; a small batch limit also writes batches that end inside a row group.
    @Test(arguments: [
        (ParquetCompression.zstd(), 32 * 1024 * 1024), (.uncompressed, 32 * 1024 * 1024), (.snappy, 256 * 1024),
    ])
    func shardsAreByteIdenticalToTheRowPath(compression: ParquetCompression, maxBatchBytes: Int) throws {
        let root = try directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let options = ParquetWriterOptions(compression: compression, rowGroupRowLimit: 200, pageRowLimit: 37,
                                           keyValueMetadata: ["synth.export_id": "test"])
        let writer = try ShardedDatasetWriter<TrajectoryColumns>(
            directory: root + "/columns", split: "train", schema: TrajectoryTable.schema, options: options,
            limits: .init(maxShardBytes: .max, maxShardRows: 700, maxBatchBytes: maxBatchBytes))
        for trajectory in Self.trajectories {
            try writer.write(trajectory, byteEstimate: trajectory.byteEstimate)
        }
        let files = try writer.finish()
        #expect(files.count == 3)

        for (index, file) in files.enumerated() {
            let rowPath = root + "/rows-\(index).parquet"
            let rowWriter = try ParquetWriter(path: rowPath, schema: TrajectoryTable.schema, options: options)
            for trajectory in Self.trajectories.dropFirst(index * 700).prefix(700) {
                try rowWriter.write(row: trajectory.row)
            }
            let summary = try rowWriter.close()
            #expect(summary.rowGroupCount == (index < 2 ? 4 : 1), "700 rows in groups of 200, then the last 100")
            let columnBytes = FileManager.default.contents(atPath: root + "/columns/" + file)
            #expect(columnBytes != nil && columnBytes == FileManager.default.contents(atPath: rowPath), "shard \(index)")
        }
    }

    @Test func oneColumnPerSchemaField() {
        var batch = TrajectoryColumns()
        for trajectory in Self.trajectories.prefix(10) { batch.append(trajectory) }
        let columns = batch.columns()
        #expect(columns.count == TrajectoryTable.schema.fields.count)
        #expect(columns.allSatisfy { $0.count == 10 })
        batch.removeAll()
        #expect(batch.count == 0 && batch.estimatedByteCount == 0)
    }
}
