import Foundation
import SynthCommon
import SynthTesting
@testable import SynthDataset

/// Trajectories for checking the exporter's column path against its row path: deterministic,
/// and covering what the stored data can hold — nulls in every nullable field, empty
/// conversations and step lists, tool calls present, absent and empty, unicode, texts longer
/// than a page, and steps with and without token ids and logprobs.
enum TrajectoryFixture {
    /// Seeded, so a failure can be replayed.
    typealias Random = SplitMix64

    static let words = ["def", "return", "fix", "test", "é", "日本語", "✓", "🙂", "Ω", "na\u{308}ive", "\t", "\"quoted\"", "\\", ""]

    static func text(_ random: inout Random, words count: Int) -> String {
        (0..<count).map { _ in words[random.below(words.count)] }.joined(separator: " ")
    }

    static func generate(count: Int, seed: UInt64) -> [ExportedTrajectory] {
        var random = Random(seed: seed)
        return (0..<count).map { index in trajectory(index, &random) }
    }

    static func trajectory(_ index: Int, _ random: inout Random) -> ExportedTrajectory {
        // Every 97th row carries a text of over 1 MiB: longer than a page and than the
        // statistics limit, so pages are cut and min/max left out on both paths alike.
        let huge = index % 97 == 5 ? String(repeating: "x日", count: 400_000) : nil
        let messageCount = index % 11 == 0 ? 0 : random.below(9)
        let messages = (0..<messageCount).map { _ in message(&random) }
        let stepCount = index % 13 == 0 ? 0 : random.below(6)
        let steps = (0..<stepCount).map { number in step(number, &random) }
        let passed = random.chance(50)
        let type = ["success", "partial_success", "failure", "timeout", "error"][random.below(5)]
        return ExportedTrajectory(
            trajectoryID: "traj-\(index)-\(text(&random, words: 1))", taskID: "task-\(index / 2)",
            instanceID: random.chance(30) ? nil : "repo__issue-\(index)",
            category: ["coding", "data", "ops", "日本語"][random.below(4)], difficulty: ["easy", "medium", "hard"][random.below(3)],
            model: ["gpt-4o", "claude", "local/qwen"][random.below(3)], scaffold: "react",
            seed: Int64(bitPattern: random.next()), totalSteps: Int32(stepCount), totalTokens: Int64(random.below(100_000)),
            totalReward: Double(random.below(1001)) / 1000, verificationPassed: passed, resolved: passed && type == "success",
            finalResultType: type, finalResultJSON: "{\"type\":\"\(type)\"}",
            rewardBreakdown: random.chance(40) ? nil : "{\"tests\":\(random.below(10))}",
            executionTimeSeconds: Double(random.below(100_000)) / 7,
            completedAtMillis: 1_700_000_000_000 + Int64(random.below(1_000_000_000)),
            qualityScore: random.chance(50) ? nil : Double(random.below(100)) / 100,
            diversityScore: random.chance(70) ? nil : Double(random.below(100)) / 100,
            totalCostDollars: random.chance(20) ? nil : Double(random.below(10_000)) / 1e5,
            finalPatch: huge ?? (random.chance(30) ? nil : "--- a/x.py\n+++ b/x.py\n" + text(&random, words: random.below(200))),
            messages: messages, steps: steps,
            transitionsJSON: "[" + String(repeating: "{\"step\":1,\"note\":\"\(text(&random, words: 5))\"},", count: stepCount) + "{}]")
    }

    static func message(_ random: inout Random) -> ChatMessage {
        let role = ["system", "user", "assistant", "tool"][random.below(4)]
        let calls: [ToolCall]? = switch random.below(4) {
        case 0: []
        case 1: (0..<(1 + random.below(3))).map { ToolCall(id: "call_\($0)", name: "bash", arguments: "{\"cmd\":\"\(text(&random, words: 3))\"}") }
        default: nil
        }
        return ChatMessage(role: role, content: random.chance(20) ? nil : text(&random, words: random.below(40)),
                           toolCalls: calls, toolCallID: role == "tool" ? "call_0" : nil, name: random.chance(90) ? nil : "bash")
    }

    static func step(_ number: Int, _ random: inout Random) -> ExportedTrajectory.Step {
        // Token ids and logprobs: absent (most providers), empty, or present.
        func numbers<Value>(_ make: (inout Random) -> Value) -> [Value]? {
            switch random.below(4) {
            case 0: return []
            case 1: return (0..<random.below(300)).map { _ in make(&random) }
            default: return nil
            }
        }
        let hasCall = random.chance(60)
        return ExportedTrajectory.Step(
            stepNumber: Int32(number), actionType: ["tool_call", "message", "finish"][random.below(3)],
            toolName: random.chance(50) ? nil : "bash", reward: Double(random.below(100)) / 100, done: random.chance(20),
            exitCode: random.chance(50) ? nil : Int32(random.below(3)), callID: hasCall ? "llm-\(random.below(1000))" : nil,
            promptTokens: hasCall ? Int32(random.below(5000)) : nil, completionTokens: hasCall ? Int32(random.below(500)) : nil,
            costDollars: hasCall && random.chance(80) ? Double(random.below(1000)) / 1e6 : nil,
            promptTokenIDs: hasCall ? numbers { Int64($0.below(150_000)) } : nil,
            completionTokenIDs: hasCall ? numbers { Int64($0.below(150_000)) } : nil,
            completionLogprobs: hasCall ? numbers { -Double($0.below(10_000)) / 1000 } : nil)
    }
}
