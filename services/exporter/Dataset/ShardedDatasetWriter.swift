import Foundation
import SynthParquet

/// Writes rows into `data/<split>-0000i-of-0000n.parquet` shards of bounded size. The total
/// shard count is only known at the end, so shards are written under temporary names and
/// renamed when the last one is closed.
final class ShardedDatasetWriter {
    struct Limits: Sendable {
        /// A shard is closed once its rows' estimated size reaches this (before compression, so
        /// the file itself stays below it)...
        var maxShardBytes: Int
        /// ...or once it holds this many rows.
        var maxShardRows: Int
    }

    let directory: String
    let split: String
    let schema: ParquetSchema
    let options: ParquetWriterOptions
    let limits: Limits
    private var writer: ParquetWriter?
    private var shardBytes = 0
    private var temporaryPaths: [String] = []
    private(set) var rowCount = 0
    private(set) var fileBytes: Int64 = 0

    init(directory: String, split: String, schema: ParquetSchema, options: ParquetWriterOptions, limits: Limits) throws {
        self.directory = directory
        self.split = split
        self.schema = schema
        self.options = options
        self.limits = limits
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
    }

    func write(row: [ParquetValue], byteEstimate: Int) throws {
        if writer == nil {
            let path = directory + "/data/.\(split)-\(temporaryPaths.count).parquet.partial"
            writer = try ParquetWriter(path: path, schema: schema, options: options)
            temporaryPaths.append(path)
        }
        try writer!.write(row: row)
        rowCount += 1
        shardBytes += byteEstimate
        if shardBytes >= limits.maxShardBytes || writer!.rowCount >= Int64(limits.maxShardRows) {
            try closeShard()
        }
    }

    /// Closes the last shard and gives every shard its final name; returns the relative paths.
    /// An empty dataset still gets one (empty) shard so that readers find its schema.
    func finish() throws -> [String] {
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

    private func closeShard() throws {
        guard let open = writer else { return }
        writer = nil
        shardBytes = 0
        fileBytes += try open.close().fileByteCount
    }
}
