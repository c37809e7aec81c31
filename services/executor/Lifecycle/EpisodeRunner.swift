import Foundation
import Logging
import Metrics
import SynthCommon
import SynthSandbox
import SynthDocker

/// Runs one leased task end to end: CREATE -> START -> EXECUTE (scaffold
/// steps) -> VERIFY -> CLEANUP, emitting TaskStarted, a StepExecuted per step,
/// and TaskCompleted or TaskFailed. The container is removed on every path;
/// what a crash leaves behind, `ContainerReaper` removes.
struct EpisodeRunner: Sendable {
    let docker: DockerClient
    let publisher: EventPublisher
    let router: RouterClient
    let queue: TaskQueue
    let settings: ExecutorSettings
    let sandboxSettings: SandboxSettings
    let logger: Logger
    let activeContainers: ActiveContainers

    struct Cancelled: Error {}

    /// A failure that is not the task's fault (Docker, the router or the
    /// network misbehaved): the worker gives the task back for another try.
    struct InfrastructureFailure: Error, CustomStringConvertible {
        var trajectoryID: String?
        var underlying: any Error
        var description: String { "\(underlying)" }
    }

    /// The task's own container stopped under it (a process escaped every
    /// kill, the main process died): the task's fault, not retried.
    struct ContainerStopped: Error, CustomStringConvertible {
        var description: String
    }

    func run(_ lease: TaskLease) async throws {
        guard let task = lease.task else { return }
        let trajectoryID = UUID().uuidString.lowercased()
        var logger = self.logger
        logger[metadataKey: "task_id"] = "\(task.id)"
        logger[metadataKey: "worker_id"] = "\(settings.workerID)"
        logger[metadataKey: "trajectory_id"] = "\(trajectoryID)"
        let started = ContinuousClock.now

        try await publisher.publish(TaskAssigned(taskID: task.id, workerID: settings.workerID, attempt: lease.attempt))
        let scaffoldName = task.scaffold
        // An external agent reaches the router only through a per-episode
        // socket, bind-mounted in; its directory goes on every path.
        let relayDirectory = ExternalAgent.isExternal(scaffoldName)
            ? settings.relayDirectory + "/" + trajectoryID : nil
        defer { if let relayDirectory { try? FileManager.default.removeItem(atPath: relayDirectory) } }
        let sandbox: Sandbox
        do {
            if let relayDirectory {
                try FileManager.default.createDirectory(atPath: relayDirectory, withIntermediateDirectories: true)
            }
            sandbox = try await Sandbox.create(docker: docker, task: task, trajectoryID: trajectoryID, workerID: settings.workerID,
                                               settings: sandboxSettings, deadline: started + .seconds(task.timeoutSeconds),
                                               commandTimeoutSeconds: task.commandTimeoutSeconds ?? settings.commandTimeoutSeconds,
                                               binds: relayDirectory.map { ["\($0):\(RouterRelay.containerDirectory)"] } ?? [])
        } catch let error as Sandbox.ImageMissing {
            // A missing image will not appear on retry: the task fails now.
            logger.error("container_create_failed", metadata: ["error": "\(error)"])
            try await publisher.publish(TaskFailed(taskID: task.id, trajectoryID: nil, workerID: settings.workerID,
                                                   error: "container could not be created: \(error)", retryable: false, attempt: lease.attempt))
            return
        } catch {
            logger.error("container_create_failed", metadata: ["error": "\(error)"])
            throw InfrastructureFailure(trajectoryID: nil, underlying: error)
        }
        activeContainers.started(sandbox.containerID)
        defer { activeContainers.stopped(sandbox.containerID) }
        let monitor = ContainerMonitor(docker: docker, containerID: sandbox.containerID, usage: activeContainers)
        let sampling = Task { await monitor.sampleWhileRunning() }
        defer { sampling.cancel() }
        do {
            let completed: TaskCompleted
            if let relayDirectory {
                completed = try await externalEpisode(task, lease: lease, trajectoryID: trajectoryID, sandbox: sandbox,
                                                      relayDirectory: relayDirectory, started: started, logger: logger)
            } else {
                let scaffold = try Scaffolds.make(scaffoldName, sandbox: sandbox, settings: settings)
                completed = try await episode(task, lease: lease, trajectoryID: trajectoryID, sandbox: sandbox, scaffold: scaffold,
                                              started: started, logger: logger)
            }
            // Removed before the result goes out: a finished task has no container.
            await sandbox.remove()
            try await publisher.publish(completed)
        } catch {
            // Why the container died, read before it is removed.
            let stopped = await sandbox.stoppedReason()
            await sandbox.remove()
            logger.error("episode_failed", metadata: ["error": "\(error)", "container": "\(stopped ?? "running")"])
            let cancelled = (try? await queue.isCancelled(taskID: task.id)) ?? false
            if error is Cancelled || cancelled {
                try await publisher.publish(TaskFailed(taskID: task.id, trajectoryID: trajectoryID, workerID: settings.workerID,
                                                       error: "cancelled", retryable: false, attempt: lease.attempt))
            } else if Self.isTaskFault(error) {
                try await publisher.publish(TaskFailed(taskID: task.id, trajectoryID: trajectoryID, workerID: settings.workerID,
                                                       error: "\(error)", retryable: false, attempt: lease.attempt))
            } else if let stopped, ContinuousClock.now < started + .seconds(task.timeoutSeconds) {
                // Not the watchdog (cancel and timeout are handled above and
                // by the worker): the task's own processes brought it down.
                try await publisher.publish(TaskFailed(taskID: task.id, trajectoryID: trajectoryID, workerID: settings.workerID,
                                                       error: "the task's container stopped: \(stopped)", retryable: false,
                                                       attempt: lease.attempt))
            } else {
                throw InfrastructureFailure(trajectoryID: trajectoryID, underlying: error)
            }
        }
    }

