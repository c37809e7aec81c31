import Foundation
import SynthParquet

// Writes a trajectory-shaped table (ids, numbers, long-ish text, nested messages) with
// SynthParquet and prints rows/s and file size as JSON. bench/datasets/run.sh then has
// pyarrow write the very same table (read back from this file) with the same codec.
//   synth-bench-parquet <out.parquet> <rows> <none|snappy|zstd>
let arguments = CommandLine.arguments
guard arguments.count == 4, let rows = Int(arguments[2]), let compression = ParquetCompression(name: arguments[3]) else {
    FileHandle.standardError.write(Data("usage: synth-bench-parquet <out.parquet> <rows> <none|snappy|zstd>\n".utf8))
    exit(2)
}

let toolCall = ParquetType.struct([
    ParquetField(name: "id", type: .string, nullable: false),
    ParquetField(name: "name", type: .string, nullable: false),
    ParquetField(name: "arguments", type: .string, nullable: false),
])
let message = ParquetType.struct([
    ParquetField(name: "role", type: .string, nullable: false),
    ParquetField(name: "content", type: .string),
    ParquetField(name: "tool_calls", type: .list(.element(toolCall, nullable: false))),
])
let schema = ParquetSchema(fields: [
    ParquetField(name: "trajectory_id", type: .string, nullable: false),
    ParquetField(name: "category", type: .string, nullable: false),
    ParquetField(name: "seed", type: .int64, nullable: false),
    ParquetField(name: "total_steps", type: .int32, nullable: false),
    ParquetField(name: "total_reward", type: .double, nullable: false),
    ParquetField(name: "verification_passed", type: .boolean, nullable: false),
    ParquetField(name: "completed_at", type: .timestampMillis, nullable: false),
    ParquetField(name: "final_patch", type: .string),
    ParquetField(name: "messages", type: .list(.element(message, nullable: false)), nullable: false),
])

// A deterministic generator (SplitMix64), so every run writes the same table.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
var random = SplitMix64(state: 42)
@MainActor func next() -> UInt64 { random.next() }
let words = ["def", "return", "self", "value", "assert", "import", "fix", "test", "parse", "config", "é", "日本", "✓"]
@MainActor func sentence(_ count: Int) -> String { (0..<count).map { _ in words[Int(next() % UInt64(words.count))] }.joined(separator: " ") }
let categories = ["bugfix", "feature", "refactor", "test", "docs"]

var table: [[ParquetValue]] = []
table.reserveCapacity(rows)
for index in 0..<rows {
    let steps = 1 + Int(next() % 6)
    var messages: [ParquetValue] = [.struct([.string("user"), .string(sentence(20)), .null])]
    for step in 0..<steps {
        let id = "call_\(index)_\(step)"
        messages.append(.struct([.string("assistant"), .null,
                                 .list([.struct([.string(id), .string("bash"), .string("{\"cmd\": \"\(sentence(6))\"}")])])]))
        messages.append(.struct([.string("tool"), .string(sentence(30)), .null]))
    }
    table.append([
        .string(String(format: "%08x-%04x", index, Int(next() % 65536))), .string(categories[index % categories.count]),
        .int64(Int64(bitPattern: next())), .int32(Int32(steps)), .double(Double(next() % 1000) / 1000), .bool(next() % 2 == 0),
        .timestampMillis(1_700_000_000_000 + Int64(index) * 1000),
        index % 4 == 0 ? .null : .string("--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-" + sentence(8) + "\n+" + sentence(8) + "\n"),
        .list(messages),
    ])
}

/// CPU seconds used by this process, so that a run on a loaded machine can be compared by the
/// work done as well as by wall time (pyarrow_write.py reports the same with time.process_time).
func processCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

let startedCPU = processCPUSeconds()
let started = ContinuousClock.now
let writer = try ParquetWriter(path: arguments[1], schema: schema,
                               options: ParquetWriterOptions(compression: compression, rowGroupRowLimit: 100_000))
try writer.write(rows: table)
let summary = try writer.close()
let elapsed = ContinuousClock.now - started
let cpuSeconds = processCPUSeconds() - startedCPU
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("{\"writer\": \"synth-parquet\", \"rows\": \(rows), \"seconds\": \(seconds), \"rows_per_second\": \(Double(rows) / seconds), \"cpu_seconds\": \(cpuSeconds), \"bytes\": \(summary.fileByteCount)}")
