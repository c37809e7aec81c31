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
        try await database.query("""
            INSERT INTO trajectories (trajectory_id, task_id, worker_id, attempt, llm_model, scaffold, seed, prompt_messages,
                                      tools, started_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::timestamptz)
            ON CONFLICT (trajectory_id) DO NOTHING
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

    func complete(_ completed: TaskCompleted, at date: Date) async throws {
        try await database.transaction { connection in
            try await connection.query("""
                UPDATE trajectories SET completed_at = $2::timestamptz, final_result = $3::jsonb, total_steps = $4,
                    total_tokens = $5, total_reward = $6, reward_breakdown = $7::jsonb, verification_passed = $8,
                    execution_time_seconds = $9, final_patch = $10
                WHERE trajectory_id = $1 AND completed_at IS NULL
                """, [completed.trajectoryID, SynthJSON.formatTimestamp(date), try json(completed.result), String(completed.totalSteps),
                      String(completed.totalTokens), String(completed.reward.total), try json(completed.reward),
                      completed.verificationPassed ? "true" : "false", String(completed.executionTimeSeconds), completed.finalPatch])
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
                UPDATE trajectories SET completed_at = now(), final_result = $2::jsonb WHERE trajectory_id = $1 AND completed_at IS NULL
                """, [trajectoryID, try json(TaskResult.error(failed.error))])
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

    private func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try SynthJSON.encode(value), as: UTF8.self)
    }
}