    /// Cancellation, an unknown scaffold and a router that refuses the
    /// request (4xx: an unknown model, say) are the task's own problem; a
    /// retry would fail the same way.
    static func isTaskFault(_ error: any Error) -> Bool {
        if error is Cancelled || error is Scaffolds.Unknown || error is ContainerStopped || error is ExternalAgent.Failure { return true }
        if let failure = error as? RouterClient.Failure { return (400..<500).contains(failure.status) }
        return false
    }

    private func episode(_ task: TaskDefinition, lease: TaskLease, trajectoryID: String, sandbox: Sandbox, scaffold: any Scaffold,
                         started: ContinuousClock.Instant, logger: Logger) async throws -> TaskCompleted {
        let start = try await prepare(task, sandbox: sandbox)
        var messages = scaffold.prompt(for: task)
        let seed = UInt64.random(in: 0...UInt64(Int64.max))
        try await publisher.publish(TaskStarted(taskID: task.id, trajectoryID: trajectoryID, workerID: settings.workerID,
                                                attempt: lease.attempt, llmModel: task.llmModel, scaffold: scaffold.name,
                                                seed: seed, promptMessages: messages, tools: scaffold.tools))
        logger.info("episode_started", metadata: ["image": "\(task.dockerImage)", "attempt": "\(lease.attempt)", "scaffold": "\(scaffold.name)",
                                                  "container": "\(sandbox.containerID.prefix(12))"])

        let deadline = sandbox.deadline
        var step = 0, tokens = 0, finished = false, timedOut = false
        while step < task.maxSteps && !finished {
            if ContinuousClock.now >= deadline { timedOut = true; break }
            if try await queue.isCancelled(taskID: task.id) { throw Cancelled() }
            let stepStarted = ContinuousClock.now
            let completion = try await router.complete(model: task.llmModel, messages: messages, tools: scaffold.tools,
                                                       taskID: task.id, trajectoryID: trajectoryID)
            tokens += completion.promptTokens + completion.completionTokens
            messages.append(completion.message)
            let calls = completion.message.toolCalls ?? []
            if calls.isEmpty {
                finished = true
                step += 1
                try await emitStep(task: task, trajectoryID: trajectoryID, number: step, sandbox: sandbox, started: stepStarted,
                                   action: Action(actionType: .finish, content: completion.message.content ?? ""),
                                   outcome: ToolOutcome(observation: Observation(content: "")), done: true, completion: completion,
                                   messages: [completion.message])
                break
            }
            for (index, call) in calls.enumerated() {
                let callStarted = index == 0 ? stepStarted : ContinuousClock.now
                var outcome = try await scaffold.execute(call)
                if outcome.observation.error == "timeout" && ContinuousClock.now >= deadline {
                    outcome.observation.content += "\n[the task's time limit (\(task.timeoutSeconds) s) is reached]"
                }
                let toolMessage = ChatMessage(role: "tool", content: outcome.observation.content, toolCallID: call.id, name: call.function.name)
                messages.append(toolMessage)
                step += 1
                let arguments = try? SynthJSON.decode(JSONValue.self, from: Array(call.function.arguments.utf8))
                try await emitStep(task: task, trajectoryID: trajectoryID, number: step, sandbox: sandbox, started: callStarted,
                                   action: Action(actionType: .toolCall, content: call.function.arguments, toolName: call.function.name,
                                                  toolArgs: arguments, reasoning: index == 0 ? completion.message.content : nil),
                                   outcome: outcome, done: outcome.submitted || outcome.containerKilled,
                                   completion: index == 0 ? completion : nil,
                                   messages: index == 0 ? [completion.message, toolMessage] : [toolMessage])
                if outcome.containerKilled {
                    throw ContainerStopped(description: "the task's container was killed: the processes of a \(call.function.name) "
                                           + "call survived the kill at its timeout"
                                           + (outcome.observation.error == "process_limit" ? Self.processLimitReason(sandbox) : ""))
                }
                if outcome.submitted { finished = true; break }
                if ContinuousClock.now >= deadline { break }
            }
        }
        if !finished && ContinuousClock.now >= deadline { timedOut = true }
        return try await judge(task, trajectoryID: trajectoryID, sandbox: sandbox, start: start, steps: step, tokens: tokens,
                               timedOut: timedOut, started: started, logger: logger)
    }

