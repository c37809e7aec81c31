import Foundation
import Logging
import SynthCommon
import SynthParquet
import SynthPostgres

/// Writes one Parquet file of finished trajectories in the Hugging Face
/// layout (`data/train-00000-of-00001.parquet`). A trajectory is exported once
/// it is complete: its task's winning attempt, with every step stored.
struct DatasetExporter: Sendable {
    let database: PostgresClient
    let publisher: EventPublisher
    let outputRoot: String
    let logger: Logger

    func handle(_ event: ConsumedEvent) async throws {
        guard event.header.type == ExportRequested.eventType else { return }
        try await export(try event.payload(ExportRequested.self))
    }

    func export(_ request: ExportRequested) async throws {
        // A redelivered request whose export already finished is not redone.
        if let done = try await database.query("SELECT status FROM exports WHERE export_id = $1", [request.exportID]).first,
           done["status"] == "succeeded" { return }
        try await database.query("""
            INSERT INTO exports (export_id, status) VALUES ($1, 'running')
            ON CONFLICT (export_id) DO UPDATE SET status = 'running', error = NULL
            """, [request.exportID])
        do {
            let directory = outputRoot + "/" + request.exportID
            let relative = "data/train-00000-of-00001.parquet"
            try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
            let summary = try await writeParquet(to: directory + "/" + relative, request: request)
            let summaryJSON = String(decoding: try SynthJSON.encode(summary), as: UTF8.self)
            try await database.query("""
                UPDATE exports SET status = 'succeeded', path = $2, rows = $3, summary = $4::jsonb, finished_at = now()
                WHERE export_id = $1
                """, [request.exportID, directory + "/" + relative, String(summary.rows), summaryJSON])
            try await publisher.publish(DatasetPublished(exportID: request.exportID, path: directory + "/" + relative, rows: summary.rows))
            logger.info("dataset_published", metadata: ["export_id": "\(request.exportID)", "rows": "\(summary.rows)",
                                                        "path": "\(directory)/\(relative)"])
        } catch {
            try await database.query("UPDATE exports SET status = 'failed', error = $2, finished_at = now() WHERE export_id = $1",
                                     [request.exportID, "\(error)"])
            throw error
        }
    }

    struct Summary: Codable, Sendable {
        var rows: Int
        var passed: Int
        var meanReward: Double
        enum CodingKeys: String, CodingKey { case rows, passed, meanReward = "mean_reward" }
    }

    private func writeParquet(to path: String, request: ExportRequested) async throws -> Summary {
        let rows = try await database.query("""
            SELECT tr.trajectory_id, tr.task_id, t.external_id, t.category, t.difficulty, tr.llm_model, tr.scaffold, tr.seed,
                   tr.total_steps, tr.total_tokens, tr.total_reward, tr.verification_passed, tr.final_result, tr.reward_breakdown,
                   tr.execution_time_seconds, tr.final_patch, tr.prompt_messages,
                   (extract(epoch FROM tr.completed_at) * 1000)::bigint AS completed_ms,
                   (SELECT coalesce(jsonb_agg(x.transition ORDER BY x.step_number), '[]'::jsonb) FROM transitions x
                    WHERE x.trajectory_id = tr.trajectory_id) AS transitions
            FROM trajectories tr
            JOIN task_status s ON s.task_id = tr.task_id AND s.final_trajectory_id = tr.trajectory_id
            JOIN tasks t ON t.id = tr.task_id
            WHERE tr.completed_at IS NOT NULL
              AND tr.total_steps = (SELECT count(*) FROM transitions x WHERE x.trajectory_id = tr.trajectory_id)
              AND ($1::boolean IS NOT TRUE OR tr.verification_passed)
              AND ($2::double precision IS NULL OR tr.total_reward >= $2::double precision)
            ORDER BY tr.completed_at, tr.trajectory_id
            """, [request.verifiedOnly ? "true" : "false", request.minReward.map { String($0) }])
        let writer = try ParquetWriter(path: path, schema: TrajectoryTable.schema)
        writer.setMetadata(request.exportID, forKey: "synth.export_id")
        var summary = Summary(rows: 0, passed: 0, meanReward: 0)
        var rewardSum = 0.0
        for row in rows {
            let record = try TrajectoryTable.row(from: row)
            try writer.write(row: record.values)
            summary.rows += 1
            if record.passed { summary.passed += 1 }
            rewardSum += record.reward
        }
        _ = try writer.close()
        summary.meanReward = summary.rows > 0 ? rewardSum / Double(summary.rows) : 0
        return summary
    }
}
