import Foundation
import Logging
import Metrics
import SynthCommon
import SynthDocker

/// Runs one leased task end to end: CREATE -> START -> EXECUTE (scaffold
/// steps) -> VERIFY -> CLEANUP, emitting TaskStarted, a StepExecuted per step,
/// and TaskCompleted or TaskFailed. The container is removed on every path.
struct EpisodeRunner: Sendable {
    let docker: DockerClient
    let publisher: EventPublisher
    let router: RouterClient
    let queue: TaskQueue
    let settings: ExecutorSettings
    let logger: Logger
    let activeContainers = ActiveContainers()

    struct Cancelled: Error {}

    /// A failure that is not the task's fault (Docker, the router or the
    /// network misbehaved): the worker gives the task back for another try.
    struct InfrastructureFailure: Error, CustomStringConvertible {
        var trajectoryID: String?
        var underlying: any Error
        var description: String { "\(underlying)" }
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
        let sandbox: Sandbox
        do {
            sandbox = try await Sandbox.create(docker: docker, task: task, trajectoryID: trajectoryID, workerID: settings.workerID)
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
        activeContainers.started()
        defer { activeContainers.stopped() }
        do {
            try await episode(task, lease: lease, trajectoryID: trajectoryID, sandbox: sandbox, started: started, logger: logger)
            await sandbox.remove()
        } catch {
            await sandbox.remove()
            logger.error("episode_failed", metadata: ["error": "\(error)"])
            if Self.isTaskFault(error) {
                try await publisher.publish(TaskFailed(taskID: task.id, trajectoryID: trajectoryID, workerID: settings.workerID,
                                                       error: error is Cancelled ? "cancelled" : "\(error)",
                                                       retryable: false, attempt: lease.attempt))
            } else {
                throw InfrastructureFailure(trajectoryID: trajectoryID, underlying: error)
            }
        }
    }

    /// Cancellation and a router that refuses the request (4xx: an unknown
    /// model, say) are the task's own problem; a retry would fail the same way.
    static func isTaskFault(_ error: any Error) -> Bool {
        if error is Cancelled { return true }
        if let failure = error as? RouterClient.Failure { return (400..<500).contains(failure.status) }
        return false
    }

    private func episode(_ task: TaskDefinition, lease: TaskLease, trajectoryID: String, sandbox: Sandbox,
                         started: ContinuousClock.Instant, logger: Logger) async throws {
        try await sandbox.writeFiles(task.initialFiles)
        try await sandbox.writeFiles(task.initialFiles, under: Sandbox.baseline)
        let scaffold = MinimalScaffold(sandbox: sandbox, settings: settings)
        var messages = MinimalScaffold.prompt(for: task)
        let seed = UInt64.random(in: 0...UInt64(Int64.max))
        try await publisher.publish(TaskStarted(taskID: task.id, trajectoryID: trajectoryID, workerID: settings.workerID,
                                                attempt: lease.attempt, llmModel: task.llmModel, scaffold: MinimalScaffold.name,
                                                seed: seed, promptMessages: messages, tools: MinimalScaffold.tools))
        logger.info("episode_started", metadata: ["image": "\(task.dockerImage)", "attempt": "\(lease.attempt)"])

        let deadline = started + .seconds(task.timeoutSeconds)
        var step = 0, tokens = 0, finished = false, timedOut = false
        while step < task.maxSteps && !finished {
            if ContinuousClock.now >= deadline { timedOut = true; break }
            if try await queue.isCancelled(taskID: task.id) { throw Cancelled() }
            let stepStarted = ContinuousClock.now
            let completion = try await router.complete(model: task.llmModel, messages: messages, tools: MinimalScaffold.tools,
                                                       taskID: task.id, trajectoryID: trajectoryID)
            tokens += completion.promptTokens + completion.completionTokens
            messages.append(completion.message)
            let calls = completion.message.toolCalls ?? []
            if calls.isEmpty {
                finished = true
                step += 1
                try await emitStep(task: task, trajectoryID: trajectoryID, number: step, sandbox: sandbox, started: stepStarted,
                                   action: Action(actionType: .finish, content: completion.message.content ?? ""),
                                   observation: Observation(content: ""), done: true, completion: completion,
                                   messages: [completion.message], lastExit: nil)
                break
            }
            for (index, call) in calls.enumerated() {
                let observation = try await scaffold.execute(call)
                let toolMessage = ChatMessage(role: "tool", content: observation.content, toolCallID: call.id, name: call.function.name)
                messages.append(toolMessage)
                step += 1
                let arguments = try? SynthJSON.decode(JSONValue.self, from: Array(call.function.arguments.utf8))
                try await emitStep(task: task, trajectoryID: trajectoryID, number: step, sandbox: sandbox, started: stepStarted,
                                   action: Action(actionType: .toolCall, content: call.function.arguments, toolName: call.function.name,
                                                  toolArgs: arguments, reasoning: index == 0 ? completion.message.content : nil),
                                   observation: observation, done: false, completion: index == 0 ? completion : nil,
                                   messages: index == 0 ? [completion.message, toolMessage] : [toolMessage], lastExit: observation.exitCode)
            }
        }

        // The agent's patch, taken before the hidden tests are copied in.
        let patch = try await sandbox.patch()
        let verification = try await Verifier(sandbox: sandbox).run(task, deadline: deadline)
        let signals = RewardSignals(testsPassed: verification.passed.count, testsTotal: task.verificationTests.count,
                                    compiled: nil, lintClean: nil, steps: step, estimatedSteps: task.estimatedSteps)
        let calculator = RewardCalculator(weights: task.rewardWeights ?? .standard)
        var (result, breakdown) = calculator.result(for: signals, failingTests: verification.failed)
        if timedOut { result = .timeout }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        try await publisher.publish(TaskCompleted(
            taskID: task.id, trajectoryID: trajectoryID, workerID: settings.workerID, result: result, reward: breakdown,
            signals: signals, verificationPassed: verification.failed.isEmpty && !timedOut, totalSteps: step, totalTokens: tokens,
            executionTimeSeconds: seconds, finalPatch: patch))
        logger.info("episode_completed", metadata: ["result": "\(result.typeName)", "reward": "\(breakdown.total)", "steps": "\(step)"])
    }

    private func emitStep(task: TaskDefinition, trajectoryID: String, number: Int, sandbox: Sandbox, started: ContinuousClock.Instant,
                          action: Action, observation: Observation, done: Bool, completion: RouterClient.Completion?,
                          messages: [ChatMessage], lastExit: Int?) async throws {
        let files = try await sandbox.snapshot()
        let duration = ContinuousClock.now - started
        let transition = Transition(
            timestamp: Date(), stepNumber: number,
            state: State(files: files, workingDirectory: Sandbox.workspace, processState: ProcessState(lastExitCode: lastExit)),
            action: action, observation: observation, reward: 0, done: done,
            info: TransitionInfo(durationMS: Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000),
                                 llmLatencyMS: completion?.latencyMS, promptTokens: completion?.promptTokens,
                                 completionTokens: completion?.completionTokens),
            messages: messages)
        try await publisher.publish(StepExecuted(taskID: task.id, trajectoryID: trajectoryID, transition: transition))
    }
}
