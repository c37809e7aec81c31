import Testing
import SynthParquet

/// Many rows: row groups are cut by row count or by bytes, and values survive exactly.
@Suite struct LargeTableTests {
    static let schema = ParquetSchema(fields: [
        ParquetField(name: "id", type: .int64, nullable: false),
        ParquetField(name: "bucket", type: .int32, nullable: false),
        ParquetField(name: "label", type: .string, nullable: false),
        ParquetField(name: "score", type: .double),
    ])
    static let labels = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]

    static func row(_ index: Int) -> [ParquetValue] {
        [
            .int64(Int64(index)),
            .int32(Int32(index % 1000) - 500),
            .string(labels[(index * 7) % labels.count]),
            index % 7 == 0 ? .null : .double(Double(index) * 0.5),
        ]
    }

    @Test func hundredThousandRows() throws {
        let rowCount = 100_000
        let directory = try TemporaryDirectory()
        let path = directory.path("large.parquet")
        let writer = try ParquetWriter(path: path, schema: Self.schema, options: ParquetWriterOptions(rowGroupRowLimit: 30_000))
        for index in 0..<rowCount {
            try writer.write(row: Self.row(index))
        }
        let summary = try writer.close()
        #expect(summary.rowCount == Int64(rowCount))
        #expect(summary.rowGroupCount == 4)

        let samples = [0, 1, 29_999, 30_000, 54_321, 99_999]
        let aggregate = try PythonReader.aggregate(path, sumOf: "id", sampleRows: samples)
        #expect(aggregate.numRows == rowCount)
        #expect(aggregate.numRowGroups == 4)
        #expect(aggregate.sum == String((0..<rowCount).reduce(0, +)))
        #expect(aggregate.nullCounts["score"] == (rowCount + 6) / 7)
        #expect(aggregate.nullCounts["id"] == 0)
        for index in samples {
            #expect(aggregate.rows[String(index)] == Self.schema.expectedReadBack([Self.row(index)])[0], "row \(index)")
        }

        let metadata = try PythonReader.metadata(path)
        for label in metadata.chunks("label") {
            #expect(label.hasDictionaryPage, "ten distinct labels are dictionary-encoded")
            #expect(label.dataPages.allSatisfy { $0.encoding == "RLE_DICTIONARY" })
            #expect(label.pages.first?.numValues == 10)
        }
        #expect(metadata.chunks("bucket").first?.statistics?.min == .int("-500"))
        #expect(metadata.chunks("bucket").first?.statistics?.max == .int("499"))
    }

    @Test func rowGroupsAreCutBySize() throws {
        let schema = ParquetSchema(fields: [
            ParquetField(name: "id", type: .int32, nullable: false),
            ParquetField(name: "text", type: .string, nullable: false),
        ])
        let rows: [[ParquetValue]] = (0..<2_000).map { index in
            [.int32(Int32(index)), .string("\(index):" + String(repeating: Character(UnicodeScalar(UInt8(65 + index % 26))), count: 1_000))]
        }
        let byteLimit = 100_000
        let directory = try TemporaryDirectory()
        let path = directory.path("by-size.parquet")
        let writer = try ParquetWriter(
            path: path, schema: schema, options: ParquetWriterOptions(rowGroupByteLimit: byteLimit, pageByteLimit: 16_384))
        try writer.write(rows: rows)
        try writer.close()

        let report = try PythonReader.report(path)
        expectRows(report.rows, equal: schema.expectedReadBack(rows), reader: "pyarrow")
        #expect(report.rowGroups.count >= 15, "about 2 MB of text in 100 KB row groups")
        for group in report.rowGroups {
            #expect(group.totalByteSize <= byteLimit + 20_000, "a row group stays near the byte limit")
        }
    }
}
