import SynthCommon

/// The labels on every task container: they say who made it and for which
/// task, which is all the reaper and the cancel watchdog go by.
public enum ContainerLabels {
    public static let managed = "synth.managed"
    public static let managedValue = "executor"
    public static let stack = "synth.stack"
    public static let process = "synth.executor_process"
    public static let worker = "synth.worker_id"
    public static let task = "synth.task_id"
    public static let trajectory = "synth.trajectory_id"

    public static func forEpisode(task: TaskDefinition, trajectoryID: String, worker: String, sandbox: SandboxSettings) -> [String: String] {
        [Self.managed: managedValue, Self.stack: sandbox.stackID, Self.process: sandbox.processID, Self.worker: worker,
         Self.task: task.id, Self.trajectory: trajectoryID]
    }

    /// The filter that selects this stack's task containers.
    public static func ofStack(_ stackID: String) -> [String: String] {
        [managed: managedValue, stack: stackID]
    }
}
