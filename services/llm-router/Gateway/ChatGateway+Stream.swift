import Foundation
import Hummingbird
import SynthCommon

extension ChatGateway {
    static let done = ByteBuffer(string: "data: [DONE]\n\n")

    static func sse(_ chunks: [StreamChunk]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for chunk in chunks {
            buffer.writeString("data: ")
            buffer.writeString(chunk.text)
            buffer.writeString("\n\n")
        }
        return buffer
    }

    /// The streamed reply. Upstream chunks are forwarded as they arrive. On a
    /// clean end the call is settled and recorded, then the usage chunk (if
    /// asked for) and `[DONE]` are sent. A stream cut mid-way ends with an
    /// OpenAI error event and no `[DONE]`, which the openai SDK raises as an
    /// APIError: the client never mistakes a cut answer for a complete one.
    func streamReply(_ opened: OpenedStream, deployment: ModelDeployment, trace: CallTrace,
                     reservation: SpendLedger.Reservation?, includeUsage: Bool) -> Reply {
        let overhead = trace.overhead
        let gateway = self
        let body = ResponseBody { writer in
            var trace = trace
            var accumulator = StreamAccumulator()
            for chunk in opened.first { accumulator.add(chunk.json) }
            var failure: String?
            var clientGone = false
            do {
                try await writer.write(Self.sse(opened.first))
            } catch {
                clientGone = true
            }
            if !clientGone {
                do {
                    while let chunks = try await opened.source.next() {
                        guard !chunks.isEmpty else { continue }
                        for chunk in chunks { accumulator.add(chunk.json) }
                        do {
                            try await writer.write(Self.sse(chunks))
                        } catch {
                            clientGone = true
                            break
                        }
                    }
                    if !clientGone, !opened.source.isComplete {
                        failure = "the upstream stream of '\(deployment.name)' ended before it was complete"
                    }
                } catch {
                    failure = Task.isCancelled ? nil : "the upstream stream of '\(deployment.name)' was cut: \(error)"
                    clientGone = clientGone || Task.isCancelled
                }
            }
            var tail: [StreamChunk] = []
            if failure == nil, !clientGone {
                tail = opened.source.finish()
                for chunk in tail { accumulator.add(chunk.json) }
            }
            let knownUsage = accumulator.usage != nil
            let usage = NormalizedUsage(openAIUsage: accumulator.usage)
            // Without the upstream's usage the worst case is charged: a budget is never undercounted.
            let cost = knownUsage ? deployment.cost(usage) : Double(reservation?.nanodollars ?? 0) / 1e9
            if failure != nil { gateway.health.recordFailure(deployment.name) }
            let status = failure != nil ? 502 : clientGone ? 499 : 200
            let error = failure ?? (clientGone ? "the client disconnected before the end of the stream" : nil)
            async let settled: Void = gateway.ledger.settle(reservation, actualDollars: cost)
            trace.upstreamTime = trace.elapsed - overhead  // after the first byte, time is the upstream's
            await gateway.record(trace.record(status: status, response: accumulator.completion, usage: usage, cost: cost, error: error),
                                 usage: usage, cost: cost)
            await settled
            if clientGone { return }
            if let failure {
                let event = OpenAIError.upstream(failure, code: "stream_interrupted")
                try? await writer.write(Self.sse([StreamChunk(event.json)]))
            } else {
                if includeUsage, !tail.isEmpty { try? await writer.write(Self.sse(tail)) }
                try? await writer.write(Self.done)
            }
            try? await writer.finish(nil)
        }
        return .stream(headers: headers(trace, overhead: overhead), body: body)
    }

    /// Streams a complete answer (the oracle's) as OpenAI chunks.
    static func synthesizedStream(_ completion: JSONValue, includeUsage: Bool) -> ResponseBody {
        let id = completion["id"]?.stringValue ?? "chatcmpl-synth"
        let model = completion["model"]?.stringValue ?? ""
        let created = completion["created"]?.intValue ?? Int(Date().timeIntervalSince1970)
        let message = completion["choices"]?.arrayValue?.first?["message"] ?? .null
        var chunks = [StreamChunk(Adapters.chunk(id: id, model: model, created: created, delta: ["role": .string("assistant")]))]
        if let content = message["content"]?.stringValue {
            chunks.append(StreamChunk(Adapters.chunk(id: id, model: model, created: created, delta: ["content": .string(content)])))
        }
        for (index, call) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
            var object = call.objectValue ?? [:]
            object["index"] = .int(index)
            chunks.append(StreamChunk(Adapters.chunk(id: id, model: model, created: created, delta: ["tool_calls": .array([.object(object)])])))
        }
        let finish = completion["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue ?? "stop"
        chunks.append(StreamChunk(Adapters.chunk(id: id, model: model, created: created, delta: [:], finishReason: finish)))
        if includeUsage {
            chunks.append(StreamChunk(Adapters.usageChunk(id: id, model: model, created: created,
                                                          usage: NormalizedUsage(openAIUsage: completion["usage"]))))
        }
        var buffer = sse(chunks)
        buffer.writeString("data: [DONE]\n\n")
        return ResponseBody(byteBuffer: buffer)
    }
}
