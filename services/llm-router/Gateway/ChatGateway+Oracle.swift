import SynthCommon

extension ChatGateway {
    /// The oracle answers in-process: no upstream, no cost.
    func answerWithOracle(_ request: [String: JSONValue], bodyBytes: Int, trace: CallTrace, includeUsage: Bool) async -> Reply {
        let messages = request["messages"]?.arrayValue ?? []
        let message: ChatMessage
        do {
            message = try await oracle.complete(messages: messages, taskID: trace.context.taskID)
        } catch {
            return await fail(.invalidRequest("oracle: \(error)", param: "model"), trace: trace)
        }
        let prompt = (bodyBytes + 3) / 4
        let completion = Self.estimatedTokens((try? SynthJSON.encode(message)) ?? [])
        let response = ChatCompletionResponse(model: RouterConfig.oracleName, message: message, promptTokens: prompt, completionTokens: completion)
        guard let body = try? SynthJSON.encode(response), let json = try? SynthJSON.decode(JSONValue.self, from: body) else {
            return await fail(.upstream("oracle: the answer could not be encoded", status: 500, code: "internal_error"), trace: trace)
        }
        var usage = NormalizedUsage()
        usage.promptTokens = prompt
        usage.completionTokens = completion
        await record(trace.record(status: 200, response: json, usage: usage, cost: 0, error: nil), usage: usage, cost: 0)
        if trace.stream {
            return .stream(headers: headers(trace, overhead: trace.overhead), body: Self.synthesizedStream(json, includeUsage: includeUsage))
        }
        return .complete(status: 200, body: body, headers: headers(trace, overhead: trace.overhead))
    }

    /// The oracle is not a tokenizer-backed model: its usage is estimated as
    /// one token per four bytes, which keeps cost and length metrics sane.
    static func estimatedTokens(_ bytes: [UInt8]) -> Int { (bytes.count + 3) / 4 }
}
