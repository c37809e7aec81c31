import ArgumentParser
import Foundation
import SynthCommon

/// Follows one task: its status changes, then each step of its trajectory as
/// it is stored, until the task ends.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Follow a task step by step until it finishes.")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The task id.")
    var task: String

    @Option(help: "Seconds between polls.")
    var interval: Double = 1

    @Option(help: "Give up after this many seconds (0 = never).")
    var timeout: Double = 0

    func run() async throws {
        let client = try connection.client()
        let started = Date()
        var lastStatus = "", shownSteps = 0
        while true {
            let view = try await client.get("/api/v1/tasks/\(task)")
            let status = view["status"]?.string ?? "?"
            if status != lastStatus {
                print("[\(SynthJSON.formatTimestamp(Date()))] \(status)" + (view["reason"]?.string.map { ": \($0)" } ?? ""))
                lastStatus = status
            }
            if let trajectory = view["trajectory_id"]?.string ?? view["current_trajectory_id"]?.string {
                let detail = try await client.get("/api/v1/trajectories/\(trajectory)")
                let steps = detail["transitions"]?.items ?? []
                for step in steps.dropFirst(shownSteps) { print(TrajectoryPrinter.line(for: step)) }
                shownSteps = max(shownSteps, steps.count)
            }
            if TaskStatus(rawValue: status)?.isTerminal == true {
                let result = view["result"]
                print("result: \(result?["type"]?.string ?? status)" + (result?["reward"]?.number.map { String(format: ", reward %.3f", $0) } ?? ""))
                if status != TaskStatus.succeeded.rawValue { throw ExitCode(1) }
                return
            }
            if timeout > 0 && Date().timeIntervalSince(started) > timeout { throw CLIError("task \(task) still \(status) after \(Int(timeout))s") }
            try await Task.sleep(for: .seconds(interval))
        }
    }
}
