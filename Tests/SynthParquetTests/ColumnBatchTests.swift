import Foundation
import Testing
import SynthParquet

/// `write(columns:)`: column-wise batches must give the very file that rows written one by one
/// give, whatever the batch boundaries, and a bad batch must leave no trace.
@Suite struct ColumnBatchTests {
    static let rows = ConversationFixture.handwrittenRows
        + ConversationFixture.generatedRows(count: 400, firstID: 100, seed: 42)
    static let options = ParquetWriterOptions(compression: .zstd(), rowGroupRowLimit: 120, pageRowLimit: 23)

    @Test func batchesWriteTheSameFileAsRows() throws {
        let directory = try TemporaryDirectory()
        let rowPath = directory.path("rows.parquet")
        let rowWriter = try ParquetWriter(path: rowPath, schema: ConversationFixture.schema, options: Self.options)
        try rowWriter.write(rows: Self.rows)
        let rowSummary = try rowWriter.close()

        // Batch sizes that cross row-group (120) and page (23) boundaries, and an empty batch.
        let columnPath = directory.path("columns.parquet")
        let columnWriter = try ParquetWriter(path: columnPath, schema: ConversationFixture.schema, options: Self.options)
        var start = 0
        for size in [1, 0, 7, 150, 3, 119, 500] where start < Self.rows.count {
            let end = min(Self.rows.count, start + size)
            try columnWriter.write(columns: ParquetColumn.columns(from: Array(Self.rows[start..<end]), schema: ConversationFixture.schema))
            start = end
        }
        #expect(start == Self.rows.count)
        let columnSummary = try columnWriter.close()

        #expect(columnSummary == rowSummary)
        #expect(FileManager.default.contents(atPath: columnPath) == FileManager.default.contents(atPath: rowPath))
        let expected = ConversationFixture.schema.expectedReadBack(Self.rows)
        expectRows(try PythonReader.report(columnPath).rows, equal: expected, reader: "pyarrow")
        expectRows(try PythonReader.duckdb(columnPath).rows, equal: expected, reader: "duckdb")
    }

    @Test func everyPrimitiveTypeMatchesRows() throws {
        let directory = try TemporaryDirectory()
        let rowPath = directory.path("flat-rows.parquet")
        let rowWriter = try ParquetWriter(path: rowPath, schema: FlatColumnTests.schema, options: FlatColumnTests.options)
        try rowWriter.write(rows: FlatColumnTests.rows)
        try rowWriter.close()

        let columnPath = directory.path("flat-columns.parquet")
        let columnWriter = try ParquetWriter(path: columnPath, schema: FlatColumnTests.schema, options: FlatColumnTests.options)
        try columnWriter.write(columns: ParquetColumn.columns(from: FlatColumnTests.rows, schema: FlatColumnTests.schema))
        try columnWriter.close()
        #expect(FileManager.default.contents(atPath: columnPath) == FileManager.default.contents(atPath: rowPath))
    }

    /// Columns built directly, as an exporter does, without going through rows.
    @Test func handBuiltColumnsReadBack() throws {
        let schema = ParquetSchema(fields: [
            ParquetField(name: "id", type: .int64, nullable: false),
            ParquetField(name: "tags", type: .list(of: .string, elementNullable: true)),
            ParquetField(name: "scores", type: .list(of: .double, elementNullable: false), nullable: false),
        ])
        var tags = ParquetByteArrayColumnBuilder()
        for tag in ["a", "日本語 ✓", String(repeating: "long ", count: 20_000)] { tags.append(tag) }
        tags.appendNull()
        // Rows: ["a", "日本語 ✓"], null, [], [long, null]
        let columns: [ParquetColumn] = [
            .int64s([1, 2, 3, 4]),
            .list(offsets: [0, 2, 2, 2, 4], element: tags.column, validity: [true, false, true, true]),
            .list(offsets: [0, 1, 1, 3, 3], element: .doubles([0.5, -1, 2.25])),
        ]
        let directory = try TemporaryDirectory()
        let path = directory.path("hand-built.parquet")
        let writer = try ParquetWriter(path: path, schema: schema)
        try writer.write(columns: columns)
        try writer.close()

        let rows: [[ParquetValue]] = [
            [.int64(1), .list([.string("a"), .string("日本語 ✓")]), .list([.double(0.5)])],
            [.int64(2), .null, .list([])],
            [.int64(3), .list([]), .list([.double(-1), .double(2.25)])],
            [.int64(4), .list([.string(String(repeating: "long ", count: 20_000)), .null]), .list([])],
        ]
        expectRows(try PythonReader.report(path).rows, equal: schema.expectedReadBack(rows), reader: "pyarrow")
    }

    @Test func badBatchesNameTheColumnAndAreNotWritten() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("validated-columns.parquet")
        let schema = ConversationFixture.schema
        let writer = try ParquetWriter(path: path, schema: schema)
        let good = ConversationFixture.handwrittenRows
        try writer.write(columns: ParquetColumn.columns(from: [good[2]], schema: schema))

        var columns = try ParquetColumn.columns(from: [good[2], good[3]], schema: schema)
        let wrongCount = #expect(throws: ParquetWriterError.self) { try writer.write(columns: Array(columns.prefix(2))) }
        #expect(wrongCount == .wrongFieldCount(expected: 4, actual: 2))

        columns[0] = .int64s([1, 2], validity: [true, false])
        let nullID = #expect(throws: ParquetWriterError.self) { try writer.write(columns: columns) }
        #expect(nullID?.column == "id")

        // The first column sets the batch's row count; a later column of another length is named.
        columns[0] = .int64s([1, 2])
        let tags = columns[2]
        columns[2] = .list(offsets: [0, 0, 0, 0], element: .strings([]))
        let longer = #expect(throws: ParquetWriterError.self) { try writer.write(columns: columns) }
        #expect(longer?.column == "tags")
        columns[2] = tags

        columns[0] = .int32s([1, 2])
        let wrongType = #expect(throws: ParquetWriterError.self) { try writer.write(columns: columns) }
        #expect(wrongType?.column == "id")

        columns[0] = .int64s([1, 2])
        columns[2] = .list(offsets: [0, 2, 1], element: .strings(["x", "y"]))
        let offsets = #expect(throws: ParquetWriterError.self) { try writer.write(columns: columns) }
        #expect(offsets?.column == "tags")

        columns[2] = .list(offsets: [0, 1, 3], element: .strings(["x", "y"]))
        let pastEnd = #expect(throws: ParquetWriterError.self) { try writer.write(columns: columns) }
        #expect(pastEnd?.column == "tags")

        columns[2] = .list(offsets: [0, 1, 2], element: .int64s([1, 2]))
        let element = #expect(throws: ParquetWriterError.self) { try writer.write(columns: columns) }
        #expect(element?.column == "tags.element")

        try writer.write(columns: ParquetColumn.columns(from: [good[3]], schema: schema))
        let mismatch = #expect(throws: ParquetWriterError.self) {
            try ParquetColumn.columns(from: [[.int64(1), .list([.int32(5)]), .null, .null]], schema: schema)
        }
        #expect(mismatch?.column == "messages.element")
        try writer.close()

        let report = try PythonReader.report(path)
        expectRows(report.rows, equal: schema.expectedReadBack([good[2], good[3]]), reader: "pyarrow")
    }
}
