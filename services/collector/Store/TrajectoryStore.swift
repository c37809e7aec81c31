import Foundation
import SynthCommon
import SynthPostgres

/// The collector's writes. Status only moves forward (rank guard), the first
/// completed trajectory of a task wins (a task re-run after a lost ack does
/// not give the dataset a second row), and steps are keyed by
/// (trajectory_id, step_number).
struct TrajectoryStore: Sendable {
    let database: PostgresClient

    func advance(taskID: String, to status: TaskStatus, workerID: String? = nil, attempt: Int? = nil, reason: String? = nil) async throws {
        try await database.query("""
            INSERT INTO task_status (task_id, status, status_rank, worker_id, attempts, reason)
            VALUES ($1, $2, $3, $4, COALESCE($5::int, 0), $6)
            ON CONFLICT (task_id) DO UPDATE SET
                status = EXCLUDED.status, status_rank = EXCLUDED.status_rank,
                worker_id = COALESCE(EXCLUDED.worker_id, task_status.worker_id),
                attempts = GREATEST(task_status.attempts, EXCLUDED.attempts),
                reason = COALESCE(EXCLUDED.reason, task_status.reason), updated_at = now()
            WHERE task_status.status_rank < EXCLUDED.status_rank
               OR (task_status.status_rank < 4 AND EXCLUDED.attempts > task_status.attempts)
            """, [taskID, status.rawValue, String(status.rank), workerID, attempt.map(String.init), reason])
    }

    func start(_ started: TaskStarted, at date: Date) async throws {
        // The row may already exist when the TaskCompleted overtook this event; fill in what is missing.
        try await database.query("""
            INSERT INTO trajectories (trajectory_id, task_id, worker_id, attempt, llm_model, scaffold, seed, prompt_messages,
                                      tools, started_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::timestamptz)
            ON CONFLICT (trajectory_id) DO UPDATE SET worker_id = COALESCE(trajectories.worker_id, EXCLUDED.worker_id),
                attempt = EXCLUDED.attempt, llm_model = EXCLUDED.llm_model, scaffold = EXCLUDED.scaffold, seed = EXCLUDED.seed,
                prompt_messages = EXCLUDED.prompt_messages, tools = EXCLUDED.tools, started_at = EXCLUDED.started_at
            WHERE trajectories.started_at IS NULL
            """, [started.trajectoryID, started.taskID, started.workerID, String(started.attempt), started.llmModel,
                  started.scaffold, String(Int64(bitPattern: started.seed)), try json(started.promptMessages), try json(started.tools),
                  SynthJSON.formatTimestamp(date)])
        try await advance(taskID: started.taskID, to: .running, workerID: started.workerID, attempt: started.attempt)
    }

    func record(_ step: StepExecuted) async throws {
        try await database.query("""
            INSERT INTO transitions (trajectory_id, step_number, transition) VALUES ($1, $2, $3::jsonb)
            ON CONFLICT (trajectory_id, step_number) DO NOTHING
            """, [step.trajectoryID, String(step.transition.stepNumber), try json(step.transition)])
    }

