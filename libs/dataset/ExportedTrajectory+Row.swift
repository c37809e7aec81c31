import SynthCommon
import SynthParquet

extension ExportedTrajectory {
    /// The trajectory as one `ParquetValue` row of `TrajectoryTable.schema`, for
    /// `ParquetWriter.write(row:)`. The exporter writes `TrajectoryColumns` instead (about twice as
    /// fast, no value tree per row); this form is the reference the column path is checked
    /// against (DatasetServiceTests) and timed against (bench/datasets).
    public var row: [ParquetValue] {
        [
            .string(trajectoryID), .string(taskID), instanceID.map(ParquetValue.string) ?? .null,
            .string(category), .string(difficulty), .string(model), .string(scaffold),
            .int64(seed), .int32(totalSteps), .int64(totalTokens),
            .double(totalReward), .bool(verificationPassed), .bool(resolved), .string(finalResultType),
            .string(finalResultJSON),
            rewardBreakdown.map(ParquetValue.string) ?? .null, .double(executionTimeSeconds),
            .timestampMillis(completedAtMillis),
            qualityScore.map(ParquetValue.double) ?? .null,
            diversityScore.map(ParquetValue.double) ?? .null,
            totalCostDollars.map(ParquetValue.double) ?? .null,
            finalPatch.map(ParquetValue.string) ?? .null,
            .list(messages.map(Self.value(of:))), .list(messages.map { .bool($0.role == "assistant") }),
            .list(steps.map(\.value)), .string(transitionsJSON),
        ]
    }

    static func value(of message: ChatMessage) -> ParquetValue {
        .struct([
            .string(message.role),
            message.content.map(ParquetValue.string) ?? .null,
            message.toolCalls.map { calls in
                .list(calls.map { .struct([.string($0.id), .string($0.type), .struct([.string($0.function.name), .string($0.function.arguments)])]) })
            } ?? .null,
            message.toolCallID.map(ParquetValue.string) ?? .null,
            message.name.map(ParquetValue.string) ?? .null,
        ])
    }
}

extension ExportedTrajectory.Step {
    var value: ParquetValue {
        .struct([
            .int32(stepNumber), .string(actionType), toolName.map(ParquetValue.string) ?? .null, .double(reward), .bool(done),
            exitCode.map(ParquetValue.int32) ?? .null, callID.map(ParquetValue.string) ?? .null,
            promptTokens.map(ParquetValue.int32) ?? .null, completionTokens.map(ParquetValue.int32) ?? .null,
            costDollars.map(ParquetValue.double) ?? .null,
            promptTokenIDs.map { .list($0.map(ParquetValue.int64)) } ?? .null,
            completionTokenIDs.map { .list($0.map(ParquetValue.int64)) } ?? .null,
            completionLogprobs.map { .list($0.map(ParquetValue.double)) } ?? .null,
        ])
    }
}
