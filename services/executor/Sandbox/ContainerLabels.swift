import SynthCommon

/// The labels on every task container: they say who made it and for which
/// task, which is all the reaper and the cancel watchdog go by.
enum ContainerLabels {
    static let managed = "synth.managed"
    static let managedValue = "executor"
    static let stack = "synth.stack"
    static let process = "synth.executor_process"
    static let worker = "synth.worker_id"
    static let task = "synth.task_id"
    static let trajectory = "synth.trajectory_id"

    static func forEpisode(task: TaskDefinition, trajectoryID: String, worker: String, sandbox: SandboxSettings) -> [String: String] {
        [Self.managed: managedValue, Self.stack: sandbox.stackID, Self.process: sandbox.processID, Self.worker: worker,
         Self.task: task.id, Self.trajectory: trajectoryID]
    }

    /// The filter that selects this stack's task containers.
    static func ofStack(_ stackID: String) -> [String: String] {
        [managed: managedValue, stack: stackID]
    }
}
