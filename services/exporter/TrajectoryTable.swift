import Foundation
import SynthCommon
import SynthParquet
import SynthPostgres

/// The dataset's columns (docs/DATASET.md). `messages` is the whole
/// conversation in OpenAI chat format, ready for SFT; `transitions` keeps each
/// step's action, observation and state as JSON for RL and analysis.
enum TrajectoryTable {
    static let toolCall = ParquetType.struct([
        ParquetField(name: "id", type: .string, nullable: false),
        ParquetField(name: "type", type: .string, nullable: false),
        ParquetField(name: "function", type: .struct([
            ParquetField(name: "name", type: .string, nullable: false),
            ParquetField(name: "arguments", type: .string, nullable: false),
        ]), nullable: false),
    ])

    static let message = ParquetType.struct([
        ParquetField(name: "role", type: .string, nullable: false),
        ParquetField(name: "content", type: .string),
        ParquetField(name: "tool_calls", type: .list(.element(toolCall, nullable: false))),
        ParquetField(name: "tool_call_id", type: .string),
        ParquetField(name: "name", type: .string),
    ])

    static let schema = ParquetSchema(fields: [
        ParquetField(name: "trajectory_id", type: .string, nullable: false),
        ParquetField(name: "task_id", type: .string, nullable: false),
        ParquetField(name: "instance_id", type: .string),
        ParquetField(name: "category", type: .string, nullable: false),
        ParquetField(name: "difficulty", type: .string, nullable: false),
        ParquetField(name: "llm_model", type: .string, nullable: false),
        ParquetField(name: "scaffold", type: .string, nullable: false),
        ParquetField(name: "seed", type: .int64, nullable: false),
        ParquetField(name: "total_steps", type: .int32, nullable: false),
        ParquetField(name: "total_tokens", type: .int64, nullable: false),
        ParquetField(name: "total_reward", type: .double, nullable: false),
        ParquetField(name: "verification_passed", type: .boolean, nullable: false),
        ParquetField(name: "final_result", type: .string, nullable: false),
        ParquetField(name: "final_result_json", type: .string, nullable: false),
        ParquetField(name: "reward_breakdown", type: .string),
        ParquetField(name: "execution_time_seconds", type: .double, nullable: false),
        ParquetField(name: "completed_at", type: .timestampMillis, nullable: false),
        ParquetField(name: "final_patch", type: .string),
        ParquetField(name: "messages", type: .list(.element(message, nullable: false)), nullable: false),
        ParquetField(name: "transitions", type: .string, nullable: false),
    ])

    struct Record {
        var values: [ParquetValue]
        var passed: Bool
        var reward: Double
    }

    struct Malformed: Error, CustomStringConvertible {
        var column: String
        var description: String { "stored trajectory has no usable '\(column)'" }
    }

    static func row(from row: PostgresRow) throws -> Record {
        func text(_ column: String) throws -> String {
            guard let value = row[column] else { throw Malformed(column: column) }
            return value
        }
        let prompt = try SynthJSON.decode([ChatMessage].self, from: Array(try text("prompt_messages").utf8))
        let transitions = try SynthJSON.decode([Transition].self, from: Array(try text("transitions").utf8))
        let messages = prompt + transitions.flatMap(\.messages)
        let result = try SynthJSON.decode(TaskResult.self, from: Array(try text("final_result").utf8))
        let passed = row.bool("verification_passed") ?? false
        let reward = row.double("total_reward") ?? 0
        let values: [ParquetValue] = [
            .string(try text("trajectory_id")), .string(try text("task_id")), row["external_id"].map(ParquetValue.string) ?? .null,
            .string(try text("category")), .string(try text("difficulty")), .string(try text("llm_model")), .string(try text("scaffold")),
            .int64(Int64(try text("seed")) ?? 0), .int32(Int32(row.int("total_steps") ?? 0)), .int64(Int64(row.int("total_tokens") ?? 0)),
            .double(reward), .bool(passed), .string(result.typeName), .string(try text("final_result")),
            row["reward_breakdown"].map(ParquetValue.string) ?? .null, .double(row.double("execution_time_seconds") ?? 0),
            .timestampMillis(Int64(try text("completed_ms")) ?? 0), row["final_patch"].map(ParquetValue.string) ?? .null,
            .list(messages.map(value(of:))), .string(try text("transitions")),
        ]
        return Record(values: values, passed: passed, reward: reward)
    }

    static func value(of message: ChatMessage) -> ParquetValue {
        .struct([
            .string(message.role),
            message.content.map(ParquetValue.string) ?? .null,
            message.toolCalls.map { calls in
                .list(calls.map { .struct([.string($0.id), .string($0.type), .struct([.string($0.function.name), .string($0.function.arguments)])]) })
            } ?? .null,
            message.toolCallID.map(ParquetValue.string) ?? .null,
            message.name.map(ParquetValue.string) ?? .null,
        ])
    }
}
