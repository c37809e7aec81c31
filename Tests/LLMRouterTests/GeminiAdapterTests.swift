import Foundation
import SynthCommon
import Testing
@testable import synth_llm_router

@Suite struct GeminiAdapterTests {
    let adapter = GeminiAdapter()

    func deployment(base: String = "https://generativelanguage.googleapis.com") throws -> ModelDeployment {
        setenv("SYNTH_TEST_ROUTER_GEMINI_KEY", "g-test", 1)
        return try RouterFixtures.deployment("""
            {"name": "gemini", "provider": "gemini", "base_url": "\(base)", "upstream_model": "gemini-1.5-pro",
             "api_key_env": "SYNTH_TEST_ROUTER_GEMINI_KEY"}
            """)
    }

    static let conversation = """
        {"model": "gemini", "temperature": 0.1, "top_p": 0.9, "max_completion_tokens": 256, "n": 1, "seed": 7,
         "stop": ["END", "STOP"], "response_format": {"type": "json_object"},
         "messages": [
           {"role": "system", "content": "You fix bugs."},
           {"role": "user", "content": "Weather?"},
           {"role": "assistant", "content": null, "tool_calls": [
              {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Oslo\\"}"}}]},
           {"role": "tool", "tool_call_id": "call_1", "content": "{\\"temp\\": 3}"},
           {"role": "tool", "tool_call_id": "call_unknown", "name": "fallback_name", "content": "plain text"},
           {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,/9j/"}},
                                        {"type": "image_url", "image_url": {"url": "gs://bucket/cat.png"}}]}],
         "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather by city",
                    "parameters": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "additionalProperties": false,
                                   "properties": {"city": {"type": "string", "examples": ["Oslo"]},
                                                  "additionalProperties": {"type": "boolean"}}}}}],
         "tool_choice": "required"}
        """

    @Test func translatesAConversationWithFunctionCalls() throws {
        let http = try adapter.makeRequest(try RouterFixtures.object(Self.conversation), deployment: try deployment(), stream: false,
                                           timeout: .seconds(3))
        #expect(http.url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-1.5-pro:generateContent")
        #expect(http.headers["x-goog-api-key"] == "g-test")
        let body = try RouterFixtures.body(of: http)
        #expect(body["systemInstruction"]?["parts"]?.arrayValue?.first?["text"]?.stringValue == "You fix bugs.")
        let contents = try #require(body["contents"]?.arrayValue)
        // user, model (the call), then both function responses and the next user turn merged.
        #expect(contents.map { $0["role"]?.stringValue } == ["user", "model", "user"])
        let call = try #require(contents[1]["parts"]?.arrayValue?.first?["functionCall"])
        #expect(call["name"]?.stringValue == "get_weather")
        #expect(call["args"] == .object(["city": .string("Oslo")]))
        let parts = try #require(contents[2]["parts"]?.arrayValue)
        #expect(parts.count == 4)
        // Gemini names the function in its response; OpenAI's tool message has only the call id.
        #expect(parts[0]["functionResponse"]?["name"]?.stringValue == "get_weather")
        #expect(parts[0]["functionResponse"]?["response"] == .object(["temp": .number(3)]))
        #expect(parts[1]["functionResponse"]?["name"]?.stringValue == "fallback_name")
        // A response must be an object: plain text is wrapped.
        #expect(parts[1]["functionResponse"]?["response"] == .object(["content": .string("plain text")]))
        #expect(parts[2]["inlineData"]?["mimeType"]?.stringValue == "image/jpeg")
        #expect(parts[2]["inlineData"]?["data"]?.stringValue == "/9j/")
        #expect(parts[3]["fileData"]?["fileUri"]?.stringValue == "gs://bucket/cat.png")

        let generation = try #require(body["generationConfig"])
        #expect(generation["temperature"]?.doubleValue == 0.1)
        #expect(generation["topP"]?.doubleValue == 0.9)
        #expect(generation["maxOutputTokens"]?.intValue == 256)
        #expect(generation["candidateCount"]?.intValue == 1)
        #expect(generation["seed"]?.intValue == 7)
        #expect(generation["stopSequences"] == .array([.string("END"), .string("STOP")]))
        #expect(generation["responseMimeType"]?.stringValue == "application/json")

        let declaration = try #require(body["tools"]?.arrayValue?.first?["functionDeclarations"]?.arrayValue?.first)
        #expect(declaration["name"]?.stringValue == "get_weather")
        #expect(declaration["description"]?.stringValue == "Weather by city")
        let schema = try #require(declaration["parameters"])
        // Keywords outside Gemini's schema subset are dropped, at every level...
        #expect(schema["$schema"] == nil)
        #expect(schema["additionalProperties"] == nil)
        #expect(schema["properties"]?["city"] == .object(["type": .string("string")]))
        // ...but a property that happens to be called like one is kept.
        #expect(schema["properties"]?["additionalProperties"]?["type"]?.stringValue == "boolean")
        #expect(body["toolConfig"]?["functionCallingConfig"]?["mode"]?.stringValue == "ANY")
    }

