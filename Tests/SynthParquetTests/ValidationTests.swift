import Foundation
import Testing
import SynthParquet

/// Bad schemas, options and rows are rejected with errors that name the culprit, and a
/// rejected row leaves no trace in the file.
@Suite struct ValidationTests {
    @Test func rejectedRowsNameTheColumnAndAreNotWritten() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("validated.parquet")
        let writer = try ParquetWriter(path: path, schema: ConversationFixture.schema)
        let good = ConversationFixture.handwrittenRows

        try writer.write(row: good[2])

        let wrongCount = #expect(throws: ParquetWriterError.self) { try writer.write(row: [.int64(1)]) }
        #expect(wrongCount == .wrongFieldCount(expected: 4, actual: 1))

        let nullID = #expect(throws: ParquetWriterError.self) { try writer.write(row: [.null, .null, .null, .null]) }
        #expect(nullID?.column == "id")

        // A bad value deep inside the second message's first tool call, after valid siblings
        // that would already have been shredded if validation ran lazily.
        var deepRow = good[2]
        deepRow[1] = .list([
            ConversationFixture.message(role: "user", content: "ok"),
            ConversationFixture.message(role: "assistant", content: nil, toolCalls: [
                .struct([.string("call_1"), .string("function"), .struct([.int32(7), .string("{}")])]),
            ]),
        ])
        let deep = #expect(throws: ParquetWriterError.self) { try writer.write(row: deepRow) }
        #expect(deep?.column == "messages[1].tool_calls[0].function.name")
        #expect(deep.map { "\($0)" }?.contains("expected string but got int32") == true)

        var shortStruct = good[2]
        shortStruct[3] = .struct([.string("only one member")])
        let short = #expect(throws: ParquetWriterError.self) { try writer.write(row: shortStruct) }
        #expect(short?.column == "meta")

        var nullElement = good[2]
        nullElement[1] = .list([.null])
        let element = #expect(throws: ParquetWriterError.self) { try writer.write(row: nullElement) }
        #expect(element?.column == "messages[0]")

        var wrongTimestamp = good[2]
        wrongTimestamp[3] = .struct([.null, .null, .int64(5)])
        let timestamp = #expect(throws: ParquetWriterError.self) { try writer.write(row: wrongTimestamp) }
        #expect(timestamp?.column == "meta.created")

        try writer.write(row: good[3])
        try writer.close()
        #expect(throws: ParquetWriterError.writerClosed) { try writer.write(row: good[0]) }
        #expect(throws: ParquetWriterError.writerClosed) { try writer.close() }

        let report = try PythonReader.report(path)
        expectRows(report.rows, equal: ConversationFixture.schema.expectedReadBack([good[2], good[3]]), reader: "pyarrow")
    }

    @Test func invalidSchemasAndOptionsAreRejected() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("never.parquet")
        let schemas: [ParquetSchema] = [
            ParquetSchema(fields: []),
            ParquetSchema(fields: [ParquetField(name: "a", type: .int32), ParquetField(name: "a", type: .string)]),
            ParquetSchema(fields: [ParquetField(name: "s", type: .struct([]))]),
            ParquetSchema(fields: [ParquetField(name: "", type: .int32)]),
            ParquetSchema(fields: [ParquetField(name: "l", type: .list(of: .struct([
                ParquetField(name: "x", type: .int32), ParquetField(name: "x", type: .int64),
            ])))]),
        ]
        for schema in schemas {
            let error = #expect(throws: ParquetWriterError.self) { try ParquetWriter(path: path, schema: schema) }
            guard case .invalidSchema = error else {
                Issue.record("expected invalidSchema for \(schema), got \(String(describing: error))")
                continue
            }
        }
        let schema = ParquetSchema(fields: [ParquetField(name: "a", type: .int32)])
        let error = #expect(throws: ParquetWriterError.self) {
            try ParquetWriter(path: path, schema: schema, options: ParquetWriterOptions(pageRowLimit: 0))
        }
        #expect(error == .invalidOptions("pageRowLimit must be positive, got 0"))
        #expect(!FileManager.default.fileExists(atPath: path), "nothing is created for a rejected configuration")
    }

    @Test func emptyFileHasSchemaAndNoRows() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("empty.parquet")
        let summary = try ParquetWriter(path: path, schema: ConversationFixture.schema).close()
        #expect(summary.rowCount == 0 && summary.rowGroupCount == 0)

        let report = try PythonReader.report(path)
        #expect(report.numRows == 0)
        #expect(report.rowGroups.isEmpty)
        #expect(report.arrowSchema.map(\.name) == ["id", "messages", "tags", "meta"])
        #expect(report.rows?.isEmpty == true)
    }
}

extension ParquetWriterError {
    /// The column an `invalidValue` error names, for concise assertions.
    var column: String? {
        if case .invalidValue(let column, _) = self { column } else { nil }
    }
}
