import Foundation
import SynthCommon
import Testing
@testable import synth_llm_router

@Suite struct AnthropicAdapterTests {
    let adapter = AnthropicAdapter()

    func deployment(base: String = "https://api.anthropic.com", maxOutput: Int? = nil) throws -> ModelDeployment {
        setenv("SYNTH_TEST_ROUTER_ANTHROPIC_KEY", "sk-ant-test", 1)
        return try RouterFixtures.deployment("""
            {"name": "claude", "provider": "anthropic", "base_url": "\(base)", "upstream_model": "claude-3-5-sonnet",
             "api_key_env": "SYNTH_TEST_ROUTER_ANTHROPIC_KEY"\(maxOutput.map { ", \"max_output_tokens\": \($0)" } ?? "")}
            """)
    }

    static let conversation = """
        {"model": "claude", "max_tokens": 300, "temperature": 0.5, "stop": "END", "user": "u-1",
         "messages": [
           {"role": "system", "content": "You fix bugs."},
           {"role": "developer", "content": [{"type": "text", "text": "Be terse."}]},
           {"role": "user", "content": "Run the tests."},
           {"role": "assistant", "content": "Running.", "tool_calls": [
              {"id": "call_1", "type": "function", "function": {"name": "bash", "arguments": "{\\"cmd\\": \\"pytest\\"}"}},
              {"id": "call_2", "type": "function", "function": {"name": "bash", "arguments": "not json"}}]},
           {"role": "tool", "tool_call_id": "call_1", "content": "3 passed"},
           {"role": "tool", "tool_call_id": "call_2", "content": "1 failed"},
           {"role": "user", "content": [{"type": "text", "text": "And this?"},
                                        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}],
         "tools": [{"type": "function", "function": {"name": "bash", "description": "Run a command",
                    "parameters": {"type": "object", "properties": {"cmd": {"type": "string"}}}}}],
         "tool_choice": {"type": "function", "function": {"name": "bash"}}}
        """

    @Test func translatesAConversationWithToolsToTheMessagesAPI() throws {
        let http = try adapter.makeRequest(try RouterFixtures.object(Self.conversation), deployment: try deployment(), stream: false,
                                           timeout: .seconds(9))
        #expect(http.url == "https://api.anthropic.com/v1/messages")
        #expect(http.headers["x-api-key"] == "sk-ant-test")
        #expect(http.headers["anthropic-version"] == "2023-06-01")
        #expect(http.headers["Authorization"] == nil)
        let body = try RouterFixtures.body(of: http)
        #expect(body["model"]?.stringValue == "claude-3-5-sonnet")
        #expect(body["system"]?.stringValue == "You fix bugs.\n\nBe terse.")
        #expect(body["max_tokens"]?.intValue == 300)
        #expect(body["temperature"]?.doubleValue == 0.5)
        #expect(body["stop_sequences"] == .array([.string("END")]))
        #expect(body["metadata"]?["user_id"]?.stringValue == "u-1")
        #expect(body["stream"] == nil)

        let messages = try #require(body["messages"]?.arrayValue)
        // user, assistant, then the two tool results and the next user turn merged into one user turn.
        #expect(messages.map { $0["role"]?.stringValue } == ["user", "assistant", "user"])
        let assistant = try #require(messages[1]["content"]?.arrayValue)
        #expect(assistant.map { $0["type"]?.stringValue } == ["text", "tool_use", "tool_use"])
        #expect(assistant[1]["id"]?.stringValue == "call_1")
        #expect(assistant[1]["input"]?["cmd"]?.stringValue == "pytest")
        // Unparseable arguments become an empty input rather than failing the call.
        #expect(assistant[2]["input"] == .object([:]))
        let last = try #require(messages[2]["content"]?.arrayValue)
        #expect(last.map { $0["type"]?.stringValue } == ["tool_result", "tool_result", "text", "image"])
        #expect(last[0]["tool_use_id"]?.stringValue == "call_1")
        #expect(last[1]["content"]?.stringValue == "1 failed")
        #expect(last[3]["source"]?["type"]?.stringValue == "base64")
        #expect(last[3]["source"]?["media_type"]?.stringValue == "image/png")
        #expect(last[3]["source"]?["data"]?.stringValue == "AAAA")

        let tool = try #require(body["tools"]?.arrayValue?.first)
        #expect(tool["name"]?.stringValue == "bash")
        #expect(tool["description"]?.stringValue == "Run a command")
        #expect(tool["input_schema"]?["properties"]?["cmd"]?["type"]?.stringValue == "string")
        #expect(body["tool_choice"] == .object(["type": .string("tool"), "name": .string("bash")]))
    }

