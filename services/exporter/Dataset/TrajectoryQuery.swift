import Foundation
import SynthCommon
import SynthPostgres

/// Reads the exportable trajectories page by page, in (stored_at, trajectory_id) order, so
/// memory stays flat however large the export and an incremental export can resume after the
/// last row of the previous one (the watermark).
///
/// Exportable: the task's winning attempt (`task_status.final_trajectory_id`), assembled by the
/// collector (`stored_at` set: started, completed, every step stored), matching the filters.
struct TrajectoryQuery: Sendable {
    struct Watermark: Sendable, Equatable {
        /// Microseconds since the epoch (exact: Postgres timestamps have microsecond precision).
        var storedAtMicros: Int64
        var trajectoryID: String
    }

    let database: PostgresClient
    let request: ExportRequested
    /// Rows stored after this instant are left for the next export: a transaction that set an
    /// earlier stored_at may still be committing, and must not fall behind the watermark.
    let upperBoundMicros: Int64
    var pageSize = 200

    /// Only the filters that are set become SQL conditions: a generic `$n IS NULL OR ...`
    /// would keep the planner from using the (stored_at, trajectory_id) index for the keyset,
    /// turning every page into a scan and sort of the whole table.
    func page(after watermark: Watermark?) async throws -> PostgresRows {
        var conditions = ["tr.stored_at IS NOT NULL",
                          "tr.stored_at < 'epoch'::timestamptz + $1::bigint * interval '1 microsecond'"]
        var parameters: [String?] = [String(upperBoundMicros)]
        func add(_ condition: (String) -> String, _ value: String?) {
            guard let value else { return }
            parameters.append(value)
            conditions.append(condition("$\(parameters.count)"))
        }
        if request.verifiedOnly { conditions.append("tr.verification_passed") }
        add({ "tr.total_reward >= \($0)::double precision" }, request.minReward.map { String($0) })
        add({ "t.category = ANY(\($0)::text[])" }, Self.array(request.categories))
        add({ "tr.llm_model = ANY(\($0)::text[])" }, Self.array(request.models))
        add({ "tr.completed_at >= \($0)::timestamptz" }, request.completedAfter.map(SynthJSON.formatTimestamp))
        add({ "tr.completed_at < \($0)::timestamptz" }, request.completedBefore.map(SynthJSON.formatTimestamp))
        if let watermark {
            parameters += [String(watermark.storedAtMicros), watermark.trajectoryID]
            let micros = parameters.count - 1
            conditions.append("(tr.stored_at, tr.trajectory_id) > ('epoch'::timestamptz + $\(micros)::bigint * interval '1 microsecond', $\(micros + 1))")
        }
        // json_agg and json_build_object, not their jsonb forms: they concatenate the stored
        // text (transitions are stored as json, the collector's canonical bytes) instead of
        // building a jsonb tree per row and printing it again, which made Postgres about five
        // times slower per trajectory on 50-step trajectories with logprobs (docs/BENCHMARKS.md).
        return try await database.query("""
            SELECT tr.trajectory_id, tr.task_id, t.external_id, t.category, t.difficulty, tr.llm_model, tr.scaffold, tr.seed,
                   tr.total_steps, tr.total_tokens, tr.total_reward, tr.verification_passed, tr.final_result, tr.reward_breakdown,
                   tr.execution_time_seconds, tr.final_patch, tr.prompt_messages, tr.quality_score, tr.diversity_score,
                   tr.total_cost_dollars,
                   (extract(epoch FROM tr.completed_at) * 1000)::bigint AS completed_ms,
                   (extract(epoch FROM tr.stored_at) * 1000000)::bigint AS stored_us,
                   (SELECT coalesce(json_agg(x.transition ORDER BY x.step_number), '[]'::json) FROM transitions x
                    WHERE x.trajectory_id = tr.trajectory_id) AS transitions,
                   (SELECT coalesce(json_agg(x.llm_call_id ORDER BY x.step_number), '[]'::json) FROM transitions x
                    WHERE x.trajectory_id = tr.trajectory_id) AS call_ids,
                   (SELECT coalesce(json_agg(json_build_object('call_id', c.call_id, 'prompt_tokens', c.prompt_tokens,
                        'completion_tokens', c.completion_tokens, 'cost_dollars', c.cost_dollars,
                        'prompt_token_ids', c.prompt_token_ids, 'completion_token_ids', c.completion_token_ids,
                        'logprobs', c.logprobs)), '[]'::json)
                    FROM llm_calls c WHERE c.call_id IN (SELECT x.llm_call_id FROM transitions x
                                                         WHERE x.trajectory_id = tr.trajectory_id)) AS calls
            FROM trajectories tr
            JOIN task_status s ON s.task_id = tr.task_id AND s.final_trajectory_id = tr.trajectory_id
            JOIN tasks t ON t.id = tr.task_id
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY tr.stored_at, tr.trajectory_id
            LIMIT \(pageSize)
            """, parameters)
    }

    static func array(_ values: [String]?) -> String? {
        guard let values, !values.isEmpty else { return nil }
        return "{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}