    /// What the agent starts from: the baseline files and, with visible
    /// tests, their hashes.
    struct Start {
        var baselineFiles: [String: String]
        var visibleTestHashes: String?
    }

    /// Writes the task's files and the baseline.
    func prepare(_ task: TaskDefinition, sandbox: Sandbox) async throws -> Start {
        // Visible tests are part of what the agent starts from, so they are
        // in the baseline too (and its patch shows any edit of them).
        var baselineFiles = task.initialFiles
        if !task.antiHardcoding.hideTestsUntilDone {
            for spec in task.verificationTests { baselineFiles.merge(spec.files) { _, test in test } }
        }
        try await sandbox.writeFiles(task.initialFiles)
        try await sandbox.writeBaseline(baselineFiles)
        var visibleTestHashes: String?
        if !task.antiHardcoding.hideTestsUntilDone {
            for spec in task.verificationTests { try await sandbox.writeFiles(spec.files) }
            visibleTestHashes = try await Verifier.visibleHashes(task, sandbox: sandbox)
        }
        return Start(baselineFiles: baselineFiles, visibleTestHashes: visibleTestHashes)
    }

    /// VERIFY: kills what the agent left running, takes the patch, runs the
    /// hidden tests and computes the reward.
    func judge(_ task: TaskDefinition, trajectoryID: String, sandbox: Sandbox, start: Start, steps step: Int, tokens: Int,
               timedOut: Bool, started: ContinuousClock.Instant, logger: Logger) async throws -> TaskCompleted {
        let baselineFiles = start.baselineFiles, visibleTestHashes = start.visibleTestHashes, deadline = sandbox.deadline
        // Nothing the agent started may run on while it is judged.
        await sandbox.killAgentProcesses()
        // Survivors of a fork bomb that fill every process slot leave no room
        // for the judging's execs: say so rather than fail on a side effect.
        if await sandbox.atProcessLimit() {
            throw ContainerStopped(description: "the agent's processes could not be killed" + Self.processLimitReason(sandbox)
                                   + ", so the tests could not run")
        }
        // The agent's patch, taken before the hidden tests are copied in.
        let patch = try await sandbox.patch(initialFiles: baselineFiles)
        let verification = try await Verifier(sandbox: sandbox).run(task, patch: patch, visibleTestHashes: visibleTestHashes,
                                                                    deadline: deadline)
        let signals = RewardSignals(testsPassed: verification.passed.count,
                                    testsTotal: verification.passed.count + verification.failed.count,
                                    compiled: verification.compiled, lintClean: verification.lintClean,
                                    steps: step, estimatedSteps: task.estimatedSteps)
        let calculator = RewardCalculator(weights: task.rewardWeights ?? .standard)
        var (result, breakdown) = calculator.result(for: signals, failingTests: verification.failed)
        if !verification.tampering.isEmpty {
            result = .failure(reason: "tampering: " + verification.tampering.joined(separator: "; "))
            breakdown = calculator.breakdown(for: RewardSignals(testsPassed: 0, testsTotal: max(1, signals.testsTotal), compiled: false,
                                                                lintClean: false, steps: step, estimatedSteps: task.estimatedSteps))
            breakdown.total = 0
        } else if timedOut {
            // Even if the tests pass, an agent that never finished in time timed out.
            result = .timeout
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        logger.info("episode_completed", metadata: ["result": "\(result.typeName)", "reward": "\(breakdown.total)", "steps": "\(step)",
                                                    "tampering": "\(verification.tampering)", "failed_tests": "\(verification.failed.prefix(20))"])
        return TaskCompleted(
            taskID: task.id, trajectoryID: trajectoryID, workerID: settings.workerID, result: result, reward: breakdown,
            signals: signals, verificationPassed: verification.failed.isEmpty && verification.tampering.isEmpty && !timedOut,
            totalSteps: step, totalTokens: tokens, executionTimeSeconds: seconds, finalPatch: patch)
    }

    func emitStep(task: TaskDefinition, trajectoryID: String, number: Int, sandbox: Sandbox, started: ContinuousClock.Instant,
                          action: Action, outcome: ToolOutcome, done: Bool, completion: RouterClient.Completion?,
                          messages: [ChatMessage]) async throws {
        // A killed container has no state to read; the step is still recorded.
        // A bash call brings the state from its own exec; other tools (and a
        // command that did not finish) need an exec to read it.
        let snapshot: Sandbox.Snapshot
        if outcome.containerKilled {
            snapshot = Sandbox.Snapshot(files: [:], diff: "")
        } else if let state = outcome.state {
            snapshot = state
        } else {
            snapshot = try await sandbox.snapshot()
        }
        let duration = ContinuousClock.now - started
        let transition = Transition(
            timestamp: Date(), stepNumber: number,
            state: State(files: snapshot.files, workingDirectory: Sandbox.workspace,
                         processState: ProcessState(lastExitCode: outcome.observation.exitCode),
                         changedFiles: snapshot.changedFiles, diff: snapshot.diff),
            action: action, observation: outcome.observation, reward: 0, done: done,
            info: TransitionInfo(durationMS: Self.milliseconds(duration),
                                 llmLatencyMS: completion?.latencyMS, llmCallID: completion?.callID, promptTokens: completion?.promptTokens,
                                 completionTokens: completion?.completionTokens,
                                 toolDurationMS: action.actionType == .toolCall ? Self.milliseconds(outcome.duration) : nil,
                                 exitCode: outcome.observation.exitCode),
            messages: messages)
        try await publisher.publish(StepExecuted(taskID: task.id, trajectoryID: trajectoryID, transition: transition))
    }

    static func processLimitReason(_ sandbox: Sandbox) -> String {
        ": the container is at its process limit (\(sandbox.pidsLimit) processes), a fork bomb"
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
