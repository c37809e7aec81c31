import Foundation
import SynthCommon
import SynthPostgres

/// The high-volume events (steps and model calls) go in with one statement per table per batch.
/// Steps: three binary arrays (`StepRows`) that `unnest` turns into rows, each transition checked
/// by json's input and kept as written; before, the whole batch was one JSON array that
/// `jsonb_to_recordset` parsed into one document, then cut into rows of jsonb (docs/BENCHMARKS.md).
/// Calls (a few per trajectory): one JSON array read by `jsonb_to_recordset`. Both are
/// `INSERT ... ON CONFLICT DO NOTHING`: a row that is already there (a redelivery, or a
/// duplicate inside the batch) is skipped, so writing a batch twice leaves the same rows.
extension TrajectoryWrites {
    func record(steps: [StepExecuted]) async throws {
        try await record(steps: try await StepRows(steps))
    }

    /// The steps already encoded, as the collector prepares them.
    func record(steps rows: StepRows) async throws {
        guard rows.count > 0 else { return }
        try await sql.query("""
            INSERT INTO transitions (trajectory_id, step_number, transition)
            SELECT * FROM unnest($1::text[], $2::int[], $3::json[])
            ON CONFLICT (trajectory_id, step_number) DO NOTHING
            """, binary: [rows.trajectoryIDs.bytes, rows.stepNumbers.bytes, rows.transitions.bytes])
    }

    func record(calls: [(call: LLMCallRecorded, occurredAt: Date)]) async throws {
        try await record(calls: try await EncodedRows.calls(calls))
    }

    /// The calls already encoded (`EncodedRows.calls`), as the collector prepares them.
    func record(calls rows: EncodedRows) async throws {
        guard rows.count > 0 else { return }
        try await sql.query("""
            INSERT INTO llm_calls (call_id, trajectory_id, task_id, occurred_at, model, provider, status, prompt_tokens,
                completion_tokens, cost_dollars, latency_ms, finish_reason, tool_call_ids, content, prompt_token_ids,
                completion_token_ids, logprobs)
            SELECT r.call_id, r.trajectory_id, r.task_id, r.occurred_at, r.model, r.provider, r.status, r.prompt_tokens,
                r.completion_tokens, r.cost_dollars, r.latency_ms, r.finish_reason, r.tool_call_ids, r.content, r.prompt_token_ids,
                r.completion_token_ids, r.logprobs
            FROM jsonb_to_recordset($1::jsonb) AS r(call_id text, trajectory_id text, task_id text, occurred_at timestamptz,
                model text, provider text, status int, prompt_tokens int, completion_tokens int, cost_dollars double precision,
                latency_ms double precision, finish_reason text, tool_call_ids text[], content text, prompt_token_ids jsonb,
                completion_token_ids jsonb, logprobs jsonb)
            ON CONFLICT (call_id) DO NOTHING
            """, binary: [rows.jsonb])
    }
}

/// One row of `llm_calls`: what the step join needs (tool-call ids and text of the reply)
/// and what the dataset exports (tokens, cost, token ids, logprobs). Nil fields are left out
/// of the JSON, which `jsonb_to_recordset` reads as NULL.
struct CallRow: Encodable, Sendable {
    var callID: String
    var trajectoryID: String?
    var taskID: String?
    var occurredAt: String
    var model: String
    var provider: String
    var status: Int
    var promptTokens: Int
    var completionTokens: Int
    var costDollars: Double
    var latencyMS: Double
    var finishReason: String?
    var toolCallIDs: [String]
    var content: String?
    var promptTokenIDs: [Int]?
    var completionTokenIDs: [Int]?
    var logprobs: JSONValue?

    init(_ call: LLMCallRecorded, occurredAt: Date) {
        let message = call.response?["choices"]?.arrayValue?.first?["message"]
        callID = call.callID
        trajectoryID = call.trajectoryID
        taskID = call.taskID
        self.occurredAt = SynthJSON.formatTimestamp(occurredAt)
        model = call.model
        provider = call.provider
        status = call.status
        promptTokens = call.promptTokens
        completionTokens = call.completionTokens
        costDollars = call.costDollars
        latencyMS = call.latencyMS
        finishReason = call.finishReason
        toolCallIDs = message?["tool_calls"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        content = message?["content"]?.stringValue
        promptTokenIDs = call.promptTokenIDs
        completionTokenIDs = call.completionTokenIDs
        logprobs = call.logprobs
    }

    enum CodingKeys: String, CodingKey {
        case callID = "call_id", trajectoryID = "trajectory_id", taskID = "task_id", occurredAt = "occurred_at", model, provider
        case status, promptTokens = "prompt_tokens", completionTokens = "completion_tokens", costDollars = "cost_dollars"
        case latencyMS = "latency_ms", finishReason = "finish_reason", toolCallIDs = "tool_call_ids", content
        case promptTokenIDs = "prompt_token_ids", completionTokenIDs = "completion_token_ids", logprobs
    }
}
