import Foundation
import Logging
import SynthCommon
import SynthSandbox

/// The `external` scaffold (spec 2.3): an agent program installed in the
/// image runs inside the container against the router, reached through
/// `RouterRelay` and `ContainerForwarder`; its trajectory is built from the
/// proxied calls (`ExternalTrajectory`).
enum ExternalAgent {
    static let scaffoldName = "external"
    /// The task's environment variable naming the program (a shell command
    /// run in /workspace); `defaultCommand` when absent.
    static let commandVariable = "SYNTH_AGENT_COMMAND"
    static let defaultCommand = "synth-agent"

    static func isExternal(_ scaffold: String) -> Bool { scaffold.lowercased() == scaffoldName }

    /// The agent program cannot run (no python3 for the forwarder, ...):
    /// the task's fault, not retried.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// What the program finds in its environment. The API key is a
    /// placeholder: the relay, not the agent, talks to the router.
    static func environment(task: TaskDefinition, trajectoryID: String) -> [String: String] {
        ["OPENAI_BASE_URL": "http://127.0.0.1:\(ContainerForwarder.port)/v1", "OPENAI_API_KEY": "synth-relay",
         "OPENAI_MODEL": task.llmModel, "SYNTH_TASK_ID": task.id, "SYNTH_TRAJECTORY_ID": trajectoryID,
         "SYNTH_TASK_INSTRUCTION": task.instruction, "SYNTH_MAX_STEPS": String(task.maxSteps), "SYNTH_WORKSPACE": Sandbox.workspace]
    }
}

/// The relay's socket did not come up: the executor's trouble, retried.
struct RelayUnavailable: Error, CustomStringConvertible {
    var path: String
    var description: String { "the external agent's relay socket \(path) could not be served" }
}

extension EpisodeRunner {
    /// EXECUTE for the external scaffold: relay up, forwarder up, the
    /// program run once (bounded by the task's deadline), then VERIFY as
    /// for any scaffold.
    func externalEpisode(_ task: TaskDefinition, lease: TaskLease, trajectoryID: String, sandbox: Sandbox, relayDirectory: String,
                         started: ContinuousClock.Instant, logger: Logger) async throws -> TaskCompleted {
        let start = try await prepare(task, sandbox: sandbox)
        let command = task.environmentVars[ExternalAgent.commandVariable] ?? ExternalAgent.defaultCommand
        try await publisher.publish(TaskStarted(taskID: task.id, trajectoryID: trajectoryID, workerID: settings.workerID,
                                                attempt: lease.attempt, llmModel: task.llmModel, scaffold: ExternalAgent.scaffoldName,
                                                seed: 0, promptMessages: [ChatMessage(role: "user", content: task.instruction)],
                                                tools: .array([])))
        logger.info("episode_started", metadata: ["image": "\(task.dockerImage)", "attempt": "\(lease.attempt)",
                                                  "scaffold": "\(ExternalAgent.scaffoldName)", "command": "\(command)",
                                                  "container": "\(sandbox.containerID.prefix(12))"])
        let trajectory = ExternalTrajectory(maxCalls: task.maxSteps) { number, stepStarted, action, outcome, done, completion, messages in
            try await emitStep(task: task, trajectoryID: trajectoryID, number: number, sandbox: sandbox, started: stepStarted,
                               action: action, outcome: outcome, done: done, completion: completion, messages: messages)
        }
        let relay = RouterRelay(socketPath: relayDirectory + "/" + RouterRelay.socketName, routerURL: router.baseURL, task: task,
                                trajectoryID: trajectoryID, http: router.http, trajectory: trajectory, logger: logger)
        let (listening, listeningContinuation) = AsyncStream<Void>.makeStream()
        let serving = Task {
            // Also ends the wait below if the relay fails to start.
            defer { listeningContinuation.finish() }
            try await relay.run(ready: { listeningContinuation.finish() })
        }
        defer { serving.cancel() }
        for await _ in listening {}
        guard FileManager.default.fileExists(atPath: relay.socketPath) else {
            throw RelayUnavailable(path: relay.socketPath)
        }

        try await sandbox.writeFiles([ContainerForwarder.scriptName: ContainerForwarder.script], under: ContainerForwarder.directory)
        let forwarder = try await sandbox.run(ContainerForwarder.startCommand, timeoutSeconds: 30, outputLimit: 16 * 1024)
        guard forwarder.exitCode == 0 else {
            throw ExternalAgent.Failure(description: "the external scaffold's forwarder did not start (it needs python3 in the image): "
                                        + forwarder.output)
        }

        let programStarted = ContinuousClock.now
        let output = try await sandbox.runAgentCommand(command, outputLimit: settings.observationLimit,
                                                       environment: ExternalAgent.environment(task: task, trajectoryID: trajectoryID),
                                                       timeoutSeconds: task.timeoutSeconds)
        var outcome = Scaffolds.commandObservation(output, settings: settings)
        let timedOut = output.timedOut && ContinuousClock.now >= sandbox.deadline
        if timedOut { outcome.observation.content += "\n[the task's time limit (\(task.timeoutSeconds) s) is reached]" }
        try await trajectory.programExited(started: programStarted, outcome: outcome, command: command)
        if outcome.containerKilled {
            throw ContainerStopped(description: "the task's container was killed: the agent program's processes survived the kill at its timeout")
        }
        return try await judge(task, trajectoryID: trajectoryID, sandbox: sandbox, start: start, steps: await trajectory.steps,
                               tokens: await trajectory.tokens, timedOut: timedOut, started: started, logger: logger)
    }
}
