import Testing
import SynthParquet

/// When string and number columns get a dictionary, and how they fall back to PLAIN.
@Suite struct DictionaryEncodingTests {
    static let schema = ParquetSchema(fields: [
        ParquetField(name: "repeated", type: .string),
        ParquetField(name: "unique", type: .string),
        ParquetField(name: "mixed", type: .string, nullable: false),
        ParquetField(name: "codes", type: .binary),
    ])

    static let statuses = ["queued", "running", "succeeded", "failed", "cancelled"]

    static func row(_ index: Int) -> [ParquetValue] {
        let repeated: ParquetValue = index % 11 == 0 ? .null : .string(statuses[index % statuses.count])
        let unique = ParquetValue.string("unique-value-\(index)-" + String(index * 7919, radix: 16))
        // 300 rows from ten values (the dictionary pays), then distinct 50-byte values that
        // overflow the 2,000-byte dictionary limit.
        let mixed = ParquetValue.string(
            index < 300 ? "common-\(index % 10)" : "distinct-\(index)-" + String(repeating: "v", count: 36))
        let codes = ParquetValue.binary([UInt8(index % 3), 0, 255])
        return [repeated, unique, mixed, codes]
    }

    static let rows: [[ParquetValue]] = (0..<1_000).map(row)

    static let options = ParquetWriterOptions(pageRowLimit: 100, dictionaryByteLimit: 2_000)

    @Test func dictionaryOnlyWhereItPays() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("dictionary.parquet")
        let writer = try ParquetWriter(path: path, schema: Self.schema, options: Self.options)
        try writer.write(rows: Self.rows)
        let summary = try writer.close()

        let report = try PythonReader.report(path)
        expectRows(report.rows, equal: Self.schema.expectedReadBack(Self.rows), reader: "pyarrow")

        let repeated = try #require(report.chunks("repeated").first)
        #expect(repeated.hasDictionaryPage)
        #expect(repeated.pages.first?.type == "DICTIONARY_PAGE")
        #expect(repeated.pages.first?.numValues == 5)
        #expect(repeated.dataPages.count == 10)
        #expect(repeated.dataPages.allSatisfy { $0.encoding == "RLE_DICTIONARY" })
        #expect(repeated.encodings.contains("RLE_DICTIONARY"))
        #expect(repeated.statistics?.min == .string("cancelled"))
        #expect(repeated.statistics?.max == .string("succeeded"))

        let unique = try #require(report.chunks("unique").first)
        #expect(!unique.hasDictionaryPage)
        #expect(unique.dataPages.allSatisfy { $0.encoding == "PLAIN" })

        let mixed = try #require(report.chunks("mixed").first)
        #expect(mixed.hasDictionaryPage)
        let encodings = mixed.dataPages.map(\.encoding)
        let dictionaryPages = encodings.prefix { $0 == "RLE_DICTIONARY" }.count
        #expect(dictionaryPages >= 3, "the first 300 rows are dictionary-encoded")
        #expect(dictionaryPages < encodings.count, "the chunk falls back to PLAIN")
        #expect(encodings.dropFirst(dictionaryPages).allSatisfy { $0 == "PLAIN" }, "no return to the dictionary")
        #expect(mixed.dataPages.map(\.numValues).reduce(0, +) == 1_000)

        let codes = try #require(report.chunks("codes").first)
        #expect(codes.hasDictionaryPage, "binary columns use dictionaries too")
        #expect(summary.dictionaryPageCount == 3)
    }

    @Test func dictionaryCanBeDisabled() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("plain.parquet")
        var options = Self.options
        options.dictionaryEncoding = false
        let writer = try ParquetWriter(path: path, schema: Self.schema, options: options)
        try writer.write(rows: Self.rows)
        try writer.close()

        let report = try PythonReader.report(path)
        expectRows(report.rows, equal: Self.schema.expectedReadBack(Self.rows), reader: "pyarrow")
        for column in report.rowGroups.flatMap(\.columns) {
            #expect(!column.hasDictionaryPage, "\(column.path)")
            #expect(!column.encodings.contains("RLE_DICTIONARY"), "\(column.path)")
        }
    }

    static let numberSchema = ParquetSchema(fields: [
        ParquetField(name: "small", type: .int32),
        ParquetField(name: "unique", type: .int64, nullable: false),
        ParquetField(name: "logprob", type: .double, nullable: false),
        ParquetField(name: "ratio", type: .float, nullable: false),
        ParquetField(name: "mixed", type: .int64, nullable: false),
    ])

    /// Few distinct numbers (with the zeros and NaN that must come back bit for bit), distinct
    /// ones, and a column whose dictionary overflows the 2,000-byte limit after 300 rows.
    static func numberRow(_ index: Int) -> [ParquetValue] {
        let logprobs: [Double] = [-0.0, 0.0, -1.25, .nan, -3.5, -.infinity, .leastNonzeroMagnitude]
        let ratios: [Float] = [0.5, -0.0, .nan, 1]
        return [
            index % 13 == 0 ? .null : .int32(Int32(index % 7) - 3),
            .int64(Int64(index) * 1_000_003 - 5_000_000),
            .double(logprobs[index % logprobs.count]),
            .float(ratios[index % ratios.count]),
            .int64(index < 300 ? Int64(index % 10) : Int64(index) << 33),
        ]
    }

    @Test func numberColumnsUseADictionaryWhereItPays() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("numbers.parquet")
        let rows = (0..<1_000).map(Self.numberRow)
        let writer = try ParquetWriter(path: path, schema: Self.numberSchema, options: Self.options)
        try writer.write(rows: rows)
        let summary = try writer.close()

        let report = try PythonReader.report(path)
        expectRows(report.rows, equal: Self.numberSchema.expectedReadBack(rows), reader: "pyarrow")
        for name in ["small", "logprob", "ratio"] {
            let chunk = try #require(report.chunks(name).first)
            #expect(chunk.hasDictionaryPage, "\(name)")
            #expect(chunk.dataPages.allSatisfy { $0.encoding == "RLE_DICTIONARY" }, "\(name)")
        }
        let unique = try #require(report.chunks("unique").first)
        #expect(!unique.hasDictionaryPage)
        #expect(unique.dataPages.allSatisfy { $0.encoding == "PLAIN" })
        let mixed = try #require(report.chunks("mixed").first)
        let encodings = mixed.dataPages.map(\.encoding)
        let dictionaryPages = encodings.prefix { $0 == "RLE_DICTIONARY" }.count
        #expect(dictionaryPages >= 3, "the first 300 rows are dictionary-encoded")
        #expect(encodings.dropFirst(dictionaryPages).allSatisfy { $0 == "PLAIN" } && dictionaryPages < encodings.count)
        #expect(summary.dictionaryPageCount == 4)
    }
}
