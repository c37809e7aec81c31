import Foundation
import SynthParquet
import SynthTesting

// Writes a trajectory-shaped table (ids, numbers, long-ish text, nested messages) with
// SynthParquet and prints rows/s and file size as JSON. bench/datasets/run.sh then has
// pyarrow write the very same table (read back from this file) with the same codec.
//   synth-bench-parquet <out.parquet> <rows> <none|snappy|zstd> [columns|rows]
// columns (default): the timed part builds the ParquetColumn arrays from the source records,
//   then ParquetWriter init + write(columns:) + close().
// rows: the [ParquetValue] rows are built before timing; the timed part is ParquetWriter
//   init + write(rows:) + close().
let arguments = CommandLine.arguments
let mode = arguments.count == 5 ? arguments[4] : "columns"
guard (4...5).contains(arguments.count), let rows = Int(arguments[2]), let compression = ParquetCompression(name: arguments[3]),
      ["columns", "rows"].contains(mode) else {
    FileHandle.standardError.write(Data("usage: synth-bench-parquet <out.parquet> <rows> <none|snappy|zstd> [columns|rows]\n".utf8))
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

/// The source records, as an exporter holds them before writing.
struct ToolCall {
    var id: String
    var name: String
    var arguments: String
}

struct Message {
    var role: String
    var content: String?
    var toolCalls: [ToolCall]?
}

struct Trajectory {
    var id: String
    var category: String
    var seed: Int64
    var totalSteps: Int32
    var totalReward: Double
    var passed: Bool
    var completedAt: Int64
    var finalPatch: String?
    var messages: [Message]
}

var random = SplitMix64(seed: 42)
@MainActor func next() -> UInt64 { random.next() }
let words = ["def", "return", "self", "value", "assert", "import", "fix", "test", "parse", "config", "é", "日本", "✓"]
@MainActor func sentence(_ count: Int) -> String { (0..<count).map { _ in words[Int(next() % UInt64(words.count))] }.joined(separator: " ") }
let categories = ["bugfix", "feature", "refactor", "test", "docs"]

var source: [Trajectory] = []
source.reserveCapacity(rows)
for index in 0..<rows {
    let steps = 1 + Int(next() % 6)
    var messages = [Message(role: "user", content: sentence(20), toolCalls: nil)]
    for step in 0..<steps {
        let id = "call_\(index)_\(step)"
        messages.append(Message(role: "assistant", content: nil,
                                toolCalls: [ToolCall(id: id, name: "bash", arguments: "{\"cmd\": \"\(sentence(6))\"}")]))
        messages.append(Message(role: "tool", content: sentence(30), toolCalls: nil))
    }
    let trajectoryID = String(format: "%08x-%04x", index, Int(next() % 65536))
    let seed = Int64(bitPattern: next())
    let reward = Double(next() % 1000) / 1000
    let passed = next() % 2 == 0
    source.append(Trajectory(
        id: trajectoryID, category: categories[index % categories.count], seed: seed, totalSteps: Int32(steps),
        totalReward: reward, passed: passed, completedAt: 1_700_000_000_000 + Int64(index) * 1000,
        finalPatch: index % 4 == 0 ? nil : "--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-" + sentence(8) + "\n+" + sentence(8) + "\n",
        messages: messages))
}

/// The table as SynthParquet's column-wise input: what an exporter builds from its records.
func makeColumns(_ source: [Trajectory]) -> [ParquetColumn] {
    var ids = ParquetByteArrayColumnBuilder(reservingBytes: source.count * 13, values: source.count)
    var categoryColumn = ParquetByteArrayColumnBuilder(values: source.count)
    var seeds: [Int64] = [], totalSteps: [Int32] = [], rewards: [Double] = [], passed: [Bool] = [], completed: [Int64] = []
    var patches = ParquetByteArrayColumnBuilder(values: source.count)
    var messageOffsets: [Int32] = [0]
    var roles = ParquetByteArrayColumnBuilder(), contents = ParquetByteArrayColumnBuilder()
    var toolCallOffsets: [Int32] = [0], toolCallValidity: [Bool] = []
    var callIDs = ParquetByteArrayColumnBuilder(), callNames = ParquetByteArrayColumnBuilder()
    var callArguments = ParquetByteArrayColumnBuilder()
    seeds.reserveCapacity(source.count); totalSteps.reserveCapacity(source.count); rewards.reserveCapacity(source.count)
    passed.reserveCapacity(source.count); completed.reserveCapacity(source.count); messageOffsets.reserveCapacity(source.count + 1)
    for trajectory in source {
        ids.append(trajectory.id)
        categoryColumn.append(trajectory.category)
        seeds.append(trajectory.seed)
        totalSteps.append(trajectory.totalSteps)
        rewards.append(trajectory.totalReward)
        passed.append(trajectory.passed)
        completed.append(trajectory.completedAt)
        if let patch = trajectory.finalPatch { patches.append(patch) } else { patches.appendNull() }
        for message in trajectory.messages {
            roles.append(message.role)
            if let content = message.content { contents.append(content) } else { contents.appendNull() }
            if let calls = message.toolCalls {
                for call in calls {
                    callIDs.append(call.id)
                    callNames.append(call.name)
                    callArguments.append(call.arguments)
                }
            }
            toolCallOffsets.append(Int32(callIDs.count))
            toolCallValidity.append(message.toolCalls != nil)
        }
        messageOffsets.append(Int32(roles.count))
    }
    let toolCalls = ParquetColumn.struct([callIDs.column, callNames.column, callArguments.column], count: callIDs.count)
    let messages = ParquetColumn.struct(
        [roles.column, contents.column, .list(offsets: toolCallOffsets, element: toolCalls, validity: toolCallValidity)],
        count: roles.count)
    return [
        ids.column, categoryColumn.column, .int64s(seeds), .int32s(totalSteps), .doubles(rewards), .booleans(passed),
        .int64s(completed), patches.column, .list(offsets: messageOffsets, element: messages),
    ]
}

/// The same table as `[ParquetValue]` rows, for the row-wise API.
func makeRows(_ source: [Trajectory]) -> [[ParquetValue]] {
    source.map { trajectory in
        [
            .string(trajectory.id), .string(trajectory.category), .int64(trajectory.seed), .int32(trajectory.totalSteps),
            .double(trajectory.totalReward), .bool(trajectory.passed), .timestampMillis(trajectory.completedAt),
            trajectory.finalPatch.map(ParquetValue.string) ?? .null,
            .list(trajectory.messages.map { message in
                .struct([
                    .string(message.role), message.content.map(ParquetValue.string) ?? .null,
                    message.toolCalls.map { calls in
                        .list(calls.map { .struct([.string($0.id), .string($0.name), .string($0.arguments)]) })
                    } ?? .null,
                ])
            }),
        ]
    }
}

/// CPU seconds used by this process, so that a run on a loaded machine can be compared by the
/// work done as well as by wall time (pyarrow_write.py reports the same with time.process_time).
func processCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let table = mode == "rows" ? makeRows(source) : []
let options = ParquetWriterOptions(compression: compression, rowGroupRowLimit: 100_000)
let startedCPU = processCPUSeconds()
let started = ContinuousClock.now
var buildSeconds = 0.0, buildCPUSeconds = 0.0
let writer: ParquetWriter
if mode == "columns" {
    let columns = makeColumns(source)
    buildSeconds = seconds(ContinuousClock.now - started)
    buildCPUSeconds = processCPUSeconds() - startedCPU
    writer = try ParquetWriter(path: arguments[1], schema: schema, options: options)
    try writer.write(columns: columns)
} else {
    writer = try ParquetWriter(path: arguments[1], schema: schema, options: options)
    try writer.write(rows: table)
}
let summary = try writer.close()
let elapsed = seconds(ContinuousClock.now - started)
let cpuSeconds = processCPUSeconds() - startedCPU
// "seconds"/"cpu_seconds" cover the whole timed part; "write_…" leave out building the columns.
print("{\"writer\": \"synth-parquet (\(mode))\", \"rows\": \(rows), \"seconds\": \(elapsed), \"cpu_seconds\": \(cpuSeconds), \"write_seconds\": \(elapsed - buildSeconds), \"write_cpu_seconds\": \(cpuSeconds - buildCPUSeconds), \"bytes\": \(summary.fileByteCount)}")
