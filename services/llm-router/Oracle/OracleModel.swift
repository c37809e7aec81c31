import Foundation
import SynthCommon
import SynthRedis

/// The oracle "model": it replays a task's reference solution as tool calls,
/// one per assistant turn, then says it is done. This is how a task author
/// proves a task is solvable and its hidden tests are right (as SWE-bench
/// validates gold patches), and how the platform runs with no API key. It
/// reads the task from the scheduler's queue entry, keyed by the task id the
/// caller sends in X-Synth-Task-ID.
struct OracleModel: Sendable {
    let redis: RedisClient

    enum Failure: Error {
        case missingTaskHeader
        case unknownTask(String)
        case noReferenceSolution(String)
    }

    func complete(messages: [JSONValue], taskID: String?) async throws -> ChatMessage {
        guard let taskID, !taskID.isEmpty else { throw Failure.missingTaskHeader }
        guard let body = try await redis.command("HGET", QueueKeys.body, taskID).string else { throw Failure.unknownTask(taskID) }
        let task = try SynthJSON.decode(TaskDefinition.self, from: Array(body.utf8))
        guard let solution = task.referenceSolution, !solution.isEmpty else { throw Failure.noReferenceSolution(taskID) }
        let turn = messages.filter { $0["role"]?.stringValue == "assistant" }.count
        guard turn < solution.count else {
            return ChatMessage(role: "assistant", content: "The reference solution has been applied (\(solution.count) tool calls). Done.")
        }
        let call = solution[turn]
        let arguments = JSONValue.object(call.arguments).jsonText
        return ChatMessage(role: "assistant", content: nil,
                           toolCalls: [ToolCall(id: "call_oracle_\(turn)", name: call.tool, arguments: arguments)])
    }
}
