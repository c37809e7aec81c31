import SynthParquet
import SynthTesting

/// The dataset shape the exporter writes: chat transcripts with nested tool calls.
enum ConversationFixture {
    static let functionType = ParquetType.struct([
        ParquetField(name: "name", type: .string, nullable: false),
        ParquetField(name: "arguments", type: .string, nullable: false),
    ])

    static let toolCallType = ParquetType.struct([
        ParquetField(name: "id", type: .string, nullable: false),
        ParquetField(name: "type", type: .string, nullable: false),
        ParquetField(name: "function", type: functionType, nullable: false),
    ])

    static let messageType = ParquetType.struct([
        ParquetField(name: "role", type: .string, nullable: false),
        ParquetField(name: "content", type: .string, nullable: true),
        ParquetField(name: "tool_calls", type: .list(of: toolCallType, elementNullable: false), nullable: true),
        ParquetField(name: "tool_call_id", type: .string, nullable: true),
        ParquetField(name: "name", type: .string, nullable: true),
    ])

    static let schema = ParquetSchema(fields: [
        ParquetField(name: "id", type: .int64, nullable: false),
        ParquetField(name: "messages", type: .list(of: messageType, elementNullable: false), nullable: true),
        ParquetField(name: "tags", type: .list(of: .string, elementNullable: true), nullable: true),
        ParquetField(name: "meta", type: .struct([
            ParquetField(name: "source", type: .string, nullable: true),
            ParquetField(name: "score", type: .double, nullable: true),
            ParquetField(name: "created", type: .timestampMillis, nullable: false),
        ]), nullable: true),
    ])

    static func toolCall(id: String, name: String, arguments: String) -> ParquetValue {
        .struct([.string(id), .string("function"), .struct([.string(name), .string(arguments)])])
    }

    static func message(
        role: String, content: String?, toolCalls: [ParquetValue]? = nil, toolCallID: String? = nil, name: String? = nil
    ) -> ParquetValue {
        .struct([
            .string(role),
            content.map { .string($0) } ?? .null,
            toolCalls.map { .list($0) } ?? .null,
            toolCallID.map { .string($0) } ?? .null,
            name.map { .string($0) } ?? .null,
        ])
    }

    /// Rows that cover every null/empty combination explicitly.
    static let handwrittenRows: [[ParquetValue]] = [
        // Null list, null struct.
        [.int64(0), .null, .null, .null],
        // Empty lists (must stay distinct from null), struct with null members.
        [.int64(1), .list([]), .list([]), .struct([.null, .null, .timestampMillis(0)])],
        // A full agent turn: tool calls, a tool result, an assistant message with an empty tool_calls list.
        [
            .int64(2),
            .list([
                message(role: "system", content: "You are a careful coding agent."),
                message(role: "user", content: "Fix the failing test 👋 — ünïcödé"),
                message(role: "assistant", content: nil, toolCalls: [
                    toolCall(id: "call_1", name: "run_shell", arguments: #"{"cmd":"swift test"}"#),
                    toolCall(id: "call_2", name: "read_file", arguments: #"{"path":"Package.swift"}"#),
                ]),
                message(role: "tool", content: "2 tests failed", toolCallID: "call_1", name: "run_shell"),
                message(role: "assistant", content: "Done.", toolCalls: []),
            ]),
            .list([.string("agent"), .null, .string("")]),
            .struct([.string("collector"), .double(0.75), .timestampMillis(1_718_000_000_123)]),
        ],
        // A message whose optional fields are all null; a list holding only a null element.
        [.int64(3), .list([message(role: "user", content: nil)]), .list([.null]), .null],
    ]

    /// Deterministic pseudo-random rows with the same shapes, numbered from `firstID`.
    static func generatedRows(count: Int, firstID: Int64, seed: UInt64) -> [[ParquetValue]] {
        var random = SplitMix64(seed: seed)
        let roles = ["user", "assistant", "tool", "system"]
        return (0..<count).map { offset in
            let id = firstID + Int64(offset)
            let messages: ParquetValue
            switch Int.random(in: 0..<10, using: &random) {
            case 0: messages = .null
            case 1: messages = .list([])
            default:
                messages = .list((0..<Int.random(in: 1...6, using: &random)).map { index in
                    let toolCalls: [ParquetValue]?
                    switch Int.random(in: 0..<4, using: &random) {
                    case 0: toolCalls = nil
                    case 1: toolCalls = []
                    default:
                        toolCalls = (0..<Int.random(in: 1...3, using: &random)).map { call in
                            toolCall(id: "call_\(id)_\(index)_\(call)", name: "tool_\(call)",
                                     arguments: #"{"n":\#(Int.random(in: 0..<1000, using: &random))}"#)
                        }
                    }
                    return message(
                        role: roles[Int.random(in: 0..<roles.count, using: &random)],
                        content: Bool.random(using: &random) ? "message \(id).\(index) " + String(repeating: "x", count: index * 7) : nil,
                        toolCalls: toolCalls,
                        toolCallID: Int.random(in: 0..<3, using: &random) == 0 ? "call_\(id)" : nil,
                        name: Int.random(in: 0..<5, using: &random) == 0 ? "name_\(index)" : nil)
                })
            }
            let tags: ParquetValue = Bool.random(using: &random)
                ? .null
                : .list((0..<Int.random(in: 0...3, using: &random)).map { tag in
                    Int.random(in: 0..<4, using: &random) == 0 ? .null : .string("tag\(tag)")
                })
            let meta: ParquetValue = Int.random(in: 0..<3, using: &random) == 0
                ? .null
                : .struct([
                    Bool.random(using: &random) ? .string("source\(id % 5)") : .null,
                    Bool.random(using: &random) ? .double(Double(id) / 8) : .null,
                    .timestampMillis(1_700_000_000_000 + id * 1_000),
                ])
            return [.int64(id), messages, tags, meta]
        }
    }
}
