import Foundation
import SynthCommon
import Testing
@testable import synth_llm_router

@Suite struct OpenAIAdapterTests {
    let adapter = OpenAIAdapter()

    func deployment() throws -> ModelDeployment {
        setenv("SYNTH_TEST_ROUTER_OPENAI_KEY", "sk-test-openai", 1)
        return try RouterFixtures.deployment("""
            {"name": "local", "provider": "vllm", "base_url": "http://127.0.0.1:8000/v1/", "upstream_model": "Qwen/Qwen2.5-7B",
             "api_key_env": "SYNTH_TEST_ROUTER_OPENAI_KEY", "extra_body": {"return_token_ids": true, "temperature": 1.0}}
            """)
    }

    @Test func requestPassesThroughWithTheUpstreamModelAndExtraBody() throws {
        let request = try RouterFixtures.object("""
            {"model": "local", "messages": [{"role": "user", "content": "hi"}], "temperature": 0.2,
             "tools": [{"type": "function", "function": {"name": "run"}}]}
            """)
        let http = try adapter.makeRequest(request, deployment: try deployment(), stream: false, timeout: .seconds(5))
        #expect(http.url == "http://127.0.0.1:8000/v1/chat/completions")
        #expect(http.method == .post)
        #expect(http.headers["Authorization"] == "Bearer sk-test-openai")
        #expect(http.headers["Accept"] == nil)
        #expect(http.timeout == .seconds(5))
        let body = try RouterFixtures.body(of: http)
        #expect(body["model"]?.stringValue == "Qwen/Qwen2.5-7B")
        #expect(body["return_token_ids"] == .bool(true))
        // extra_body never overrides what the caller set.
        #expect(body["temperature"]?.doubleValue == 0.2)
        #expect(body["tools"] == request["tools"])
        #expect(body["messages"] == request["messages"])
        #expect(body["stream_options"] == nil)
    }

    @Test func streamsAlwaysAskForUsageAndKeepOtherOptions() throws {
        let request = try RouterFixtures.object(#"{"model": "x", "messages": [], "stream": true, "stream_options": {"other": 1}}"#)
        let http = try adapter.makeRequest(request, deployment: try deployment(), stream: true, timeout: .seconds(5))
        #expect(http.headers["Accept"] == "text/event-stream")
        let options = try RouterFixtures.body(of: http)["stream_options"]
        #expect(options?["include_usage"] == .bool(true))
        #expect(options?["other"]?.intValue == 1)
    }

    @Test func noKeyNoAuthorizationHeader() throws {
        let open = try RouterFixtures.deployment(#"{"name": "o", "provider": "ollama", "base_url": "http://h/v1", "api_key_env": "SYNTH_TEST_UNSET_KEY"}"#)
        let http = try adapter.makeRequest(["messages": .array([])], deployment: open, stream: false, timeout: .seconds(1))
        #expect(http.headers["Authorization"] == nil)
        #expect(try RouterFixtures.body(of: http)["model"]?.stringValue == "o")
    }

    @Test func responsesNeedChoices() throws {
        let reply = try RouterFixtures.json(#"{"id": "c", "choices": [{"message": {"content": "x"}}]}"#)
        #expect(try adapter.translateResponse(reply, deployment: try deployment()) == reply)
        #expect(throws: AdapterError.self) { try adapter.translateResponse(try RouterFixtures.json(#"{"id": "c"}"#), deployment: try deployment()) }
        #expect(throws: AdapterError.self) { try adapter.translateResponse(.array([]), deployment: try deployment()) }
    }

    @Test func errorMessagesInTheUsualPlaces() throws {
        #expect(adapter.errorMessage(try RouterFixtures.json(#"{"error": {"message": "slow down"}}"#)) == "slow down")
        #expect(adapter.errorMessage(try RouterFixtures.json(#"{"error": "plain"}"#)) == "plain")
        #expect(adapter.errorMessage(try RouterFixtures.json(#"{"message": "vllm style"}"#)) == "vllm style")
        #expect(adapter.errorMessage(try RouterFixtures.json(#"{"detail": "x"}"#)) == nil)
    }

    @Test func streamChunksPassThroughByteForByteAndUsageIsHeldToTheEnd() throws {
        var translator = adapter.makeStreamTranslator(deployment: try deployment(), includeUsage: true)
        let text = #"{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hé"}}]}"#
        let chunks = try translator.translate(RouterFixtures.event(text))
        #expect(chunks.map(\.text) == [text])
        #expect(chunks.first?.json["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue == "hé")
        let usage = #"{"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}"#
        #expect(try translator.translate(RouterFixtures.event(usage)).isEmpty)
        #expect(!translator.isComplete)
        #expect(try translator.translate(RouterFixtures.event("[DONE]")).isEmpty)
        #expect(translator.isComplete)
        let tail = translator.finish()
        #expect(tail.map(\.text) == [usage])
        #expect(NormalizedUsage(openAIUsage: tail.first?.json["usage"]).completionTokens == 2)
    }

    @Test func aChunkWithChoicesAndUsageIsSentAtOnce() throws {
        var translator = adapter.makeStreamTranslator(deployment: try deployment(), includeUsage: false)
        let both = #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":1}}"#
        #expect(try translator.translate(RouterFixtures.event(both)).count == 1)
        #expect(translator.finish().isEmpty)
    }

    @Test func streamErrorsAndGarbageThrow() throws {
        var translator = adapter.makeStreamTranslator(deployment: try deployment(), includeUsage: false)
        #expect {
            try translator.translate(RouterFixtures.event(#"{"error": {"message": "overloaded"}}"#))
        } throws: { error in
            guard case AdapterError.upstreamStreamError(let message) = error else { return false }
            return message == "overloaded"
        }
        #expect {
            try translator.translate(RouterFixtures.event("not json"))
        } throws: { error in
            guard case AdapterError.unreadable = error else { return false }
            return true
        }
        // "error": null is not an error.
        #expect(try translator.translate(RouterFixtures.event(#"{"error": null, "choices": [{"delta": {}}]}"#)).count == 1)
    }
}
