import SynthParquet

/// The dataset's columns (docs/DATASET.md). `messages` is the whole conversation in OpenAI chat
/// format, ready for SFT, with `message_loss_mask` marking the assistant turns a trainer learns
/// from; `steps` carries each step's reward and, when the model call returned them, its token ids
/// and logprobs for RL; `transitions` keeps every step as JSON.
///
/// `TrajectoryColumns` builds these columns from `ExportedTrajectory` values; `ExportedTrajectory.row`
/// gives the same data as one row of `ParquetValue`s.
public enum TrajectoryTable {
    public static let toolCall = ParquetType.struct([
        ParquetField(name: "id", type: .string, nullable: false),
        ParquetField(name: "type", type: .string, nullable: false),
        ParquetField(name: "function", type: .struct([
            ParquetField(name: "name", type: .string, nullable: false),
            ParquetField(name: "arguments", type: .string, nullable: false),
        ]), nullable: false),
    ])

    public static let message = ParquetType.struct([
        ParquetField(name: "role", type: .string, nullable: false),
        ParquetField(name: "content", type: .string),
        ParquetField(name: "tool_calls", type: .list(.element(toolCall, nullable: false))),
        ParquetField(name: "tool_call_id", type: .string),
        ParquetField(name: "name", type: .string),
    ])

    public static let step = ParquetType.struct([
        ParquetField(name: "step_number", type: .int32, nullable: false),
        ParquetField(name: "action_type", type: .string, nullable: false),
        ParquetField(name: "tool_name", type: .string),
        ParquetField(name: "reward", type: .double, nullable: false),
        ParquetField(name: "done", type: .boolean, nullable: false),
        ParquetField(name: "exit_code", type: .int32),
        ParquetField(name: "llm_call_id", type: .string),
        ParquetField(name: "prompt_tokens", type: .int32),
        ParquetField(name: "completion_tokens", type: .int32),
        ParquetField(name: "cost_dollars", type: .double),
        ParquetField(name: "prompt_token_ids", type: .list(.element(.int64, nullable: false))),
        ParquetField(name: "completion_token_ids", type: .list(.element(.int64, nullable: false))),
        ParquetField(name: "completion_logprobs", type: .list(.element(.double, nullable: false))),
    ])

    public static let schema = ParquetSchema(fields: [
        ParquetField(name: "trajectory_id", type: .string, nullable: false),
        ParquetField(name: "task_id", type: .string, nullable: false),
        ParquetField(name: "instance_id", type: .string),
        ParquetField(name: "category", type: .string, nullable: false),
        ParquetField(name: "difficulty", type: .string, nullable: false),
        ParquetField(name: "llm_model", type: .string, nullable: false),
        ParquetField(name: "scaffold", type: .string, nullable: false),
        ParquetField(name: "seed", type: .int64, nullable: false),
        ParquetField(name: "total_steps", type: .int32, nullable: false),
        ParquetField(name: "total_tokens", type: .int64, nullable: false),
        ParquetField(name: "total_reward", type: .double, nullable: false),
        ParquetField(name: "verification_passed", type: .boolean, nullable: false),
        ParquetField(name: "resolved", type: .boolean, nullable: false),
        ParquetField(name: "final_result", type: .string, nullable: false),
        ParquetField(name: "final_result_json", type: .string, nullable: false),
        ParquetField(name: "reward_breakdown", type: .string),
        ParquetField(name: "execution_time_seconds", type: .double, nullable: false),
        ParquetField(name: "completed_at", type: .timestampMillis, nullable: false),
        ParquetField(name: "quality_score", type: .double),
        ParquetField(name: "diversity_score", type: .double),
        ParquetField(name: "total_cost_dollars", type: .double),
        ParquetField(name: "final_patch", type: .string),
        ParquetField(name: "messages", type: .list(.element(message, nullable: false)), nullable: false),
        ParquetField(name: "message_loss_mask", type: .list(.element(.boolean, nullable: false)), nullable: false),
        ParquetField(name: "steps", type: .list(.element(step, nullable: false)), nullable: false),
        ParquetField(name: "transitions", type: .string, nullable: false),
    ])
}