    @Test(arguments: [("auto", "auto"), ("required", "any"), ("none", "none")])
    func toolChoiceStrings(openAI: String, anthropic: String) throws {
        var request = try RouterFixtures.object(#"{"messages": [{"role": "user", "content": "x"}]}"#)
        request["tool_choice"] = .string(openAI)
        let body = try RouterFixtures.body(of: try adapter.makeRequest(request, deployment: try deployment(), stream: false, timeout: .seconds(1)))
        #expect(body["tool_choice"]?["type"]?.stringValue == anthropic)
    }

    @Test func maxTokensComesFromTheRequestThenTheModelThenADefault() throws {
        func maxTokens(_ request: String, _ model: ModelDeployment) throws -> Int? {
            let http = try adapter.makeRequest(try RouterFixtures.object(request), deployment: model, stream: true, timeout: .seconds(1))
            return try RouterFixtures.body(of: http)["max_tokens"]?.intValue
        }
        let plain = try deployment(), limited = try deployment(maxOutput: 8192)
        #expect(try maxTokens(#"{"messages": [], "max_tokens": 10, "max_completion_tokens": 20}"#, plain) == 20)
        #expect(try maxTokens(#"{"messages": []}"#, limited) == 8192)
        #expect(try maxTokens(#"{"messages": []}"#, plain) == 4096)
    }

    @Test func streamRequestsAndBaseURLsEndingInV1() throws {
        let http = try adapter.makeRequest(["messages": .array([])], deployment: try deployment(base: "http://127.0.0.1:9/v1/"),
                                           stream: true, timeout: .seconds(1))
        #expect(http.url == "http://127.0.0.1:9/v1/messages")
        #expect(http.headers["Accept"] == "text/event-stream")
        #expect(try RouterFixtures.body(of: http)["stream"] == .bool(true))
    }

    @Test(arguments: [("end_turn", "stop"), ("stop_sequence", "stop"), ("max_tokens", "length"), ("tool_use", "tool_calls"),
                      ("refusal", "content_filter"), ("pause_turn", "stop"), ("something_new", "stop")])
    func stopReasons(anthropic: String, openAI: String) {
        #expect(AnthropicAdapter.finishReason(anthropic) == openAI)
    }

    @Test func noStopReasonIsNoFinishReason() {
        #expect(AnthropicAdapter.finishReason(nil) == nil)
    }

    @Test func usageCountsCachedAndCacheWrittenTokensInThePrompt() throws {
        let usage = AnthropicAdapter.usage(try RouterFixtures.json("""
            {"input_tokens": 20, "cache_read_input_tokens": 1000, "cache_creation_input_tokens": 300, "output_tokens": 55}
            """))
        #expect(usage.promptTokens == 1320)
        #expect(usage.cachedTokens == 1000)
        #expect(usage.cacheCreationTokens == 300)
        #expect(usage.completionTokens == 55)
        #expect(AnthropicAdapter.usage(nil) == NormalizedUsage())
    }

    @Test func translatesAMessageWithThinkingAndToolUse() throws {
        let reply = try RouterFixtures.json("""
            {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-3-5-sonnet-20241022",
             "content": [{"type": "thinking", "thinking": "Check first."},
                         {"type": "tool_use", "id": "toolu_1", "name": "bash", "input": {"cmd": "ls"}}],
             "stop_reason": "tool_use",
             "usage": {"input_tokens": 10, "cache_read_input_tokens": 90, "output_tokens": 7}}
            """)
        let completion = try adapter.translateResponse(reply, deployment: try deployment())
        #expect(completion["object"]?.stringValue == "chat.completion")
        #expect(completion["id"]?.stringValue == "msg_1")
        #expect(completion["model"]?.stringValue == "claude-3-5-sonnet-20241022")
        let choice = try #require(completion["choices"]?.arrayValue?.first)
        #expect(choice["finish_reason"]?.stringValue == "tool_calls")
        let message = try #require(choice["message"])
        #expect(message["content"] == .null)
        #expect(message["reasoning_content"]?.stringValue == "Check first.")
        let call = try #require(message["tool_calls"]?.arrayValue?.first)
        #expect(call["id"]?.stringValue == "toolu_1")
        #expect(call["function"]?["name"]?.stringValue == "bash")
        let arguments = try RouterFixtures.json(try #require(call["function"]?["arguments"]?.stringValue))
        #expect(arguments == .object(["cmd": .string("ls")]))
        let usage = NormalizedUsage(openAIUsage: completion["usage"])
        #expect(usage.promptTokens == 100)
        #expect(usage.cachedTokens == 90)
        #expect(usage.completionTokens == 7)
    }

    @Test func textRepliesKeepTheirText() throws {
        let reply = try RouterFixtures.json("""
            {"type": "message", "content": [{"type": "text", "text": "Hello "}, {"type": "text", "text": "there"}],
             "stop_reason": "max_tokens", "usage": {"input_tokens": 1, "output_tokens": 2}}
            """)
        let choice = try adapter.translateResponse(reply, deployment: try deployment())["choices"]?.arrayValue?.first
        #expect(choice?["message"]?["content"]?.stringValue == "Hello there")
        #expect(choice?["message"]?["tool_calls"] == nil)
        #expect(choice?["finish_reason"]?.stringValue == "length")
    }

    @Test func somethingElseIsUnreadable() throws {
        #expect(throws: AdapterError.self) {
            try adapter.translateResponse(try RouterFixtures.json(#"{"type": "error", "error": {"message": "x"}}"#), deployment: try deployment())
        }
        #expect(adapter.errorMessage(try RouterFixtures.json(#"{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}"#))
            == "Overloaded")
    }

    /// Anthropic's documented event sequence for a reply with text and a tool call.
    static let events: [(String, String)] = [
        ("message_start", #"{"type":"message_start","message":{"id":"msg_9","type":"message","role":"assistant","content":[],"model":"claude","usage":{"input_tokens":25,"cache_read_input_tokens":100,"output_tokens":1}}}"#),
        ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
        ("ping", #"{"type": "ping"}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me"}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" look."}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
        ("content_block_start", #"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_7","name":"bash","input":{}}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"cmd\": "}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"ls\"}"}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":1}"#),
        ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}}"#),
        ("message_stop", #"{"type":"message_stop"}"#),
    ]

    @Test func translatesTheEventStream() throws {
        var translator = adapter.makeStreamTranslator(deployment: try deployment(), includeUsage: false)
        var accumulator = StreamAccumulator()
        var deltas: [JSONValue] = []
        for (name, data) in Self.events {
            #expect(!translator.isComplete)
            for chunk in try translator.translate(RouterFixtures.event(data, name: name)) {
                #expect(chunk.json["object"]?.stringValue == "chat.completion.chunk")
                #expect(chunk.json["id"]?.stringValue == "msg_9")
                #expect(try RouterFixtures.json(chunk.text) == chunk.json)
                deltas.append(chunk.json["choices"]?.arrayValue?.first?["delta"] ?? .null)
                accumulator.add(chunk.json)
            }
        }
        #expect(translator.isComplete)
        // role, two text deltas, tool call start, two argument pieces, the finish chunk; ping and block stops send nothing.
        #expect(deltas.count == 7)
        #expect(deltas[0]["role"]?.stringValue == "assistant")
        #expect(deltas[3]["tool_calls"]?.arrayValue?.first?["id"]?.stringValue == "toolu_7")
        #expect(deltas[3]["tool_calls"]?.arrayValue?.first?["index"]?.intValue == 0)
        #expect(deltas[5]["tool_calls"]?.arrayValue?.first?["function"]?["arguments"]?.stringValue == "\"ls\"}")
        #expect(accumulator.content == "Let me look.")
        #expect(accumulator.toolCalls[0]?.name == "bash")
        #expect(accumulator.toolCalls[0]?.arguments == #"{"cmd": "ls"}"#)
        #expect(accumulator.finishReason == "tool_calls")

        // Usage: the input side from message_start, the output from message_delta.
        let tail = translator.finish()
        #expect(tail.count == 1)
        #expect(tail[0].json["choices"]?.arrayValue?.isEmpty == true)
        let usage = NormalizedUsage(openAIUsage: tail[0].json["usage"])
        #expect(usage.promptTokens == 125)
        #expect(usage.cachedTokens == 100)
        #expect(usage.completionTokens == 42)
    }

    @Test func anErrorEventThrows() throws {
        var translator = adapter.makeStreamTranslator(deployment: try deployment(), includeUsage: false)
        _ = try translator.translate(RouterFixtures.event(Self.events[0].1, name: "message_start"))
        #expect {
            try translator.translate(RouterFixtures.event(#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
                                                          name: "error"))
        } throws: { error in
            guard case AdapterError.upstreamStreamError(let message) = error else { return false }
            return message == "Overloaded"
        }
        #expect(!translator.isComplete)
        #expect(throws: AdapterError.self) { try translator.translate(RouterFixtures.event("{truncated")) }
    }
}
