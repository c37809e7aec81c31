import Foundation
import SynthCommon
import SynthParquet
import SynthPostgres

/// The dataset's columns (docs/DATASET.md). `messages` is the whole conversation in OpenAI chat
/// format, ready for SFT, with `message_loss_mask` marking the assistant turns a trainer learns
/// from; `steps` carries each step's reward and, when the model call returned them, its token ids
/// and logprobs for RL; `transitions` keeps every step as JSON.
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

    static let step = ParquetType.struct([
        ParquetField(name: "step_number", type: .int32, nullable: false),
        ParquetField(name: "action_type", type: .string, nullable: false),
        ParquetField(name: "tool_name", type: .string),
        ParquetField(name: "reward", type: .double, nullable: false),
        ParquetField(name: "done", type: .boolean, nullable: false),
        ParquetField(name: "exit_code", type: .int32),
        ParquetField(name: "llm_call_id", type: .string),
        ParquetField(name: "prompt_tokens", type: .int32),
        ParquetField(name: "completion_tokens", type: .int32),
        ParquetField(name: "cost_dollars", type: .double),
        ParquetField(name: "prompt_token_ids", type: .list(.element(.int64, nullable: false))),
        ParquetField(name: "completion_token_ids", type: .list(.element(.int64, nullable: false))),
        ParquetField(name: "completion_logprobs", type: .list(.element(.double, nullable: false))),
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
        ParquetField(name: "resolved", type: .boolean, nullable: false),
        ParquetField(name: "final_result", type: .string, nullable: false),
        ParquetField(name: "final_result_json", type: .string, nullable: false),
        ParquetField(name: "reward_breakdown", type: .string),
        ParquetField(name: "execution_time_seconds", type: .double, nullable: false),
        ParquetField(name: "completed_at", type: .timestampMillis, nullable: false),
        ParquetField(name: "quality_score", type: .double),
        ParquetField(name: "diversity_score", type: .double),
        ParquetField(name: "total_cost_dollars", type: .double),
        ParquetField(name: "final_patch", type: .string),
        ParquetField(name: "messages", type: .list(.element(message, nullable: false)), nullable: false),
        ParquetField(name: "message_loss_mask", type: .list(.element(.boolean, nullable: false)), nullable: false),
        ParquetField(name: "steps", type: .list(.element(step, nullable: false)), nullable: false),
        ParquetField(name: "transitions", type: .string, nullable: false),
    ])

    struct Record {
        var values: [ParquetValue]
        var passed: Bool
        var reward: Double
        var category: String
        var model: String
        /// A rough size of the row's text, to bound shard sizes before compression.
        var byteEstimate: Int
    }

    struct Malformed: Error, CustomStringConvertible {
        var column: String
        var description: String { "stored trajectory has no usable '\(column)'" }
    }

    /// One model call's RL fields, from table llm_calls.
    struct CallDetail: Decodable {
        var callID: String
        var promptTokens: Int?
        var completionTokens: Int?
        var costDollars: Double?
        var promptTokenIDs: [Int64]?
        var completionTokenIDs: [Int64]?
        var logprobs: JSONValue?
        enum CodingKeys: String, CodingKey {
            case callID = "call_id", promptTokens = "prompt_tokens", completionTokens = "completion_tokens",
                 costDollars = "cost_dollars", promptTokenIDs = "prompt_token_ids",
                 completionTokenIDs = "completion_token_ids", logprobs
        }
    }

    static func row(from row: PostgresRow) throws -> Record {
        func text(_ column: String) throws -> String {
            guard let value = row[column] else { throw Malformed(column: column) }
            return value
        }
        let prompt = try SynthJSON.decode([ChatMessage].self, from: Array(try text("prompt_messages").utf8))
        let transitionsText = try text("transitions")
        let transitions = try SynthJSON.decode([Transition].self, from: Array(transitionsText.utf8))
        let callIDs = try SynthJSON.decode([String?].self, from: Array((row["call_ids"] ?? "[]").utf8))
        let calls = try SynthJSON.decode([CallDetail].self, from: Array((row["calls"] ?? "[]").utf8))
        let callsByID = Dictionary(calls.map { ($0.callID, $0) }, uniquingKeysWith: { first, _ in first })
        let messages = prompt + transitions.flatMap(\.messages)
        let result = try SynthJSON.decode(TaskResult.self, from: Array(try text("final_result").utf8))
        let passed = row.bool("verification_passed") ?? false
        let reward = row.double("total_reward") ?? 0
        let finalPatch = row["final_patch"]
        let steps: [ParquetValue] = transitions.enumerated().map { index, transition in
            let callID = index < callIDs.count ? callIDs[index] : nil
            return stepValue(transition, call: callID.flatMap { callsByID[$0] })
        }
        let category = try text("category"), model = try text("llm_model")
        let values: [ParquetValue] = [
            .string(try text("trajectory_id")), .string(try text("task_id")), row["external_id"].map(ParquetValue.string) ?? .null,
            .string(category), .string(try text("difficulty")), .string(model), .string(try text("scaffold")),
            .int64(Int64(try text("seed")) ?? 0), .int32(Int32(row.int("total_steps") ?? 0)), .int64(Int64(row.int("total_tokens") ?? 0)),
            .double(reward), .bool(passed), .bool(passed && result.typeName == "success"), .string(result.typeName),
            .string(try text("final_result")),
            row["reward_breakdown"].map(ParquetValue.string) ?? .null, .double(row.double("execution_time_seconds") ?? 0),
            .timestampMillis(Int64(try text("completed_ms")) ?? 0),
            row.double("quality_score").map(ParquetValue.double) ?? .null,
            row.double("diversity_score").map(ParquetValue.double) ?? .null,
            row.double("total_cost_dollars").map(ParquetValue.double) ?? .null,
            finalPatch.map(ParquetValue.string) ?? .null,
            .list(messages.map(value(of:))), .list(messages.map { .bool($0.role == "assistant") }),
            .list(steps), .string(transitionsText),
        ]
        let estimate = transitionsText.utf8.count * 2 + (finalPatch?.utf8.count ?? 0) + 512
        return Record(values: values, passed: passed, reward: reward, category: category, model: model, byteEstimate: estimate)
    }

    static func stepValue(_ transition: Transition, call: CallDetail?) -> ParquetValue {
        let logprobs = call?.logprobs?["content"].flatMap { content -> [ParquetValue]? in
            guard case .array(let entries) = content else { return nil }
            return entries.compactMap { entry in
                if case .number(let value)? = entry["logprob"] { return .double(value) }
                return nil
            }
        }
        return .struct([
            .int32(Int32(clamping: transition.stepNumber)), .string(transition.action.actionType.rawValue),
            transition.action.toolName.map(ParquetValue.string) ?? .null, .double(transition.reward), .bool(transition.done),
            (transition.observation.exitCode ?? transition.info.exitCode).map { .int32(Int32(clamping: $0)) } ?? .null,
            call.map { .string($0.callID) } ?? .null,
            (call?.promptTokens ?? transition.info.promptTokens).map { .int32(Int32(clamping: $0)) } ?? .null,
            (call?.completionTokens ?? transition.info.completionTokens).map { .int32(Int32(clamping: $0)) } ?? .null,
            call?.costDollars.map(ParquetValue.double) ?? .null,
            call?.promptTokenIDs.map { .list($0.map(ParquetValue.int64)) } ?? .null,
            call?.completionTokenIDs.map { .list($0.map(ParquetValue.int64)) } ?? .null,
            logprobs.map(ParquetValue.list) ?? .null,
        ])
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
