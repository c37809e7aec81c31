import Testing
import SynthParquet

/// The `messages` column: lists of structs holding lists of structs, with null and empty lists,
/// null struct members, several row groups and several pages per column chunk.
@Suite struct NestedListTests {
    static let rows = ConversationFixture.handwrittenRows
        + ConversationFixture.generatedRows(count: 400, firstID: 100, seed: 42)
    static let options = ParquetWriterOptions(rowGroupRowLimit: 120, pageRowLimit: 23)

    @Test func conversationsRoundTripThroughPyArrow() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("conversations.parquet")
        let writer = try ParquetWriter(path: path, schema: ConversationFixture.schema, options: Self.options)
        try writer.write(rows: Self.rows)
        let summary = try writer.close()

        let report = try PythonReader.report(path)
        expectRows(report.rows, equal: ConversationFixture.schema.expectedReadBack(Self.rows), reader: "pyarrow")
        #expect(report.rowGroups.map(\.numRows) == [120, 120, 120, 44])
        #expect(summary.rowGroupCount == 4)

        let walkedDataPages = report.rowGroups.flatMap(\.columns).map(\.dataPages.count).reduce(0, +)
        #expect(summary.dataPageCount == walkedDataPages)
        for chunk in report.chunks("messages.list.element.role").prefix(3) {
            // 120 rows cut every 23 rows: six pages, each starting a new record.
            #expect(chunk.dataPages.count == 6)
        }
    }

    @Test func schemaUsesStandardListLayoutAndLevels() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("conversations-schema.parquet")
        let writer = try ParquetWriter(path: path, schema: ConversationFixture.schema, options: Self.options)
        try writer.write(rows: Self.rows)
        try writer.close()

        let report = try PythonReader.metadata(path)
        let expectedLevels: [(String, definition: Int, repetition: Int)] = [
            ("id", 0, 0),
            ("messages.list.element.role", 2, 1),
            ("messages.list.element.content", 3, 1),
            ("messages.list.element.tool_calls.list.element.id", 4, 2),
            ("messages.list.element.tool_calls.list.element.type", 4, 2),
            ("messages.list.element.tool_calls.list.element.function.name", 4, 2),
            ("messages.list.element.tool_calls.list.element.function.arguments", 4, 2),
            ("messages.list.element.tool_call_id", 3, 1),
            ("messages.list.element.name", 3, 1),
            ("tags.list.element", 3, 1),
            ("meta.source", 2, 0),
            ("meta.score", 2, 0),
            ("meta.created", 1, 0),
        ]
        #expect(report.leaves.map(\.path) == expectedLevels.map(\.0))
        for (path, definition, repetition) in expectedLevels {
            let leaf = try #require(report.leaf(path))
            #expect(leaf.maxDefinitionLevel == definition, "\(path) definition level")
            #expect(leaf.maxRepetitionLevel == repetition, "\(path) repetition level")
        }
        let messages = try #require(report.arrowField("messages"))
        #expect(messages.nullable)
        #expect(messages.type.hasPrefix("list<element: struct<role: string not null, content: string, tool_calls: list<element: struct<id: string not null, type: string not null, function: struct<name: string not null, arguments: string not null> not null> not null>, tool_call_id: string, name: string> not null>"))
        #expect(report.arrowField("tags")?.type == "list<element: string>")
        #expect(report.arrowField("meta")?.type == "struct<source: string, score: double, created: timestamp[ms, tz=UTC] not null>")

        // Leaf null counts include entries for null or empty ancestors, as readers expect.
        let handwrittenOnly = try TemporaryDirectory()
        let smallPath = handwrittenOnly.path("handwritten.parquet")
        let smallWriter = try ParquetWriter(path: smallPath, schema: ConversationFixture.schema)
        try smallWriter.write(rows: ConversationFixture.handwrittenRows)
        try smallWriter.close()
        let small = try PythonReader.metadata(smallPath)
        // content: null list, empty list, 5 messages (1 null content), 1 message with null content.
        #expect(small.chunks("messages.list.element.content").first?.statistics?.nullCount == 4)
        #expect(small.chunks("messages.list.element.content").first?.numValues == 8)
        // tool_calls ids: row0 null, row1 empty, row2 [null,2 calls,null,null,empty], row3 [null].
        #expect(small.chunks("messages.list.element.tool_calls.list.element.id").first?.numValues == 9)
    }
}
