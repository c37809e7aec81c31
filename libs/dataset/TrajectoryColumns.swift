import SynthCommon
import SynthParquet

/// A batch of `TrajectoryTable.schema` rows built column by column, straight from
/// `ExportedTrajectory` values into the arrays `ParquetWriter.write(columns:)` reads: no
/// `ParquetValue` per row, per message or per token. Written, it gives the same file as the
/// same trajectories' `ExportedTrajectory.row` written with `write(row:)`.
public struct TrajectoryColumns: DatasetBatch {
    public private(set) var count = 0
    /// Text and number bytes appended so far (see `append`), so the batch's memory stays bounded.
    public private(set) var estimatedByteCount = 0

    private var trajectoryID = ParquetByteArrayColumnBuilder()
    private var taskID = ParquetByteArrayColumnBuilder()
    private var instanceID = ParquetByteArrayColumnBuilder()
    private var category = ParquetByteArrayColumnBuilder()
    private var difficulty = ParquetByteArrayColumnBuilder()
    private var model = ParquetByteArrayColumnBuilder()
    private var scaffold = ParquetByteArrayColumnBuilder()
    private var seed: [Int64] = []
    private var totalSteps: [Int32] = []
    private var totalTokens: [Int64] = []
    private var totalReward: [Double] = []
    private var verificationPassed: [Bool] = []
    private var resolved: [Bool] = []
    private var finalResultType = ParquetByteArrayColumnBuilder()
    private var finalResultJSON = ParquetByteArrayColumnBuilder()
    private var rewardBreakdown = ParquetByteArrayColumnBuilder()
    private var executionTimeSeconds: [Double] = []
    private var completedAtMillis: [Int64] = []
    private var qualityScore = OptionalValuesBuilder<Double>(placeholder: 0)
    private var diversityScore = OptionalValuesBuilder<Double>(placeholder: 0)
    private var totalCostDollars = OptionalValuesBuilder<Double>(placeholder: 0)
    private var finalPatch = ParquetByteArrayColumnBuilder()
    /// Shared by `messages` and `message_loss_mask`: one mask entry per message.
    private var messageOffsets: [Int32] = [0]
    private var messages = MessageColumns()
    private var lossMask: [Bool] = []
    private var stepOffsets: [Int32] = [0]
    private var steps = StepColumns()
    private var transitions = ParquetByteArrayColumnBuilder()

    public init() {}

    public mutating func append(_ trajectory: ExportedTrajectory) {
        trajectoryID.append(trajectory.trajectoryID)
        taskID.append(trajectory.taskID)
        instanceID.append(optional: trajectory.instanceID)
        category.append(trajectory.category)
        difficulty.append(trajectory.difficulty)
        model.append(trajectory.model)
        scaffold.append(trajectory.scaffold)
        seed.append(trajectory.seed)
        totalSteps.append(trajectory.totalSteps)
        totalTokens.append(trajectory.totalTokens)
        totalReward.append(trajectory.totalReward)
        verificationPassed.append(trajectory.verificationPassed)
        resolved.append(trajectory.resolved)
        finalResultType.append(trajectory.finalResultType)
        finalResultJSON.append(trajectory.finalResultJSON)
        rewardBreakdown.append(optional: trajectory.rewardBreakdown)
        executionTimeSeconds.append(trajectory.executionTimeSeconds)
        completedAtMillis.append(trajectory.completedAtMillis)
        qualityScore.append(trajectory.qualityScore)
        diversityScore.append(trajectory.diversityScore)
        totalCostDollars.append(trajectory.totalCostDollars)
        finalPatch.append(optional: trajectory.finalPatch)
        // Elements are read in place: a for-in loop copies each message and step (a retain and
        // release of every string and array in it).
        trajectory.messages.withUnsafeBufferPointer { messageList in
            for index in messageList.indices {
                messages.append(messageList[index])
                lossMask.append(messageList[index].role == "assistant")
            }
        }
        messageOffsets.append(Int32(lossMask.count))
        var numbers = 0
        trajectory.steps.withUnsafeBufferPointer { stepList in
            for index in stepList.indices {
                steps.append(stepList[index])
                numbers += (stepList[index].promptTokenIDs?.count ?? 0) + (stepList[index].completionTokenIDs?.count ?? 0)
                    + (stepList[index].completionLogprobs?.count ?? 0)
            }
        }
        stepOffsets.append(Int32(steps.count))
        transitions.append(trajectory.transitionsJSON)
        count += 1
        // The messages are also in the transitions' JSON, which the estimate counts twice; token
        // ids and logprobs are not, and can be the bulk of an RL row.
        estimatedByteCount += trajectory.byteEstimate + numbers * 8
    }

