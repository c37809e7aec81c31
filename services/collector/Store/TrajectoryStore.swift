import Foundation
import SynthCommon
import SynthPostgres

/// The collector's Postgres side: `write` runs a batch's writes in one transaction
/// (`TrajectoryWrites`), `assemble` makes trajectories whole afterwards.
struct TrajectoryStore: Sendable {
    let database: PostgresClient

    /// Runs `body` in one transaction: a batch is stored entirely or not at all.
    func write<R: Sendable>(_ body: (TrajectoryWrites) async throws -> R) async throws -> R {
        try await database.transaction { connection in try await body(TrajectoryWrites(sql: connection)) }
    }
}

/// The collector's writes, all idempotent. Status only moves forward (rank guard), the first
/// completed trajectory of a task wins (a task re-run after a lost ack does
/// not give the dataset a second row), steps are keyed by (trajectory_id, step_number)
/// and calls by call_id.
struct TrajectoryWrites: Sendable {
    let sql: PostgresConnection

    func advance(taskID: String, to status: TaskStatus, workerID: String? = nil, attempt: Int? = nil, reason: String? = nil) async throws {
        try await sql.query("""
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
        try await sql.query("""
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

    /// `artifacts` is the JSON object naming what was put in the object store (final patch).
    func complete(_ completed: TaskCompleted, at date: Date, artifacts: [UInt8]? = nil) async throws {
        // An upsert, so a completion that overtakes its TaskStarted is kept; a completion only
        // replaces an earlier TaskFailed record of the same attempt (total_steps still null).
        try await sql.query("""
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
        try await sql.query("""
            INSERT INTO task_status (task_id, status, status_rank, worker_id, final_trajectory_id, result)
            VALUES ($1, $2, 4, $3, $4, $5::jsonb)
            ON CONFLICT (task_id) DO UPDATE SET status = EXCLUDED.status, status_rank = 4, worker_id = EXCLUDED.worker_id,
                final_trajectory_id = EXCLUDED.final_trajectory_id, result = EXCLUDED.result, updated_at = now()
            WHERE task_status.final_trajectory_id IS NULL
            """, [completed.taskID, status.rawValue, completed.workerID, completed.trajectoryID, try json(completed.result)])
    }

    func fail(_ failed: TaskFailed) async throws {
        if let trajectoryID = failed.trajectoryID {
            try await sql.query("""
                INSERT INTO trajectories (trajectory_id, task_id, worker_id, completed_at, final_result)
                VALUES ($1, $3, $4, now(), $2::jsonb)
                ON CONFLICT (trajectory_id) DO UPDATE SET completed_at = now(), final_result = EXCLUDED.final_result
                WHERE trajectories.completed_at IS NULL
                """, [trajectoryID, try json(TaskResult.error(failed.error)), failed.taskID, failed.workerID])
        }
        // A retryable failure goes back to the queue; only a final one ends the task.
        guard !failed.retryable else {
            try await sql.query("UPDATE task_status SET reason = $2, updated_at = now() WHERE task_id = $1 AND status_rank < 4",
                                     [failed.taskID, "attempt \(failed.attempt) failed, retrying: \(failed.error)"])
            return
        }
        try await sql.query("""
            INSERT INTO task_status (task_id, status, status_rank, reason, worker_id, attempts)
            VALUES ($1, 'error', 4, $2, $3, $4)
            ON CONFLICT (task_id) DO UPDATE SET status = 'error', status_rank = 4, reason = EXCLUDED.reason,
                worker_id = COALESCE(EXCLUDED.worker_id, task_status.worker_id), attempts = EXCLUDED.attempts, updated_at = now()
            WHERE task_status.status_rank < 4
            """, [failed.taskID, failed.error, failed.workerID, String(failed.attempt)])
    }

    func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try SynthJSON.encode(value), as: UTF8.self)
    }
}
