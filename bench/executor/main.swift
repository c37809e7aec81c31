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
//   synth-bench-executor --raw FILE [--image I] [--iterations N] [--concurrency 1,2,4] [--steps S]

struct Options {
    var rawFile = ""
    var image = "synth-python:bookworm"
    var iterations = 30
    var concurrency = [1, 2, 4, 8, 16]
    var steps = 5

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--raw": rawFile = iterator.next() ?? rawFile
            case "--image": image = iterator.next() ?? image
            case "--iterations": iterations = Int(iterator.next() ?? "") ?? iterations
            case "--concurrency": concurrency = (iterator.next() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--steps": steps = Int(iterator.next() ?? "") ?? steps
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

    enum CodingKeys: String, CodingKey {
        case ready = "create_start_ms", exec = "exec_true_ms", stepCommand = "exec_step_command_ms",
             snapshotCommand = "exec_snapshot_command_ms"
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
/// publish: the agent's command, the state snapshot, the Transition built and
/// encoded.
func step(_ sandbox: Sandbox, number: Int) async throws -> Data {
    let started = ContinuousClock.now
    let output = try await sandbox.runAgentCommand(stepCommand, outputLimit: 64 * 1024)
    let snapshot = try await sandbox.snapshot()
    let transition = Transition(
        timestamp: Date(), stepNumber: number,
        state: State(files: snapshot.files, workingDirectory: Sandbox.workspace, processState: ProcessState(lastExitCode: output.exitCode),
                     changedFiles: snapshot.changedFiles, diff: snapshot.diff),
        action: Action(actionType: .toolCall, content: "{\"command\":\"\(stepCommand)\"}", toolName: "bash"),
        observation: Observation(content: output.output, exitCode: output.exitCode), reward: 0, done: false,
        info: TransitionInfo(durationMS: Int(milliseconds(ContinuousClock.now - started)), toolDurationMS: Int(milliseconds(output.duration)),
                             exitCode: output.exitCode),
        messages: [])
    return try JSONEncoder().encode(transition)
}

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
var clientExec: [Double] = [], agentExec: [Double] = [], agentStepCommand: [Double] = [], snapshots: [Double] = [], steps: [Double] = []
for index in 0..<(options.iterations * 3 + 5) {
    var started = ContinuousClock.now
    _ = try await docker.exec(sandbox.containerID, command: ["true"], timeout: .seconds(60), killInContainer: false)
    let plain = milliseconds(ContinuousClock.now - started)
    started = .now
    _ = try await sandbox.runAgentCommand("true", outputLimit: 64 * 1024)
    let agent = milliseconds(ContinuousClock.now - started)
    started = .now
    _ = try await sandbox.runAgentCommand(stepCommand, outputLimit: 64 * 1024)
    let command = milliseconds(ContinuousClock.now - started)
    started = .now
    _ = try await sandbox.snapshot()
    let snap = milliseconds(ContinuousClock.now - started)
    started = .now
    _ = try await step(sandbox, number: index)
    let whole = milliseconds(ContinuousClock.now - started)
    if index >= 5 {
        clientExec.append(plain); agentExec.append(agent); agentStepCommand.append(command); snapshots.append(snap); steps.append(whole)
    }
}
await sandbox.remove()

print("== single container, medians over \(options.iterations)+ runs (ms) ==")
print("create -> ready for exec   raw \(format(raw.ready))  synth Sandbox.create \(format(median(ready)))  ratio \(format(median(ready) / raw.ready))x  (goal <= 1.1x)")
print("exec round trip (true)     raw \(format(raw.exec))  DockerClient.exec \(format(median(clientExec)))  ratio \(format(median(clientExec) / raw.exec))x")
print("agent command (true)       Sandbox.runAgentCommand \(format(median(agentExec)))  (timeout -s KILL + bash -c wrapper)")
print("step command               raw \(format(raw.stepCommand))  Sandbox.runAgentCommand \(format(median(agentStepCommand)))")
print("state snapshot             raw \(format(raw.snapshotCommand))  Sandbox.snapshot \(format(median(snapshots)))")
let stepMedian = median(steps)
print("whole step                 synth \(format(stepMedian)) (p90 \(format(percentile(steps, 0.9))))")
print("overhead per step beyond the raw exec of the command:              \(format(stepMedian - raw.stepCommand))  (goal < 5)")
print("overhead per step beyond the raw execs of command + snapshot:      \(format(stepMedian - raw.stepCommand - raw.snapshotCommand))")

// 4. Concurrent episodes: each creates its container, writes the files and
// the baseline, takes `steps` steps, takes the patch and removes it.
print("== concurrent episodes (\(options.steps) steps each) ==")
print("episodes  in flight  wall s  episodes/s  steps/s  step p50 ms  step p90 ms  episode p50 s")
for concurrency in options.concurrency {
    let episodes = max(4, concurrency * 2)
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
    print(String(format: "%8d  %9d  %6.1f  %10.2f  %7.1f  %11.1f  %11.1f  %13.2f", episodes, concurrency, wall,
                 Double(episodes) / wall, Double(stepTimes.count) / wall, median(stepTimes), percentile(stepTimes, 0.9),
                 median(episodeTimes)))
}
