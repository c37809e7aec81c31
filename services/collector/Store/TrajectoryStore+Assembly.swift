import Foundation
import SynthCommon
import SynthPostgres

extension TrajectoryStore {
    /// The outcome of `assemble`: whether the trajectory is whole, and whether its
    /// TrajectoryStored still has to be sent.
    struct Assembly: Sendable {
        var stored: Bool
        var announce: Bool
        var taskID: String?
    }

    /// Which of `trajectoryIDs` have every part `assemble` waits for, in one query, so a batch
    /// touching many trajectories runs the (locking) assembly only for those that can pass
    /// its check. `assemble` checks again under the row lock.
    func assemblable(_ trajectoryIDs: [String]) async throws -> Set<String> {
        guard !trajectoryIDs.isEmpty else { return [] }
        let rows = try await database.query("""
            SELECT t.trajectory_id FROM trajectories t
            WHERE t.trajectory_id = ANY($1::text[]) AND t.started_at IS NOT NULL AND t.total_steps IS NOT NULL
              AND (SELECT count(*) FROM transitions x WHERE x.trajectory_id = t.trajectory_id) = t.total_steps
            """, [PostgresTextArray.literal(trajectoryIDs)])
        return Set(rows.compactMap { $0["trajectory_id"] })
    }

    /// Makes a trajectory whole once every part has arrived, whatever the order: it needs its
    /// TaskStarted, its TaskCompleted, and as many steps as the completion counted. It then joins
    /// the steps with their model calls, sums the cost, and scores it. Called after every event
    /// that touches the trajectory; a call record arriving after the trajectory was stored
    /// re-runs the join, and the result depends only on what is stored, not on the order.
    func assemble(trajectoryID: String) async throws -> Assembly {
        try await database.transaction { connection in
            // The row lock serialises assemblies of one trajectory across collector replicas.
            guard let row = try await connection.query("""
                SELECT t.task_id, t.total_steps, t.total_reward, t.verification_passed, t.stored_at IS NOT NULL AS stored,
                       t.stored_event_sent, coalesce(k.external_id, t.task_id) AS diversity_group,
                       (SELECT count(*) FROM transitions x WHERE x.trajectory_id = t.trajectory_id) AS steps
                FROM trajectories t LEFT JOIN tasks k ON k.id = t.task_id
                WHERE t.trajectory_id = $1 AND t.started_at IS NOT NULL AND t.total_steps IS NOT NULL
                FOR UPDATE OF t
                """, [trajectoryID]).first,
                let taskID = row["task_id"], let totalSteps = row.int("total_steps"), row.int("steps") == totalSteps
            else { return Assembly(stored: false, announce: false, taskID: nil) }

            var steps: [Transition] = []
            var storedCallIDs: [String?] = []
            for step in try await connection.query(
                "SELECT transition, llm_call_id FROM transitions WHERE trajectory_id = $1 ORDER BY step_number", [trajectoryID]) {
                steps.append(try SynthJSON.decode(Transition.self, from: Array((step["transition"] ?? "null").utf8)))
                storedCallIDs.append(step["llm_call_id"])
            }
            let calls = try await connection.query("""
                SELECT call_id, status, tool_call_ids, content, cost_dollars FROM llm_calls
                WHERE trajectory_id = $1 ORDER BY occurred_at, call_id
                """, [trajectoryID]).map { call in
                RecordedCall(callID: call["call_id"] ?? "", status: call.int("status") ?? 0,
                             toolCallIDs: PostgresTextArray.parse(call["tool_call_ids"] ?? "{}"), content: call["content"],
                             costDollars: call.double("cost_dollars") ?? 0)
            }
            let joined = StepCallJoin.join(steps: steps, calls: calls)
            for (index, callID) in joined.enumerated() where callID != storedCallIDs[index] {
                try await connection.query("UPDATE transitions SET llm_call_id = $3 WHERE trajectory_id = $1 AND step_number = $2",
                                           [trajectoryID, String(steps[index].stepNumber), callID])
            }
            let quality = TrajectoryScores.quality(reward: row.double("total_reward") ?? 0,
                                                   verificationPassed: row.bool("verification_passed") ?? false, steps: steps)
            let group = row["diversity_group"] ?? taskID
            try await connection.query("""
                UPDATE trajectories SET quality_score = $2, total_cost_dollars = $3, action_shingles = $4::text[],
                    diversity_group = $5, stored_at = COALESCE(stored_at, now())
                WHERE trajectory_id = $1
                """, [trajectoryID, String(quality), String(calls.map(\.costDollars).reduce(0, +)),
                      PostgresTextArray.literal(TrajectoryScores.shingles(steps)), group])
            try await rescoreDiversity(group: group, on: connection)
            return Assembly(stored: true, announce: row.bool("stored_event_sent") != true, taskID: taskID)
        }
    }

    /// Recomputes diversity_score for every stored member of a group, under a lock on the group.
    private func rescoreDiversity(group: String, on connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(7240101, hashtext($1))", [group])
        let members = try await connection.query("""
            SELECT trajectory_id, task_id, action_shingles, diversity_score FROM trajectories
            WHERE diversity_group = $1 AND stored_at IS NOT NULL
            """, [group]).map { member in
            (id: member["trajectory_id"] ?? "", taskID: member["task_id"] ?? "",
             shingles: Set(PostgresTextArray.parse(member["action_shingles"] ?? "{}")), current: member.double("diversity_score"))
        }
        let peers = members.map { (taskID: $0.taskID, shingles: $0.shingles) }
        for member in members {
            let score = TrajectoryScores.diversity(of: (member.taskID, member.shingles), among: peers)
            if member.current != score {
                try await connection.query("UPDATE trajectories SET diversity_score = $2 WHERE trajectory_id = $1",
                                           [member.id, String(score)])
            }
        }
    }

    func markAnnounced(trajectoryID: String) async throws {
        try await database.query("UPDATE trajectories SET stored_event_sent = true WHERE trajectory_id = $1", [trajectoryID])
    }
}
