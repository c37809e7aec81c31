import Foundation
import Synchronization
import SynthCommon
import SynthDocker
import SynthSandbox

// synth-bench-executor: the executor's container path (SynthSandbox's
// `Sandbox` over SynthDocker's `DockerClient`), measured against the raw
// Engine API figures that bench/executor/raw_engine.py took in the same run
// (passed with --raw). Run it with bench/executor/run.sh.
//
//   synth-bench-executor --raw FILE [--image I] [--iterations N] [--concurrency 1,2,3,4,6,8] [--steps S]
//   synth-bench-executor --write-execs FILE   (the exact argv of the step's
//       exec, for raw_engine.py to run the same in-container work)

struct Options {
    var rawFile = ""
    var image = "synth-python:bookworm"
    var iterations = 30
    var concurrency = [1, 2, 3, 4, 6, 8, 12, 16]
    var steps = 5
    var writeExecs: String?

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--raw": rawFile = iterator.next() ?? rawFile
            case "--image": image = iterator.next() ?? image
            case "--iterations": iterations = Int(iterator.next() ?? "") ?? iterations
            case "--concurrency": concurrency = (iterator.next() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--steps": steps = Int(iterator.next() ?? "") ?? steps
            case "--write-execs": writeExecs = iterator.next()
            default: fatalError("unknown argument \(argument)")
            }
        }
    }
}

/// The raw side's medians in milliseconds, by the names raw_engine.py writes.
struct RawFigures: Decodable {
    var ready: Double
    var exec: Double
    var stepCommand: Double
    var snapshotCommand: Double
    var stepWithState: Double
    var load: String

    enum CodingKeys: String, CodingKey {
        case ready = "create_start_ms", exec = "exec_true_ms", stepCommand = "exec_step_command_ms",
             snapshotCommand = "exec_snapshot_command_ms", stepWithState = "exec_step_with_state_ms", load = "load_average"
    }
}

/// Hands out episode numbers to the concurrent runners.
final class Counter: Sendable {
    private let value = Mutex(0)

    /// The value before the increment.
    func increment() -> Int {
        value.withLock { value in
            defer { value += 1 }
            return value
        }
    }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func format(_ value: Double) -> String { String(format: "%.2f", value) }

/// The same command every step runs, here and in raw_engine.py.
let stepCommand = "echo step >> notes.txt && cat notes.txt | wc -l"
let initialFiles = ["main.py": "def add(a, b):\n    return a - b\n", "test_main.py": "from main import add\n\ndef test_add():\n    assert add(1, 2) == 3\n"]

func task(image: String) -> TaskDefinition {
    TaskDefinition(id: "bench-\(UUID().uuidString.lowercased())", instruction: "benchmark", category: "bugfix", difficulty: .easy,
                   dockerImage: image, initialFiles: initialFiles, verificationTests: [TestSpec(name: "t", command: "true")])
}

let options = Options(CommandLine.arguments)
if let path = options.writeExecs {
    // The same argv Sandbox runs, without DockerClient's `timeout -s KILL` wrapper.
    let execs = ["step_with_state": StateTrailer().command(stepCommand, stateScript: Sandbox.stateScript(diffLimit: 256 * 1024)),
                 "snapshot": ["bash", "-c", Sandbox.stateScript(diffLimit: 256 * 1024)]]
    try JSONEncoder().encode(execs).write(to: URL(fileURLWithPath: path))
    exit(0)
}
func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
}
let raw = try JSONDecoder().decode(RawFigures.self, from: Data(contentsOf: URL(fileURLWithPath: options.rawFile)))
let docker = try DockerClient()
let settings = SandboxSettings(stackID: "bench-executor", processID: UUID().uuidString.lowercased(), outputStopBytes: 8 << 20,
                               reaperIntervalSeconds: 30, reaperGraceSeconds: 60)

func makeSandbox() async throws -> Sandbox {
    let definition = task(image: options.image)
    return try await Sandbox.create(docker: docker, task: definition, trajectoryID: UUID().uuidString.lowercased(),
                                    workerID: "bench", settings: settings, deadline: .now + .seconds(600), commandTimeoutSeconds: 120)
}

/// One step as EpisodeRunner takes it, without the model call and the Kafka
/// publish: the agent's command with the state read in the same exec (a
/// separate snapshot only if that failed), the Transition built and encoded.
func step(_ sandbox: Sandbox, number: Int) async throws -> Data {
    let started = ContinuousClock.now
    let output = try await sandbox.runAgentCommandWithState(stepCommand, outputLimit: 64 * 1024)
    guard let state = output.state else { fatalError("the step's exec brought no state: \(output.output)") }
    let transition = Transition(
        timestamp: Date(), stepNumber: number,
        state: State(files: state.files, workingDirectory: Sandbox.workspace, processState: ProcessState(lastExitCode: output.exitCode),
                     changedFiles: state.changedFiles, diff: state.diff),
        action: Action(actionType: .toolCall, content: "{\"command\":\"\(stepCommand)\"}", toolName: "bash"),
        observation: Observation(content: output.output, exitCode: output.exitCode), reward: 0, done: false,
        info: TransitionInfo(durationMS: Int(milliseconds(ContinuousClock.now - started)), toolDurationMS: Int(milliseconds(output.duration)),
                             exitCode: output.exitCode),
        messages: [])
    return try JSONEncoder().encode(transition)
}

print("load average at start: \(loadAverage()) (raw side: \(raw.load))")

// 1. Create -> ready for exec, one container at a time.
var ready: [Double] = []
for index in 0..<(options.iterations + 2) {
    let started = ContinuousClock.now
    let sandbox = try await makeSandbox()
    let elapsed = milliseconds(ContinuousClock.now - started)
    await sandbox.remove()
    if index >= 2 { ready.append(elapsed) }  // two warm-ups
}

