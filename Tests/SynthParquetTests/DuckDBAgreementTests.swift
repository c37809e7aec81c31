import Testing
import SynthParquet

/// DuckDB, a second reader that shares no code with pyarrow, must see the same values.
@Suite struct DuckDBAgreementTests {
    @Test func duckdbReadsConversations() throws {
        let rows = ConversationFixture.handwrittenRows
            + ConversationFixture.generatedRows(count: 250, firstID: 100, seed: 9)
        let directory = try TemporaryDirectory()
        let path = directory.path("conversations.parquet")
        let writer = try ParquetWriter(
            path: path, schema: ConversationFixture.schema,
            options: ParquetWriterOptions(rowGroupRowLimit: 100, pageRowLimit: 17))
        try writer.write(rows: rows)
        try writer.close()

        let duckdb = try PythonReader.duckdb(path)
        #expect(duckdb.columns == ["id", "messages", "tags", "meta"])
        #expect(duckdb.types[1].contains("tool_calls STRUCT("))
        #expect(duckdb.types[3].contains("TIMESTAMP WITH TIME ZONE"))
        expectRows(duckdb.rows, equal: ConversationFixture.schema.expectedReadBack(rows), reader: "duckdb")
    }

    @Test func duckdbReadsEveryPrimitiveType() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("flat.parquet")
        let writer = try ParquetWriter(path: path, schema: FlatColumnTests.schema, options: FlatColumnTests.options)
        try writer.write(rows: FlatColumnTests.rows)
        try writer.close()

        let duckdb = try PythonReader.duckdb(path)
        #expect(duckdb.types == [
            "BOOLEAN", "INTEGER", "BIGINT", "FLOAT", "DOUBLE", "VARCHAR", "BLOB",
            "TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE", "BOOLEAN",
        ])
        expectRows(duckdb.rows, equal: FlatColumnTests.schema.expectedReadBack(FlatColumnTests.rows), reader: "duckdb")
    }
}
