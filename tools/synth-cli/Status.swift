import ArgumentParser
import Foundation
import SynthCommon

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Queue depth, running and finished tasks, pass rate and cost.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let stats = try await connection.client().get("/api/v1/stats")
        let byStatus = stats["by_status"]?.fields ?? [:]
        func count(_ status: String) -> Int { Int(byStatus[status]?.number ?? 0) }
        let queue = stats["queue"]
        let finished = ["succeeded", "partial", "failed", "timeout", "error", "cancelled"].reduce(0) { $0 + count($1) }
        print("tasks      \(Int(stats["tasks_total"]?.number ?? 0)) total")
        print("queue      \(queue?["ready"]?.string ?? "-") ready, \(queue?["delayed"]?.string ?? "-") delayed, "
              + "\(queue?["inflight"]?.string ?? "-") leased, \(queue?["dead"]?.string ?? "-") dead; oldest waiting "
              + "\(queue?["oldest_waiting_seconds"]?.number.map { String(format: "%.0fs", $0) } ?? "-")")
        print("running    \(count("assigned") + count("running"))")
        print("finished   \(finished) (\(count("succeeded")) succeeded, \(count("partial")) partial, \(count("failed")) failed, "
              + "\(count("timeout")) timeout, \(count("error")) error, \(count("cancelled")) cancelled)")
        print("pass rate  \(stats["pass_rate"]?.number.map { String(format: "%.1f%%", $0 * 100) } ?? "-")"
              + "   mean reward \(stats["mean_reward"]?.number.map { String(format: "%.3f", $0) } ?? "-")")
        let models = (stats["by_model"]?.fields ?? [:]).sorted { $0.key < $1.key }
        let cost = models.reduce(0.0) { $0 + ($1.value["cost_dollars"]?.number ?? 0) }
        print("llm cost   $\(String(format: "%.4f", cost))" + (models.isEmpty ? "" : "  (" + models.map { name, model in
            "\(name): \(model["trajectories"]?.string ?? "0") trajectories, $\(String(format: "%.4f", model["cost_dollars"]?.number ?? 0))"
        }.joined(separator: "; ") + ")"))
    }
}