    @Test func namedToolChoiceAndStreamURL() throws {
        let request = try RouterFixtures.object("""
            {"messages": [{"role": "user", "content": "x"}], "tool_choice": {"type": "function", "function": {"name": "f"}}}
            """)
        let http = try adapter.makeRequest(request, deployment: try deployment(base: "http://127.0.0.1:9/v1beta/"), stream: true,
                                           timeout: .seconds(1))
        #expect(http.url == "http://127.0.0.1:9/v1beta/models/gemini-1.5-pro:streamGenerateContent?alt=sse")
        let config = try RouterFixtures.body(of: http)["toolConfig"]?["functionCallingConfig"]
        #expect(config?["mode"]?.stringValue == "ANY")
        #expect(config?["allowedFunctionNames"] == .array([.string("f")]))
        #expect(try RouterFixtures.body(of: http)["generationConfig"] == nil)
    }

    @Test(arguments: [("STOP", false, "stop"), ("STOP", true, "tool_calls"), ("MAX_TOKENS", false, "length"),
                      ("SAFETY", false, "content_filter"), ("RECITATION", false, "content_filter"),
                      ("PROHIBITED_CONTENT", false, "content_filter"), ("MALFORMED_FUNCTION_CALL", true, "stop"), ("OTHER", false, "stop")])
    func finishReasons(gemini: String, hasToolCalls: Bool, openAI: String) {
        #expect(GeminiAdapter.finishReason(gemini, hasToolCalls: hasToolCalls) == openAI)
    }

    @Test func unspecifiedFinishIsNoFinish() {
        #expect(GeminiAdapter.finishReason(nil, hasToolCalls: false) == nil)
        #expect(GeminiAdapter.finishReason("FINISH_REASON_UNSPECIFIED", hasToolCalls: true) == nil)
    }

    @Test func usageMetadataCountsThoughtsAsCompletion() throws {
        let usage = GeminiAdapter.usage(try RouterFixtures.json("""
            {"promptTokenCount": 900, "cachedContentTokenCount": 600, "candidatesTokenCount": 40, "thoughtsTokenCount": 200,
             "totalTokenCount": 1140}
            """))
        #expect(usage.promptTokens == 900)
        #expect(usage.cachedTokens == 600)
        #expect(usage.reasoningTokens == 200)
        #expect(usage.completionTokens == 240)
        #expect(usage.totalTokens == 1140)
    }

    @Test func translatesAResponseWithThoughtsAndCalls() throws {
        let reply = try RouterFixtures.json("""
            {"responseId": "r-1", "modelVersion": "gemini-1.5-pro-002",
             "candidates": [{"content": {"role": "model", "parts": [
                 {"text": "Planning.", "thought": true},
                 {"functionCall": {"name": "get_weather", "args": {"city": "Oslo"}}},
                 {"functionCall": {"id": "own-id", "name": "get_time", "args": {}}}]},
               "finishReason": "STOP"}],
             "usageMetadata": {"promptTokenCount": 12, "candidatesTokenCount": 8}}
            """)
        let completion = try adapter.translateResponse(reply, deployment: try deployment())
        #expect(completion["id"]?.stringValue == "r-1")
        #expect(completion["model"]?.stringValue == "gemini-1.5-pro-002")
        let choice = try #require(completion["choices"]?.arrayValue?.first)
        #expect(choice["finish_reason"]?.stringValue == "tool_calls")
        let message = try #require(choice["message"])
        #expect(message["content"] == .null)
        #expect(message["reasoning_content"]?.stringValue == "Planning.")
        let calls = try #require(message["tool_calls"]?.arrayValue)
        #expect(calls.count == 2)
        #expect(calls[0]["id"]?.stringValue?.hasPrefix("call_") == true)
        #expect(calls[1]["id"]?.stringValue == "own-id")
        // A whole message's tool calls carry no stream index.
        #expect(calls[0]["index"] == nil)
        #expect(try RouterFixtures.json(calls[0]["function"]?["arguments"]?.stringValue ?? "") == .object(["city": .string("Oslo")]))
        #expect(NormalizedUsage(openAIUsage: completion["usage"]).totalTokens == 20)
    }