    /// One column per field of `TrajectoryTable.schema`, in its order.
    public func columns() -> [ParquetColumn] {
        [
            trajectoryID.column, taskID.column, instanceID.column, category.column, difficulty.column, model.column,
            scaffold.column, .int64s(seed), .int32s(totalSteps), .int64s(totalTokens), .doubles(totalReward),
            .booleans(verificationPassed), .booleans(resolved), finalResultType.column, finalResultJSON.column,
            rewardBreakdown.column, .doubles(executionTimeSeconds), .int64s(completedAtMillis),
            qualityScore.column(ParquetColumn.doubles), diversityScore.column(ParquetColumn.doubles),
            totalCostDollars.column(ParquetColumn.doubles), finalPatch.column,
            .list(offsets: messageOffsets, element: messages.column),
            .list(offsets: messageOffsets, element: .booleans(lossMask)),
            .list(offsets: stepOffsets, element: steps.column),
            transitions.column,
        ]
    }

    /// Empties the batch but keeps every array's memory for the next one (bounded by the
    /// largest batch, `ShardedDatasetWriter.Limits.maxBatchBytes`): refilling fresh arrays cost
    /// a page fault per 4 KiB and a copy per doubling, a tenth of the shard writing's time.
    public mutating func removeAll() {
        count = 0
        estimatedByteCount = 0
        for builder in [\Self.trajectoryID, \.taskID, \.instanceID, \.category, \.difficulty, \.model, \.scaffold,
                        \.finalResultType, \.finalResultJSON, \.rewardBreakdown, \.finalPatch, \.transitions] {
            self[keyPath: builder].removeAll()
        }
        for numbers in [\Self.seed, \.totalTokens, \.completedAtMillis] {
            self[keyPath: numbers].removeAll(keepingCapacity: true)
        }
        for numbers in [\Self.totalReward, \.executionTimeSeconds] {
            self[keyPath: numbers].removeAll(keepingCapacity: true)
        }
        for flags in [\Self.verificationPassed, \.resolved, \.lossMask] {
            self[keyPath: flags].removeAll(keepingCapacity: true)
        }
        totalSteps.removeAll(keepingCapacity: true)
        for scores in [\Self.qualityScore, \.diversityScore, \.totalCostDollars] {
            self[keyPath: scores].removeAll()
        }
        for offsets in [\Self.messageOffsets, \.stepOffsets] {
            self[keyPath: offsets].removeAll(keepingCapacity: true)
            self[keyPath: offsets].append(0)
        }
        messages.removeAll()
        steps.removeAll()
    }
}

/// The element columns of `messages` (`TrajectoryTable.message`).
struct MessageColumns {
    private var role = ParquetByteArrayColumnBuilder()
    private var content = ParquetByteArrayColumnBuilder()
    /// `tool_calls` is a nullable list: offsets into the tool-call columns below.
    private var toolCallOffsets: [Int32] = [0]
    private var toolCallValidity: [Bool]?
    private var toolCallID = ParquetByteArrayColumnBuilder()
    private var toolCallType = ParquetByteArrayColumnBuilder()
    private var functionName = ParquetByteArrayColumnBuilder()
    private var functionArguments = ParquetByteArrayColumnBuilder()
    private var toolCallIDOfReply = ParquetByteArrayColumnBuilder()
    private var name = ParquetByteArrayColumnBuilder()

    var count: Int { role.count }