// 2. Exec round trip and 3. the step, in one container.
let sandbox = try await makeSandbox()
try await sandbox.writeFiles(initialFiles)
try await sandbox.writeBaseline(initialFiles)
var clientExec: [Double] = [], agentExec: [Double] = [], agentStepCommand: [Double] = [], snapshots: [Double] = [],
    withState: [Double] = [], steps: [Double] = []
func timed(_ body: () async throws -> Void) async rethrows -> Double {
    let started = ContinuousClock.now
    try await body()
    return milliseconds(ContinuousClock.now - started)
}
for index in 0..<(options.iterations * 3 + 5) {
    let plain = try await timed { _ = try await docker.exec(sandbox.containerID, command: ["true"], timeout: .seconds(60), killInContainer: false) }
    let agent = try await timed { _ = try await sandbox.runAgentCommand("true", outputLimit: 64 * 1024) }
    let command = try await timed { _ = try await sandbox.runAgentCommand(stepCommand, outputLimit: 64 * 1024) }
    let snap = try await timed { _ = try await sandbox.snapshot() }
    let combined = try await timed { _ = try await sandbox.runAgentCommandWithState(stepCommand, outputLimit: 64 * 1024) }
    let whole = try await timed { _ = try await step(sandbox, number: index) }
    if index >= 5 {
        clientExec.append(plain); agentExec.append(agent); agentStepCommand.append(command); snapshots.append(snap)
        withState.append(combined); steps.append(whole)
    }
}
await sandbox.remove()

print("== single container, medians over \(options.iterations * 3) runs (ms) ==")
print("create -> ready for exec   raw \(format(raw.ready))  synth Sandbox.create \(format(median(ready)))  ratio \(format(median(ready) / raw.ready))x  (goal <= 1.1x)")
print("exec round trip (true)     raw \(format(raw.exec))  DockerClient.exec \(format(median(clientExec)))  ratio \(format(median(clientExec) / raw.exec))x")
print("agent command (true)       Sandbox.runAgentCommand \(format(median(agentExec)))  (timeout -s KILL + bash -c wrapper)")
print("step command               raw \(format(raw.stepCommand))  Sandbox.runAgentCommand \(format(median(agentStepCommand)))")
print("state snapshot, own exec   raw \(format(raw.snapshotCommand))  Sandbox.snapshot \(format(median(snapshots)))")
print("step command + state, one exec  raw \(format(raw.stepWithState))  Sandbox.runAgentCommandWithState \(format(median(withState)))  ratio \(format(median(withState) / raw.stepWithState))x")
let stepMedian = median(steps)
print("whole step                 synth \(format(stepMedian)) (p90 \(format(percentile(steps, 0.9))))")
print("overhead per step beyond the raw exec of the command alone:                 \(format(stepMedian - raw.stepCommand))")
print("overhead per step beyond the raw exec of the same command + state:        \(format(stepMedian - raw.stepWithState))  (goal < 5)")
print("cost of the state inside the exec (raw command + state - raw command):     \(format(raw.stepWithState - raw.stepCommand))")
print("load average after the single-container part: \(loadAverage())")

// 4. Concurrent episodes: each creates its container, writes the files and
// the baseline, takes `steps` steps, takes the patch and removes it. The
// ramp goes on until throughput has stopped rising (no level within the
// last two beat the best by 5%).
print("== concurrent episodes (\(options.steps) steps each), ramp ==")
print("in flight  episodes  wall s  episodes/s  steps/s  step p50 ms  step p90 ms  episode p50 s  load")
var best = 0.0, bestLevel = 0, levelsWithoutGain = 0
for concurrency in options.concurrency {
    let episodes = max(6, concurrency * 3)
    let next = Counter()
    let started = ContinuousClock.now
    let results = try await withThrowingTaskGroup(of: [Double].self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                var samples: [Double] = []
                while next.increment() < episodes {
                    let episodeStarted = ContinuousClock.now
                    let sandbox = try await makeSandbox()
                    do {
                        try await sandbox.writeFiles(initialFiles)
                        try await sandbox.writeBaseline(initialFiles)
                        for number in 1...options.steps {
                            let stepStarted = ContinuousClock.now
                            _ = try await step(sandbox, number: number)
                            samples.append(milliseconds(ContinuousClock.now - stepStarted))
                        }
                        _ = try await sandbox.patch(initialFiles: initialFiles)
                    } catch {
                        await sandbox.remove()
                        throw error
                    }
                    await sandbox.remove()
                    // Episode durations are marked negative to keep one array.
                    samples.append(-milliseconds(ContinuousClock.now - episodeStarted))
                }
                return samples
            }
        }
        var all: [Double] = []
        for try await samples in group { all += samples }
        return all
    }
    let wall = milliseconds(ContinuousClock.now - started) / 1000
    let stepTimes = results.filter { $0 >= 0 }
    let episodeTimes = results.filter { $0 < 0 }.map { -$0 / 1000 }
    let throughput = Double(episodes) / wall
    print(String(format: "%9d  %8d  %6.1f  %10.2f  %7.1f  %11.1f  %11.1f  %13.2f  ", concurrency, episodes, wall,
                 throughput, Double(stepTimes.count) / wall, median(stepTimes), percentile(stepTimes, 0.9),
                 median(episodeTimes)) + loadAverage())
    if throughput > best * 1.05 {
        best = throughput; bestLevel = concurrency; levelsWithoutGain = 0
    } else {
        best = max(best, throughput)
        levelsWithoutGain += 1
        if levelsWithoutGain >= 2 { break }
    }
}
print("throughput stopped rising (by 5%) past \(bestLevel) episodes in flight: \(format(best)) episodes/s at most")
