import Foundation
import Logging
import Testing
import SynthCommon
import SynthPostgres
@testable import synth_collector

/// The collector's batched writes against the stack's Postgres (scripts/stack.sh up; the
/// SYNTH_* variables select the database): a batch written twice, or written again in another
/// order, leaves exactly the rows of writing it once. That is what makes redelivery after a
/// crash between the Postgres commit and the Kafka offset commit harmless.
@Suite struct BatchWriteIdempotencyTests {
    static var databaseURL: String {
        let environment = ProcessInfo.processInfo.environment
        return environment["SYNTH_DATABASE_URL"]
            ?? "postgresql://synth@127.0.0.1:\(environment["SYNTH_PG_PORT"] ?? "15432")/\(environment["SYNTH_PG_DB"] ?? "synth")"
    }

    static func call(_ id: String, trajectoryID: String, toolCallIDs: [String], content: String?, tokens: [Int]?) -> LLMCallRecorded {
        var message: [String: JSONValue] = ["role": .string("assistant"), "content": content.map(JSONValue.string) ?? .null]
        if !toolCallIDs.isEmpty {
            message["tool_calls"] = .array(toolCallIDs.map { .object(["id": .string($0), "type": .string("function")]) })
        }
        var call = LLMCallRecorded(callID: id, taskID: "task-" + trajectoryID, trajectoryID: trajectoryID, experiment: nil,
                                   model: "model-ü", provider: "openai", status: 200, promptTokens: 12, completionTokens: 3,
                                   costDollars: 0.000123, latencyMS: 41.5, request: .object([:]),
                                   response: .object(["choices": .array([.object(["message": .object(message)])])]), error: nil)
        call.promptTokenIDs = tokens
        call.completionTokenIDs = tokens.map { $0.reversed() }
        call.logprobs = tokens.map { .array($0.map { .number(-Double($0) / 10) }) }
        call.finishReason = toolCallIDs.isEmpty ? "stop" : "tool_calls"
        return call
    }

    /// Every column of the rows these trajectories own, as Postgres has them.
    static func snapshot(_ database: PostgresClient, _ ids: [String]) async throws -> [String] {
        let literal = PostgresTextArray.literal(ids)
        let steps = try await database.query("""
            SELECT to_jsonb(x)::text AS row FROM transitions x WHERE trajectory_id = ANY($1::text[])
            ORDER BY trajectory_id, step_number
            """, [literal])
        let calls = try await database.query("""
            SELECT to_jsonb(c)::text AS row FROM llm_calls c WHERE trajectory_id = ANY($1::text[]) ORDER BY call_id
            """, [literal])
        return (Array(steps) + Array(calls)).map { $0["row"] ?? "" }
    }

    @Test func sameBatchWrittenTwiceOrReorderedGivesIdenticalRows() async throws {
        let database = PostgresClient(url: Self.databaseURL)
        try await database.migrate(Schema.migrations, logger: Logger(label: "synth.tests"))
        let store = TrajectoryStore(database: database)
        let a = "batch-test-" + UUID().uuidString.lowercased(), b = "batch-test-" + UUID().uuidString.lowercased()
        let steps = [
            StepExecuted(taskID: "task-" + a, trajectoryID: a, transition: StepCallJoinTests.step(1, toolCallIDs: ["call-a1"])),
            StepExecuted(taskID: "task-" + a, trajectoryID: a, transition: StepCallJoinTests.step(2, toolCallIDs: [], content: "fertig ✓ \"quoted\" \\ back")),
            StepExecuted(taskID: "task-" + b, trajectoryID: b, transition: StepCallJoinTests.step(1, toolCallIDs: ["call-b1", "call-b2"])),
        ]
        let calls = [
            Self.call(a + "-1", trajectoryID: a, toolCallIDs: ["call-a1"], content: nil, tokens: [1, 2, 3]),
            Self.call(a + "-2", trajectoryID: a, toolCallIDs: [], content: "fertig ✓ \"quoted\" \\ back", tokens: nil),
            Self.call(b + "-1", trajectoryID: b, toolCallIDs: ["call-b1", "call-b2"], content: "", tokens: []),
        ].map { (call: $0, occurredAt: Date(timeIntervalSince1970: 1_790_000_000.125)) }
        // A duplicate inside the batch too, as a redelivery overlapping the batch would bring.
        let batchSteps = steps + [steps[0]]
        let batchCalls = calls + [calls[1]]

        try await store.write { writes in
            try await writes.record(steps: batchSteps)
            try await writes.record(calls: batchCalls)
        }
        let once = try await Self.snapshot(database, [a, b])
        try await store.write { writes in
            try await writes.record(steps: batchSteps)
            try await writes.record(calls: batchCalls)
        }
        let twice = try await Self.snapshot(database, [a, b])
        try await store.write { writes in
            try await writes.record(calls: batchCalls.reversed())
            try await writes.record(steps: batchSteps.reversed())
        }
        let reordered = try await Self.snapshot(database, [a, b])

        #expect(once.count == steps.count + calls.count)
        #expect(twice == once)
        #expect(reordered == once)

        // The rows hold what was sent: the transition round-trips, the call's columns are filled.
        let stored = try await database.query(
            "SELECT transition::text AS t FROM transitions WHERE trajectory_id = $1 AND step_number = 2", [a])
        let transition = try SynthJSON.decode(Transition.self, from: Array((stored.first?["t"] ?? "").utf8))
        #expect(transition == steps[1].transition)
        let call = try #require(try await database.query("""
            SELECT tool_call_ids, content, prompt_token_ids::text AS p, logprobs::text AS l, cost_dollars, finish_reason
            FROM llm_calls WHERE call_id = $1
            """, [b + "-1"]).first)
        #expect(PostgresTextArray.parse(call["tool_call_ids"] ?? "") == ["call-b1", "call-b2"])
        #expect(call["content"] == "" && call["p"] == "[]" && call["l"] == "[]" && call.double("cost_dollars") == 0.000123)
        let textCall = try #require(try await database.query(
            "SELECT content, prompt_token_ids, tool_call_ids FROM llm_calls WHERE call_id = $1", [a + "-2"]).first)
        #expect(textCall["content"] == "fertig ✓ \"quoted\" \\ back" && textCall["prompt_token_ids"] == nil
                && textCall["tool_call_ids"] == "{}")

        try await database.query("DELETE FROM transitions WHERE trajectory_id = ANY($1::text[])", [PostgresTextArray.literal([a, b])])
        try await database.query("DELETE FROM llm_calls WHERE trajectory_id = ANY($1::text[])", [PostgresTextArray.literal([a, b])])
    }
}
