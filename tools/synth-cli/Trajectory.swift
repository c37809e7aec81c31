import ArgumentParser
import Foundation
import SynthCommon

struct Trajectory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Pretty-print a trajectory: its summary, every step, and the final patch.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The trajectory id.")
    var id: String

    @Flag(help: "Print the raw JSON instead.")
    var json = false

    func run() async throws {
        let detail = try await connection.client().get("/api/v1/trajectories/\(id)")
        if json {
            print(detail.jsonText)
            return
        }
        print("trajectory \(detail["trajectory_id"]?.string ?? id)  task \(detail["task_id"]?.string ?? "?")")
        print("model \(detail["llm_model"]?.string ?? "?")  scaffold \(detail["scaffold"]?.string ?? "?")  "
              + "steps \(detail["total_steps"]?.string ?? "?")  tokens \(detail["total_tokens"]?.string ?? "?")")
        print("result \(detail["final_result"]?["type"]?.string ?? detail["final_result"]?.string ?? "running")  "
              + "reward \(detail["total_reward"]?.number.map { String(format: "%.3f", $0) } ?? "-")  "
              + "verified \(detail["verification_passed"]?.string ?? "-")")
        for step in detail["transitions"]?.items ?? [] { print(TrajectoryPrinter.line(for: step)) }
        if let patch = detail["final_patch"]?.string, !patch.isEmpty {
            print("final patch:")
            print(patch)
        }
    }
}