    mutating func append(_ message: ChatMessage) {
        role.append(message.role)
        content.append(optional: message.content)
        if let calls = message.toolCalls {
            for call in calls {
                toolCallID.append(call.id)
                toolCallType.append(call.type)
                functionName.append(call.function.name)
                functionArguments.append(call.function.arguments)
            }
        } else if toolCallValidity == nil {
            toolCallValidity = Array(repeating: true, count: toolCallOffsets.count - 1)
        }
        toolCallValidity?.append(message.toolCalls != nil)
        toolCallOffsets.append(Int32(toolCallID.count))
        toolCallIDOfReply.append(optional: message.toolCallID)
        name.append(optional: message.name)
    }

    mutating func removeAll() {
        for builder in [\Self.role, \.content, \.toolCallID, \.toolCallType, \.functionName, \.functionArguments,
                        \.toolCallIDOfReply, \.name] {
            self[keyPath: builder].removeAll()
        }
        toolCallOffsets.removeAll(keepingCapacity: true)
        toolCallOffsets.append(0)
        toolCallValidity = nil
    }

    var column: ParquetColumn {
        let calls = toolCallID.count
        let function = ParquetColumn.struct([functionName.column, functionArguments.column], count: calls)
        let toolCall = ParquetColumn.struct([toolCallID.column, toolCallType.column, function], count: calls)
        return .struct([
            role.column, content.column,
            .list(offsets: toolCallOffsets, element: toolCall, validity: toolCallValidity),
            toolCallIDOfReply.column, name.column,
        ], count: count)
    }
}

/// The element columns of `steps` (`TrajectoryTable.step`).
struct StepColumns {
    private var stepNumber: [Int32] = []
    private var actionType = ParquetByteArrayColumnBuilder()
    private var toolName = ParquetByteArrayColumnBuilder()
    private var reward: [Double] = []
    private var done: [Bool] = []
    private var exitCode = OptionalValuesBuilder<Int32>(placeholder: 0)
    private var callID = ParquetByteArrayColumnBuilder()
    private var promptTokens = OptionalValuesBuilder<Int32>(placeholder: 0)
    private var completionTokens = OptionalValuesBuilder<Int32>(placeholder: 0)
    private var costDollars = OptionalValuesBuilder<Double>(placeholder: 0)
    private var promptTokenIDs = OptionalListBuilder<Int64>()
    private var completionTokenIDs = OptionalListBuilder<Int64>()
    private var completionLogprobs = OptionalListBuilder<Double>()

    var count: Int { stepNumber.count }

    mutating func append(_ step: ExportedTrajectory.Step) {
        stepNumber.append(step.stepNumber)
        actionType.append(step.actionType)
        toolName.append(optional: step.toolName)
        reward.append(step.reward)
        done.append(step.done)
        exitCode.append(step.exitCode)
        callID.append(optional: step.callID)
        promptTokens.append(step.promptTokens)
        completionTokens.append(step.completionTokens)
        costDollars.append(step.costDollars)
        promptTokenIDs.append(step.promptTokenIDs)
        completionTokenIDs.append(step.completionTokenIDs)
        completionLogprobs.append(step.completionLogprobs)
    }

    mutating func removeAll() {
        stepNumber.removeAll(keepingCapacity: true)
        reward.removeAll(keepingCapacity: true)
        done.removeAll(keepingCapacity: true)
        for builder in [\Self.actionType, \.toolName, \.callID] {
            self[keyPath: builder].removeAll()
        }
        for numbers in [\Self.exitCode, \.promptTokens, \.completionTokens] {
            self[keyPath: numbers].removeAll()
        }
        costDollars.removeAll()
        for lists in [\Self.promptTokenIDs, \.completionTokenIDs] {
            self[keyPath: lists].removeAll()
        }
        completionLogprobs.removeAll()
    }

    var column: ParquetColumn {
        .struct([
            .int32s(stepNumber), actionType.column, toolName.column, .doubles(reward), .booleans(done),
            exitCode.column(ParquetColumn.int32s), callID.column, promptTokens.column(ParquetColumn.int32s),
            completionTokens.column(ParquetColumn.int32s), costDollars.column(ParquetColumn.doubles),
            promptTokenIDs.column(ParquetColumn.int64s), completionTokenIDs.column(ParquetColumn.int64s),
            completionLogprobs.column(ParquetColumn.doubles),
        ], count: count)
    }
}

extension ParquetByteArrayColumnBuilder {
    mutating func append(optional text: String?) {
        if let text { append(text) } else { appendNull() }
    }
}