    @Test func aBlockedPromptIsAContentFilterFinish() throws {
        let reply = try RouterFixtures.json(#"{"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 5}}"#)
        let choice = try adapter.translateResponse(reply, deployment: try deployment())["choices"]?.arrayValue?.first
        #expect(choice?["finish_reason"]?.stringValue == "content_filter")
        #expect(choice?["message"]?["refusal"]?.stringValue?.contains("SAFETY") == true)
        #expect(throws: AdapterError.self) { try adapter.translateResponse(try RouterFixtures.json(#"{"usageMetadata": {}}"#), deployment: try deployment()) }
    }

    @Test func errorMessagesFromAnObjectOrAnArray() throws {
        #expect(adapter.errorMessage(try RouterFixtures.json(#"{"error": {"code": 429, "message": "quota"}}"#)) == "quota")
        #expect(adapter.errorMessage(try RouterFixtures.json(#"[{"error": {"message": "in a list"}}]"#)) == "in a list")
    }

    @Test func translatesTheEventStream() throws {
        var translator = adapter.makeStreamTranslator(deployment: try deployment(), includeUsage: true)
        let events = [
            #"{"candidates": [{"content": {"role": "model", "parts": [{"text": "Hel"}]}}]}"#,
            #"{"candidates": [{"content": {"role": "model", "parts": [{"text": "lo"}, {"functionCall": {"name": "a", "args": {"x": 1}}}]}}]}"#,
            #"{"candidates": [{"content": {"role": "model", "parts": [{"functionCall": {"name": "b", "args": {}}}]}, "finishReason": "STOP"}], "usageMetadata": {"promptTokenCount": 4, "candidatesTokenCount": 6, "thoughtsTokenCount": 2}}"#,
        ]
        var accumulator = StreamAccumulator()
        var chunks: [StreamChunk] = []
        for event in events {
            #expect(!translator.isComplete)
            let out = try translator.translate(RouterFixtures.event(event))
            chunks += out
            out.forEach { accumulator.add($0.json) }
        }
        #expect(translator.isComplete)
        #expect(chunks.count == 3)
        #expect(Set(chunks.compactMap { $0.json["id"]?.stringValue }).count == 1)
        let deltas = chunks.map { $0.json["choices"]?.arrayValue?.first?["delta"] ?? .null }
        #expect(deltas.map { $0["role"]?.stringValue } == ["assistant", nil, nil])
        // Tool call indices run on across events.
        #expect(deltas[1]["tool_calls"]?.arrayValue?.first?["index"]?.intValue == 0)
        #expect(deltas[2]["tool_calls"]?.arrayValue?.first?["index"]?.intValue == 1)
        #expect(accumulator.content == "Hello")
        #expect(accumulator.toolCalls.count == 2)
        #expect(accumulator.toolCalls[1]?.name == "b")
        #expect(accumulator.finishReason == "tool_calls")
        let usage = NormalizedUsage(openAIUsage: translator.finish().first?.json["usage"])
        #expect(usage.promptTokens == 4)
        #expect(usage.completionTokens == 8)
        #expect(usage.reasoningTokens == 2)
    }

    @Test func aStreamWithoutFinishReasonIsNotComplete() throws {
        var translator = adapter.makeStreamTranslator(deployment: try deployment(), includeUsage: false)
        _ = try translator.translate(RouterFixtures.event(#"{"candidates": [{"content": {"parts": [{"text": "cut"}]}}]}"#))
        #expect(!translator.isComplete)
        // An event with nothing to say sends nothing.
        #expect(try translator.translate(RouterFixtures.event(#"{"candidates": [{"content": {"parts": []}}]}"#)).isEmpty)
        #expect {
            try translator.translate(RouterFixtures.event(#"{"error": {"code": 500, "message": "internal"}}"#))
        } throws: { error in
            guard case AdapterError.upstreamStreamError(let message) = error else { return false }
            return message == "internal"
        }
    }
}
