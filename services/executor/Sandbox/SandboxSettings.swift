import Foundation
import SynthCommon

/// Container settings of the executor, from the environment.
public struct SandboxSettings: Sendable {
    /// Names the stack this executor serves, in every container's labels, so
    /// the reaper of one stack never touches another stack's containers on a
    /// shared Docker daemon. Defaults to the queue's Redis URL: tasks are
    /// "running" only relative to one queue.
    public var stackID: String
    /// Unique per executor process start: a container labelled with this
    /// worker but another process id was left by a crashed predecessor.
    public var processID: String
    /// Bytes an agent command may write (stdout + stderr) before it is
    /// stopped and killed; the observation keeps only `observationLimit`.
    public var outputStopBytes: Int
    /// How often the reaper looks for orphaned containers.
    public var reaperIntervalSeconds: Double
    /// A container younger than this is never reaped (it may be between
    /// create and the lease bookkeeping).
    public var reaperGraceSeconds: Double

    public init(stackID: String, processID: String, outputStopBytes: Int, reaperIntervalSeconds: Double, reaperGraceSeconds: Double) {
        self.stackID = stackID
        self.processID = processID
        self.outputStopBytes = outputStopBytes
        self.reaperIntervalSeconds = reaperIntervalSeconds
        self.reaperGraceSeconds = reaperGraceSeconds
    }

    public static func load(redisURL: String, _ environment: EnvironmentReader = EnvironmentReader()) throws -> SandboxSettings {
        SandboxSettings(
            stackID: environment.string("SYNTH_STACK_ID", default: redisURL),
            processID: UUID().uuidString.lowercased(),
            outputStopBytes: try environment.int("SYNTH_OUTPUT_STOP_BYTES", default: 8 * 1024 * 1024),
            reaperIntervalSeconds: try environment.double("SYNTH_REAPER_INTERVAL_SECONDS", default: 30),
            reaperGraceSeconds: try environment.double("SYNTH_REAPER_GRACE_SECONDS", default: 60))
    }
}
