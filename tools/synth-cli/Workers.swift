import ArgumentParser
import Foundation
import SynthCommon

struct Workers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the executors: status, load and last heartbeat.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let reply = try await connection.client().get("/api/v1/workers")
        let workers = reply["items"]?.items ?? reply.items
        if workers.isEmpty {
            print("no workers")
            return
        }
        let columns = ["worker_id", "status", "active_tasks", "capacity", "last_seen"]
        let rows = workers.map { worker in
            columns.map { key in worker[key]?.string ?? worker[key == "last_seen" ? "last_heartbeat" : key]?.string ?? "-" }
        }
        let widths = columns.indices.map { index in ([columns[index]] + rows.map { $0[index] }).map(\.count).max() ?? 0 }
        func format(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        print(format(columns))
        rows.forEach { print(format($0)) }
    }
}
