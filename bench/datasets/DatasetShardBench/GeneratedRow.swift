import Foundation
import SynthCommon
import SynthPostgres
import SynthTesting

let words = ["def", "return", "self", "value", "assert", "import", "fix", "test", "parse", "config", "é", "日本", "✓"]

func sentence(_ count: Int, _ random: inout SplitMix64) -> String {
    (0..<count).map { _ in words[random.below(words.count)] }.joined(separator: " ")
}

func json(_ value: some Encodable) -> String {
    String(decoding: (try? SynthJSON.encode(value)) ?? Array("null".utf8), as: UTF8.self)
}

/// One row as TrajectoryQuery returns it: a coding-agent episode of 1-8 tool-call steps, the
/// steps' transitions as a JSON array, and their model calls, half of them with token ids and
/// logprobs (an RL run) and half without (an API model).
func generatedRow(_ index: Int, _ random: inout SplitMix64) -> PostgresRow {
    let stepCount = 1 + random.below(8)
    let withTokens = random.below(2) == 0
    let prompt = [ChatMessage(role: "system", content: "You are a coding agent. " + sentence(30, &random)),
                  ChatMessage(role: "user", content: "Fix the failing test: " + sentence(60, &random))]
    var transitions: [Transition] = []
    var calls: [[String: JSONValue]] = []
    for number in 0..<stepCount {
        let callID = "llm-\(index)-\(number)"
        let done = number == stepCount - 1
        let call = ToolCall(id: "call_\(number)", name: "bash", arguments: json(["cmd": "pytest -q " + sentence(3, &random)]))
        let output = sentence(20 + random.below(120), &random)
        let messages = [ChatMessage(role: "assistant", content: random.below(3) == 0 ? nil : sentence(25, &random), toolCalls: [call]),
                        ChatMessage(role: "tool", content: output, toolCallID: call.id, name: "bash")]
        transitions.append(Transition(
            timestamp: Date(timeIntervalSince1970: 1_750_000_000 + Double(index)), stepNumber: number,
            state: State(files: ["src/app.py": FileState(sha256: String(repeating: "ab", count: 32), size: 1200 + number)],
                         workingDirectory: "/workspace", processState: ProcessState(lastExitCode: number % 3 == 0 ? 1 : 0),
                         changedFiles: ["src/app.py"], diff: "--- a/src/app.py\n+++ b/src/app.py\n" + sentence(15, &random)),
            action: Action(actionType: done ? .finish : .toolCall, content: call.function.arguments, toolName: done ? nil : "bash"),
            observation: Observation(content: output, exitCode: random.below(3)), reward: done ? 1 : 0, done: done,
            info: TransitionInfo(durationMS: 800 + random.below(4000), llmLatencyMS: 500, llmCallID: callID,
                                 promptTokens: 1500 + 300 * number, completionTokens: 120, toolDurationMS: 300),
            messages: messages))
        var detail: [String: JSONValue] = ["call_id": .string(callID), "prompt_tokens": .number(Double(1500 + 300 * number)),
                                           "completion_tokens": .number(120), "cost_dollars": .number(0.0021)]
        if withTokens {
            detail["prompt_token_ids"] = .array((0..<(64 + random.below(192))).map { _ in .number(Double(random.below(150_000))) })
            let completion = (0..<(16 + random.below(112))).map { _ in random.below(150_000) }
            detail["completion_token_ids"] = .array(completion.map { .number(Double($0)) })
            detail["logprobs"] = .object(["content": .array(completion.map { token in
                .object(["token": .string("t\(token)"), "logprob": .number(-Double(random.below(5000)) / 1000)])
            })])
        }
        calls.append(detail)
    }
    let passed = random.below(3) != 0
    let values: [String: String?] = [
        "trajectory_id": "traj-\(index)", "task_id": "task-\(index)", "external_id": index % 4 == 0 ? nil : "repo__issue-\(index)",
        "category": ["coding", "data", "ops"][random.below(3)], "difficulty": ["easy", "medium", "hard"][random.below(3)],
        "llm_model": withTokens ? "local/qwen-7b" : "gpt-4o", "scaffold": "react", "seed": String(random.below(1_000_000)),
        "total_steps": String(stepCount), "total_tokens": String(stepCount * 1800),
        "total_reward": String(Double(random.below(1001)) / 1000), "verification_passed": passed ? "t" : "f",
        "final_result": passed ? "{\"type\": \"success\", \"reward\": 1.0}" : "{\"type\": \"failure\", \"reason\": \"tests failed\"}",
        "reward_breakdown": "{\"tests\": 0.8, \"lint\": 0.2}", "execution_time_seconds": String(Double(random.below(600_000)) / 1000),
        "final_patch": passed ? "--- a/src/app.py\n+++ b/src/app.py\n" + sentence(40, &random) : nil,
        "prompt_messages": json(prompt), "quality_score": random.below(2) == 0 ? nil : "0.75", "diversity_score": nil,
        "total_cost_dollars": String(0.0021 * Double(stepCount)), "completed_ms": String(1_750_000_000_000 + index * 1000),
        "stored_us": String(1_750_000_000_000_000 + index * 1000), "transitions": json(transitions),
        "call_ids": json(transitions.map(\.info.llmCallID)), "calls": json(calls.map(JSONValue.object)),
    ]
    let columns = values.keys.sorted()
    return PostgresRow(columns: columns, values: columns.map { values[$0]! })
}
