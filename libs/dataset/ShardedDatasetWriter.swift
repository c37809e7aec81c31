import Foundation
import SynthParquet

/// Writes records into `data/<split>-0000i-of-0000n.parquet` shards of bounded size. The total
/// shard count is only known at the end, so shards are written under temporary names and
/// renamed when the last one is closed.
///
/// Records are collected column-wise in a `Batch` and written with `ParquetWriter.write(columns:)`
/// a row group (or `Limits.maxBatchBytes`) at a time. Batches end where row groups and shards end, so
/// the shards are the files `write(row:)` would give for the same records (as long as row groups
/// are cut by `rowGroupRowLimit`, not by `rowGroupByteLimit`, which the two ways check at
/// different rows).
public final class ShardedDatasetWriter<Batch: DatasetBatch> {
    public struct Limits: Sendable {
        /// A shard is closed once its rows' estimated size reaches this (before compression, so
        /// the file itself stays below it)...
        public var maxShardBytes: Int
        /// ...or once it holds this many rows.
        public var maxShardRows: Int
        /// A batch is written once it holds about this many bytes, even before its row group
        /// is full: it bounds the memory of rows not yet encoded.
        public var maxBatchBytes: Int

        public init(maxShardBytes: Int, maxShardRows: Int, maxBatchBytes: Int = 32 * 1024 * 1024) {
            self.maxShardBytes = maxShardBytes
            self.maxShardRows = maxShardRows
            self.maxBatchBytes = maxBatchBytes
        }
    }

    public let directory: String
    public let split: String
    public let schema: ParquetSchema
    public let options: ParquetWriterOptions
    public let limits: Limits
    private var writer: ParquetWriter?
    private var batch = Batch()
    private var shardBytes = 0
    private var shardRows = 0
    private var temporaryPaths: [String] = []
    public private(set) var rowCount = 0
    public private(set) var fileBytes: Int64 = 0

    public init(directory: String, split: String, schema: ParquetSchema, options: ParquetWriterOptions, limits: Limits) throws {
        self.directory = directory
        self.split = split
        self.schema = schema
        self.options = options
        self.limits = limits
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
    }

    public func write(_ record: Batch.Record, byteEstimate: Int) throws {
        if writer == nil {
            let path = directory + "/data/.\(split)-\(temporaryPaths.count).parquet.partial"
            writer = try ParquetWriter(path: path, schema: schema, options: options)
            temporaryPaths.append(path)
        }
        let (batchCount, batchBytes) = Self.append(record, to: &batch)
        rowCount += 1
        shardRows += 1
        shardBytes += byteEstimate
        if shardBytes >= limits.maxShardBytes || shardRows >= limits.maxShardRows {
            try closeShard()
        } else if (writer!.rowCount + Int64(batchCount)) % Int64(options.rowGroupRowLimit) == 0
                    || batchBytes >= limits.maxBatchBytes {
            try writeBatch()
        }
    }

    /// Closes the last shard and gives every shard its final name; returns the relative paths.
    /// An empty dataset still gets one (empty) shard so that readers find its schema.
    public func finish() throws -> [String] {
        if temporaryPaths.isEmpty {
            let path = directory + "/data/.\(split)-0.parquet.partial"
            writer = try ParquetWriter(path: path, schema: schema, options: options)
            temporaryPaths.append(path)
        }
        try closeShard()
        let count = temporaryPaths.count
        var names: [String] = []
        for (index, temporary) in temporaryPaths.enumerated() {
            let name = String(format: "data/%@-%05d-of-%05d.parquet", split, index, count)
            guard rename(temporary, directory + "/" + name) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: directory + "/" + name])
            }
            names.append(name)
        }
        return names
    }

    /// Appends through an inout parameter and reads the batch's size there: read as properties
    /// of this generic class, `batch.count` and `batch.estimatedByteCount` copied the whole
    /// batch (a retain and release of each of its arrays) for every record.
    private static func append(_ record: Batch.Record, to batch: inout Batch) -> (count: Int, estimatedByteCount: Int) {
        batch.append(record)
        return (batch.count, batch.estimatedByteCount)
    }

    private func writeBatch() throws {
        guard let writer, batch.count > 0 else { return }
        try writer.write(columns: batch.columns())
        batch.removeAll()
    }

    private func closeShard() throws {
        guard let open = writer else { return }
        try writeBatch()
        writer = nil
        shardBytes = 0
        shardRows = 0
        fileBytes += try open.close().fileByteCount
    }
}
