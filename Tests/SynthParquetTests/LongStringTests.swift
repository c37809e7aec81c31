import Testing
import SynthParquet
import SynthTesting

/// Strings and binaries far larger than a page, with multi-byte UTF-8.
@Suite struct LongStringTests {
    static func longText(_ index: Int, byteCount: Int) -> String {
        var text = ""
        var line = 0
        while text.utf8.count < byteCount {
            text += "row \(index) line \(line) — ünïcödé 🎉 中文テキスト ∑∫√\n"
            line += 1
        }
        return text
    }

    @Test func longValuesRoundTripAcrossPages() throws {
        let schema = ParquetSchema(fields: [
            ParquetField(name: "id", type: .int32, nullable: false),
            ParquetField(name: "body", type: .string),
            ParquetField(name: "payload", type: .binary),
        ])
        var random = SplitMix64(seed: 7)
        let rows: [[ParquetValue]] = (0..<12).map { index in
            let bodyBytes = index == 5 ? 1_100_000 : 110_000 + index * 9_000
            return [
                .int32(Int32(index)),
                index % 4 == 3 ? .null : .string(Self.longText(index, byteCount: bodyBytes)),
                index % 3 == 2 ? .null : .binary((0..<150_000).map { _ in UInt8.random(in: 0...255, using: &random) }),
            ]
        }
        let directory = try TemporaryDirectory()
        let path = directory.path("long.parquet")
        let writer = try ParquetWriter(path: path, schema: schema, options: ParquetWriterOptions(pageByteLimit: 256 * 1024))
        try writer.write(rows: rows)
        try writer.close()

        let report = try PythonReader.report(path)
        expectRows(report.rows, equal: schema.expectedReadBack(rows), reader: "pyarrow")
        let body = try #require(report.chunks("body").first)
        #expect(body.dataPages.count > 3, "each page holds at most a few 100 KB values")
        #expect(!body.hasDictionaryPage, "distinct long strings are not worth a dictionary")
        #expect(body.dataPages.allSatisfy { $0.encoding == "PLAIN" })
        // Bounds longer than statisticsValueByteLimit are left out; the null count stays.
        #expect(body.statistics?.hasMinMax == false)
        #expect(body.statistics?.nullCount == 3)
        #expect(report.chunks("id").first?.statistics?.max == .int("11"))
    }
}
