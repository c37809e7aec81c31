/// The Kafka topics of ARCHITECTURE.md.
public enum Topic: String, Sendable, CaseIterable {
    case tasks = "synth.tasks"
    case steps = "synth.steps"
    case llmCalls = "synth.llm-calls"
    case workers = "synth.workers"
    case trajectories = "synth.trajectories"
    case exports = "synth.exports"
    case system = "synth.system"
}
