import Foundation
import SynthCommon

/// The trajectory of an external agent, built from the calls it makes
/// through `RouterRelay`: each reply's tool calls become tool_call
/// transitions whose observations are the tool results the agent sends back
/// in its next request (what its commands printed); a reply without tool
/// calls becomes a message transition; the program's exit is the last,
/// `done` transition with its own output. A step is emitted when the agent
/// comes back (next request or exit), so its state snapshot shows what the
/// agent's commands did.
actor ExternalTrajectory {
    /// Takes the snapshot and publishes the transition (EpisodeRunner.emitStep).
    typealias Emit = @Sendable (_ number: Int, _ started: ContinuousClock.Instant, _ action: Action, _ outcome: ToolOutcome,
                                _ done: Bool, _ completion: RouterClient.Completion?, _ messages: [ChatMessage]) async throws -> Void

    private struct Exchange {
        var started: ContinuousClock.Instant
        var completion: RouterClient.Completion
    }

    let maxCalls: Int
    private let emit: Emit
    private var pending: Exchange?
    private var requestStarted: ContinuousClock.Instant?
    private(set) var steps = 0
    private(set) var tokens = 0
    private(set) var calls = 0

    init(maxCalls: Int, emit: @escaping Emit) {
        self.maxCalls = maxCalls
        self.emit = emit
    }

    /// Records the steps of the previous reply; returns why the call is
    /// refused (the task's step budget is spent), or nil to relay it.
    func requestArrived(messages: [ChatMessage]) async throws -> String? {
        try await flush(next: messages, exited: false)
        guard calls < maxCalls else { return "the task's step limit (\(maxCalls) model calls) is reached; stop and exit" }
        calls += 1
        requestStarted = .now
        return nil
    }

    func responded(status: Int, body: [UInt8], streamed: Bool, latency: Duration, callID: String?) {
        let started = requestStarted ?? .now
        requestStarted = nil
        guard (200..<300).contains(status) else { return }
        let reply = streamed ? Self.assembleStream(body) : Self.decodeReply(body)
        guard let reply else { return }
        tokens += reply.promptTokens + reply.completionTokens
        pending = Exchange(started: started, completion: RouterClient.Completion(
            message: reply.message, promptTokens: reply.promptTokens, completionTokens: reply.completionTokens,
            latencyMS: Int(latency.components.seconds * 1000 + latency.components.attoseconds / 1_000_000_000_000_000), callID: callID))
    }

    /// The program ended: the last reply's steps, then the exit as the final step.
    func programExited(started: ContinuousClock.Instant, outcome: ToolOutcome, command: String) async throws {
        try await flush(next: nil, exited: true)
        steps += 1
        try await emit(steps, started, Action(actionType: .finish, content: command), outcome, true, nil, [])
    }

    private func flush(next: [ChatMessage]?, exited: Bool) async throws {
        guard let exchange = pending else { return }
        pending = nil
        let message = exchange.completion.message
        let calls = message.toolCalls ?? []
        if calls.isEmpty {
            steps += 1
            try await emit(steps, exchange.started, Action(actionType: .message, content: message.content ?? ""),
                           ToolOutcome(observation: Observation(content: "")), false, exchange.completion, [message])
            return
        }
        for (index, call) in calls.enumerated() {
            let result = next?.last(where: { $0.role == "tool" && $0.toolCallID == call.id })
            let content = result?.content ?? (exited ? "[the agent program ended without reporting this call's result]"
                                                     : "[the agent did not report this call's result]")
            steps += 1
            let arguments = try? SynthJSON.decode(JSONValue.self, from: Array(call.function.arguments.utf8))
            try await emit(steps, index == 0 ? exchange.started : .now,
                           Action(actionType: .toolCall, content: call.function.arguments, toolName: call.function.name,
                                  toolArgs: arguments, reasoning: index == 0 ? message.content : nil),
                           ToolOutcome(observation: Observation(content: content)), false, index == 0 ? exchange.completion : nil,
                           (index == 0 ? [message] : []) + (result.map { [$0] } ?? []))
        }
    }

    struct Reply {
        var message: ChatMessage
        var promptTokens = 0
        var completionTokens = 0
    }

    private struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?
        enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", completionTokens = "completion_tokens" }
    }

    static func decodeReply(_ body: [UInt8]) -> Reply? {
        struct Body: Decodable {
            struct Choice: Decodable { var message: ChatMessage }
            var choices: [Choice]
            var usage: Usage?
        }
        guard let reply = try? SynthJSON.decode(Body.self, from: body), let message = reply.choices.first?.message else { return nil }
        return Reply(message: message, promptTokens: reply.usage?.promptTokens ?? 0, completionTokens: reply.usage?.completionTokens ?? 0)
    }

    /// A streamed reply (server-sent events) put back together: the text
    /// deltas and the tool calls' pieces, by index.
    static func assembleStream(_ body: [UInt8]) -> Reply? {
        struct Chunk: Decodable {
            struct Choice: Decodable {
                struct Delta: Decodable {
                    struct CallDelta: Decodable {
                        struct Function: Decodable { var name: String?; var arguments: String? }
                        var index: Int?
                        var id: String?
                        var function: Function?
                    }
                    var content: String?
                    var toolCalls: [CallDelta]?
                    enum CodingKeys: String, CodingKey { case content, toolCalls = "tool_calls" }
                }
                var delta: Delta?
            }
            var choices: [Choice]?
            var usage: Usage?
        }
        var text = ""
        var calls: [Int: (id: String, name: String, arguments: String)] = [:]
        var reply = Reply(message: ChatMessage(role: "assistant", content: nil))
        var sawChunk = false
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") where line.hasPrefix("data:") {
            let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
            guard payload != "[DONE]", let chunk = try? SynthJSON.decode(Chunk.self, from: Array(payload.utf8)) else { continue }
            sawChunk = true
            if let usage = chunk.usage {
                reply.promptTokens = usage.promptTokens ?? 0
                reply.completionTokens = usage.completionTokens ?? 0
            }
            guard let delta = chunk.choices?.first?.delta else { continue }
            text += delta.content ?? ""
            for piece in delta.toolCalls ?? [] {
                let index = piece.index ?? 0
                var call = calls[index] ?? (id: "", name: "", arguments: "")
                if let id = piece.id { call.id = id }
                call.name += piece.function?.name ?? ""
                call.arguments += piece.function?.arguments ?? ""
                calls[index] = call
            }
        }
        guard sawChunk else { return nil }
        reply.message = ChatMessage(role: "assistant", content: text.isEmpty ? nil : text,
                                    toolCalls: calls.isEmpty ? nil : calls.sorted { $0.key < $1.key }.map {
                                        ToolCall(id: $0.value.id, name: $0.value.name, arguments: $0.value.arguments)
                                    })
        return reply
    }
}