    /// `artifacts` is the JSON object naming what was put in the object store (final patch).
    func complete(_ completed: TaskCompleted, at date: Date, artifacts: [UInt8]? = nil) async throws {
        try await database.transaction { connection in
            // An upsert, so a completion that overtakes its TaskStarted is kept; a completion only
            // replaces an earlier TaskFailed record of the same attempt (total_steps still null).
            try await connection.query("""
                INSERT INTO trajectories (trajectory_id, task_id, worker_id, completed_at, final_result, total_steps, total_tokens,
                    total_reward, reward_breakdown, verification_passed, execution_time_seconds, final_patch, artifacts)
                VALUES ($1, $11, $12, $2::timestamptz, $3::jsonb, $4, $5, $6, $7::jsonb, $8, $9, $10, $13::jsonb)
                ON CONFLICT (trajectory_id) DO UPDATE SET completed_at = EXCLUDED.completed_at, final_result = EXCLUDED.final_result,
                    total_steps = EXCLUDED.total_steps, total_tokens = EXCLUDED.total_tokens, total_reward = EXCLUDED.total_reward,
                    reward_breakdown = EXCLUDED.reward_breakdown, verification_passed = EXCLUDED.verification_passed,
                    execution_time_seconds = EXCLUDED.execution_time_seconds, final_patch = EXCLUDED.final_patch,
                    artifacts = EXCLUDED.artifacts
                WHERE trajectories.total_steps IS NULL
                """, [completed.trajectoryID, SynthJSON.formatTimestamp(date), try json(completed.result), String(completed.totalSteps),
                      String(completed.totalTokens), String(completed.reward.total), try json(completed.reward),
                      completed.verificationPassed ? "true" : "false", String(completed.executionTimeSeconds), completed.finalPatch,
                      completed.taskID, completed.workerID, artifacts.map { String(decoding: $0, as: UTF8.self) }])
            let status = completed.result.status
            try await connection.query("""
                INSERT INTO task_status (task_id, status, status_rank, worker_id, final_trajectory_id, result)
                VALUES ($1, $2, 4, $3, $4, $5::jsonb)
                ON CONFLICT (task_id) DO UPDATE SET status = EXCLUDED.status, status_rank = 4, worker_id = EXCLUDED.worker_id,
                    final_trajectory_id = EXCLUDED.final_trajectory_id, result = EXCLUDED.result, updated_at = now()
                WHERE task_status.final_trajectory_id IS NULL
                """, [completed.taskID, status.rawValue, completed.workerID, completed.trajectoryID, try json(completed.result)])
        }
    }

    func fail(_ failed: TaskFailed) async throws {
        if let trajectoryID = failed.trajectoryID {
            try await database.query("""
                INSERT INTO trajectories (trajectory_id, task_id, worker_id, completed_at, final_result)
                VALUES ($1, $3, $4, now(), $2::jsonb)
                ON CONFLICT (trajectory_id) DO UPDATE SET completed_at = now(), final_result = EXCLUDED.final_result
                WHERE trajectories.completed_at IS NULL
                """, [trajectoryID, try json(TaskResult.error(failed.error)), failed.taskID, failed.workerID])
        }
        // A retryable failure goes back to the queue; only a final one ends the task.
        guard !failed.retryable else {
            try await database.query("UPDATE task_status SET reason = $2, updated_at = now() WHERE task_id = $1 AND status_rank < 4",
                                     [failed.taskID, "attempt \(failed.attempt) failed, retrying: \(failed.error)"])
            return
        }
        try await database.query("""
            INSERT INTO task_status (task_id, status, status_rank, reason, worker_id, attempts)
            VALUES ($1, 'error', 4, $2, $3, $4)
            ON CONFLICT (task_id) DO UPDATE SET status = 'error', status_rank = 4, reason = EXCLUDED.reason,
                worker_id = COALESCE(EXCLUDED.worker_id, task_status.worker_id), attempts = EXCLUDED.attempts, updated_at = now()
            WHERE task_status.status_rank < 4
            """, [failed.taskID, failed.error, failed.workerID, String(failed.attempt)])
    }

    func recordCall(_ call: LLMCallRecorded, at date: Date) async throws {
        let message = call.response?["choices"]?.arrayValue?.first?["message"]
        let toolCallIDs = message?["tool_calls"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        try await database.query("""
            INSERT INTO llm_calls (call_id, trajectory_id, task_id, occurred_at, model, provider, status, prompt_tokens,
                completion_tokens, cost_dollars, latency_ms, finish_reason, tool_call_ids, content, prompt_token_ids,
                completion_token_ids, logprobs)
            VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7, $8, $9, $10, $11, $12, $13::text[], $14, $15::jsonb, $16::jsonb, $17::jsonb)
            ON CONFLICT (call_id) DO NOTHING
            """, [call.callID, call.trajectoryID, call.taskID, SynthJSON.formatTimestamp(date), call.model, call.provider,
                  String(call.status), String(call.promptTokens), String(call.completionTokens), String(call.costDollars),
                  String(call.latencyMS), call.finishReason, PostgresTextArray.literal(toolCallIDs), message?["content"]?.stringValue,
                  try call.promptTokenIDs.map(json), try call.completionTokenIDs.map(json), call.logprobs.map(\.jsonText)])
    }

    func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try SynthJSON.encode(value), as: UTF8.self)
    }
}
