import Testing
import SynthParquet

/// ZSTD and SNAPPY pages: pyarrow and DuckDB decompress every page (dictionary and data pages of
/// flat and nested columns) and must see exactly the values written, and the footer must name
/// the codec on every column chunk.
@Suite struct CompressionTests {
    static let rows = ConversationFixture.handwrittenRows
        + ConversationFixture.generatedRows(count: 600, firstID: 100, seed: 7)

    static func write(_ compression: ParquetCompression, to path: String) throws -> ParquetWriteSummary {
        let writer = try ParquetWriter(
            path: path, schema: ConversationFixture.schema,
            options: ParquetWriterOptions(compression: compression, rowGroupRowLimit: 250, pageRowLimit: 31))
        try writer.write(rows: rows)
        return try writer.close()
    }

    @Test(arguments: [(ParquetCompression.zstd(), "ZSTD"), (.zstd(level: 9), "ZSTD"), (.snappy, "SNAPPY")])
    func pyarrowAndDuckDBReadCompressedPages(compression: ParquetCompression, codecName: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("compressed.parquet")
        _ = try Self.write(compression, to: path)

        let expected = ConversationFixture.schema.expectedReadBack(Self.rows)
        let report = try PythonReader.report(path)
        expectRows(report.rows, equal: expected, reader: "pyarrow")
        let columns = report.rowGroups.flatMap(\.columns)
        #expect(!columns.isEmpty)
        for column in columns {
            #expect(column.compression == codecName, "\(column.path)")
        }
        // Compressed pages really are compressed: the walk sees sizes differ somewhere.
        let pages = columns.flatMap(\.pages)
        #expect(pages.contains { $0.compressedSize < $0.uncompressedSize })
        #expect(pages.contains { $0.type == "DICTIONARY_PAGE" })

        let duckdb = try PythonReader.duckdb(path)
        expectRows(duckdb.rows, equal: expected, reader: "duckdb")
    }

    @Test func compressionShrinksRepetitiveText() throws {
        let directory = try TemporaryDirectory()
        let plain = try Self.write(.uncompressed, to: directory.path("plain.parquet"))
        let zstd = try Self.write(.zstd(), to: directory.path("zstd.parquet"))
        let snappy = try Self.write(.snappy, to: directory.path("snappy.parquet"))
        #expect(zstd.fileByteCount < plain.fileByteCount)
        #expect(snappy.fileByteCount < plain.fileByteCount)
    }

    @Test func emptyAndAllNullColumnsCompress() throws {
        // Pages whose value section is empty (all nulls) still need a valid compressed stream.
        let schema = ParquetSchema(fields: [
            ParquetField(name: "id", type: .int64, nullable: false),
            ParquetField(name: "note", type: .string),
        ])
        for compression in [ParquetCompression.snappy, .zstd()] {
            let directory = try TemporaryDirectory()
            let path = directory.path("nulls.parquet")
            let writer = try ParquetWriter(path: path, schema: schema, options: ParquetWriterOptions(compression: compression))
            let rows: [[ParquetValue]] = (0..<50).map { [.int64(Int64($0)), .null] }
            try writer.write(rows: rows)
            try writer.close()
            let report = try PythonReader.report(path)
            expectRows(report.rows, equal: schema.expectedReadBack(rows), reader: "pyarrow")
        }
    }

    @Test func compressionNamesParse() {
        #expect(ParquetCompression(name: "zstd") == .zstd())
        #expect(ParquetCompression(name: "ZSTD:7") == .zstd(level: 7))
        #expect(ParquetCompression(name: "snappy") == .snappy)
        #expect(ParquetCompression(name: "none") == .uncompressed)
        #expect(ParquetCompression(name: "gzip") == nil)
        #expect(ParquetCompression(name: "zstd:x") == nil)
    }
}
