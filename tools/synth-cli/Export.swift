import ArgumentParser
import Foundation
import SynthCommon

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export stored trajectories as a dataset and print where it went.")

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "Only trajectories whose hidden tests passed.")
    var verifiedOnly = false

    @Option(help: "Only trajectories with at least this reward.")
    var minReward: Double?

    @Option(help: "Seconds to wait for the export to finish.")
    var timeout: Double = 600

    func run() async throws {
        let client = try connection.client()
        var body: [String: JSONValue] = ["verified_only": .bool(verifiedOnly)]
        if let minReward { body["min_reward"] = .number(minReward) }
        let requested = try await client.post("/api/v1/trajectories/export", body: Array(JSONValue.object(body).jsonText.utf8))
        guard let exportID = requested["export_id"]?.string else { throw CLIError("the api did not return an export id") }
        FileHandle.standardError.write(Data("export \(exportID) requested\n".utf8))
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let export = try await client.get("/api/v1/exports/\(exportID)")
            switch export["status"]?.string {
            case "succeeded":
                print(export["path"]?.string ?? "")
                let summary = export["summary"]
                FileHandle.standardError.write(Data("\(export["rows"]?.string ?? "0") rows, \(summary?["passed"]?.string ?? "?") passed, mean reward \(summary?["mean_reward"]?.number.map { String(format: "%.3f", $0) } ?? "-")\n".utf8))
                return
            case "failed":
                throw CLIError("export \(exportID) failed: \(export["error"]?.string ?? "unknown error")")
            default:
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        throw CLIError("export \(exportID) did not finish within \(Int(timeout))s")
    }
}
