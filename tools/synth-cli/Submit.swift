import ArgumentParser
import Foundation
import SynthCommon

/// Sends a JSON Lines file in batches, with a progress bar, and reports each
/// rejected line with what was wrong.
struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Submit the tasks of a JSON Lines file (one task per line).")

    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The tasks file; - reads standard input.")
    var file: String

    @Option(help: "Tasks per request (at most 10000).")
    var batchSize: Int = 500

    func run() async throws {
        guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 10000") }
        let client = try connection.client()
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
            text = String(decoding: data, as: UTF8.self)
        }
        // Line numbers are kept so a rejection points at the line to fix.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { (number: $0.offset + 1, text: String($0.element)) }
        var progress = ProgressBar(total: lines.count, label: "submitting")
        var created = 0, existing = 0, rejected: [(line: Int, reason: String)] = []
        for start in stride(from: 0, to: lines.count, by: batchSize) {
            let chunk = Array(lines[start..<min(start + batchSize, lines.count)])
            let body = Array(chunk.map(\.text).joined(separator: "\n").utf8)
            let reply = try await client.post("/api/v1/tasks/batch", body: body, contentType: "application/x-ndjson")
            for result in reply["results"]?.items ?? [] {
                guard let index = result["index"]?.number.map(Int.init), chunk.indices.contains(index) else { continue }
                switch result["status"]?.string {
                case "created": created += 1
                case "existing": existing += 1
                default:
                    let error = result["error"]
                    let field = error?["field"]?.string.map { "\($0): " } ?? ""
                    rejected.append((chunk[index].number, field + (error?["message"]?.string ?? "rejected")))
                }
            }
            progress.advance(by: chunk.count)
        }
        progress.finish()
        for (line, reason) in rejected {
            print("line \(line): rejected: \(reason)")
        }
        print("\(created) created, \(existing) already there, \(rejected.count) rejected (of \(lines.count) lines)")
        if !rejected.isEmpty { throw ExitCode(2) }
    }
}
