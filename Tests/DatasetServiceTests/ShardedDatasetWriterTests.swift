import Foundation
import Testing
import SynthParquet
@testable import SynthDataset

/// The smallest batch: one int64 column.
struct IDBatch: DatasetBatch {
    var ids: [Int64] = []
    var count: Int { ids.count }
    var estimatedByteCount: Int { ids.count * 8 }
    mutating func append(_ id: Int64) { ids.append(id) }
    func columns() -> [ParquetColumn] { [.int64s(ids)] }
    mutating func removeAll() { ids.removeAll() }
}

@Suite struct ShardedDatasetWriterTests {
    static let schema = ParquetSchema(fields: [ParquetField(name: "id", type: .int64, nullable: false)])

    func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shards-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func rowLimitCutsShardsAndNamesThemOfN() throws {
        let root = try directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let writer = try ShardedDatasetWriter<IDBatch>(directory: root, split: "train", schema: Self.schema, options: ParquetWriterOptions(),
                                              limits: .init(maxShardBytes: .max, maxShardRows: 4))
        for id in 0..<10 { try writer.write(Int64(id), byteEstimate: 8) }
        let files = try writer.finish()
        #expect(files == ["data/train-00000-of-00003.parquet", "data/train-00001-of-00003.parquet", "data/train-00002-of-00003.parquet"])
        let left = try FileManager.default.contentsOfDirectory(atPath: root + "/data").sorted()
        #expect(left == files.map { String($0.dropFirst(5)) }, "no temporary files remain")
    }

    @Test func byteLimitCutsShards() throws {
        let root = try directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let writer = try ShardedDatasetWriter<IDBatch>(directory: root, split: "train", schema: Self.schema, options: ParquetWriterOptions(),
                                              limits: .init(maxShardBytes: 100, maxShardRows: .max))
        for id in 0..<5 { try writer.write(Int64(id), byteEstimate: 60) }
        #expect(try writer.finish().count == 3)
    }

    @Test func emptyDatasetStillHasOneShard() throws {
        let root = try directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let writer = try ShardedDatasetWriter<IDBatch>(directory: root, split: "train", schema: Self.schema, options: ParquetWriterOptions(),
                                              limits: .init(maxShardBytes: 100, maxShardRows: 10))
        #expect(try writer.finish() == ["data/train-00000-of-00001.parquet"])
    }
}
