import SynthCommon
import SynthPostgres

extension ExportedTrajectory {
    public struct Malformed: Error, CustomStringConvertible {
        public var column: String
        public var description: String { "stored trajectory has no usable '\(column)'" }
    }

    /// Decodes a row of `TrajectoryQuery` (the exporter's query: the trajectory, its task, its
    /// transitions as a JSON array, their call ids and their llm_calls rows).
    public init(row: PostgresRow) throws {
        func text(_ column: String) throws -> String {
            guard let value = row[column] else { throw Malformed(column: column) }
            return value
        }
        let prompt = try SynthJSON.decode([ChatMessage].self, from: Array(try text("prompt_messages").utf8))
        transitionsJSON = try text("transitions")
        let transitionBytes = Array(transitionsJSON.utf8)
        // The byte-level reader, or JSONDecoder for whatever it declines (same errors as before).
        let transitions = try Transition.array(jsonBytes: transitionBytes)
            ?? SynthJSON.decode([Transition].self, from: transitionBytes)
        let callIDs = try SynthJSON.decode([String?].self, from: Array((row["call_ids"] ?? "[]").utf8))
        let callBytes = Array((row["calls"] ?? "[]").utf8)
        let calls = try ModelCallDetail.array(jsonBytes: callBytes) ?? SynthJSON.decode([ModelCallDetail].self, from: callBytes)
        let callsByID = Dictionary(calls.map { ($0.callID, $0) }, uniquingKeysWith: { first, _ in first })
        messages = prompt + transitions.flatMap(\.messages)
        finalResultJSON = try text("final_result")
        let result = try SynthJSON.decode(TaskResult.self, from: Array(finalResultJSON.utf8))
        steps = transitions.enumerated().map { index, transition in
            let callID = index < callIDs.count ? callIDs[index] : nil
            return Step(transition, call: callID.flatMap { callsByID[$0] })
        }
        trajectoryID = try text("trajectory_id")
        taskID = try text("task_id")
        instanceID = row["external_id"]
        category = try text("category")
        difficulty = try text("difficulty")
        model = try text("llm_model")
        scaffold = try text("scaffold")
        seed = Int64(try text("seed")) ?? 0
        totalSteps = Int32(row.int("total_steps") ?? 0)
        totalTokens = Int64(row.int("total_tokens") ?? 0)
        totalReward = row.double("total_reward") ?? 0
        verificationPassed = row.bool("verification_passed") ?? false
        resolved = verificationPassed && result.typeName == "success"
        finalResultType = result.typeName
        rewardBreakdown = row["reward_breakdown"]
        executionTimeSeconds = row.double("execution_time_seconds") ?? 0
        completedAtMillis = Int64(try text("completed_ms")) ?? 0
        qualityScore = row.double("quality_score")
        diversityScore = row.double("diversity_score")
        totalCostDollars = row.double("total_cost_dollars")
        finalPatch = row["final_patch"]
    }
}

extension ExportedTrajectory.Step {
    init(_ transition: Transition, call: ModelCallDetail?) {
        stepNumber = Int32(clamping: transition.stepNumber)
        actionType = transition.action.actionType.rawValue
        toolName = transition.action.toolName
        reward = transition.reward
        done = transition.done
        exitCode = (transition.observation.exitCode ?? transition.info.exitCode).map { Int32(clamping: $0) }
        callID = call?.callID
        promptTokens = (call?.promptTokens ?? transition.info.promptTokens).map { Int32(clamping: $0) }
        completionTokens = (call?.completionTokens ?? transition.info.completionTokens).map { Int32(clamping: $0) }
        costDollars = call?.costDollars
        promptTokenIDs = call?.promptTokenIDs
        completionTokenIDs = call?.completionTokenIDs
        completionLogprobs = call?.completionLogprobs
    }
}
