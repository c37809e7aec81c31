import Testing
@testable import synth_llm_router

@Suite struct RequestValidatorTests {
    func problem(_ body: String) throws -> OpenAIError? {
        RequestValidator.validate(try RouterFixtures.json(body))
    }

    @Test func aWellFormedRequestPasses() throws {
        #expect(try problem("""
            {"model": "m", "messages": [
              {"role": "system", "content": "be brief"},
              {"role": "user", "content": [{"type": "text", "text": "hi"}]},
              {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
                "function": {"name": "run", "arguments": "{}"}}]},
              {"role": "tool", "tool_call_id": "c1", "content": "ok"}],
             "stream": false, "temperature": 0.2,
             "tools": [{"type": "function", "function": {"name": "run", "parameters": {"type": "object"}}}]}
            """) == nil)
    }

    @Test(arguments: [
        (#"[1, 2]"#, nil as String?),
        (#"{"messages": [{"role": "user", "content": "x"}]}"#, "model"),
        (#"{"model": "", "messages": [{"role": "user", "content": "x"}]}"#, "model"),
        (#"{"model": 7, "messages": [{"role": "user", "content": "x"}]}"#, "model"),
        (#"{"model": "m"}"#, "messages"),
        (#"{"model": "m", "messages": []}"#, "messages"),
        (#"{"model": "m", "messages": "hello"}"#, "messages"),
        (#"{"model": "m", "messages": [{"content": "x"}]}"#, "messages[0].role"),
        (#"{"model": "m", "messages": [{"role": "user", "content": "x"}, {"role": "robot", "content": "x"}]}"#, "messages[1].role"),
        (#"{"model": "m", "messages": [{"role": "user", "content": 12}]}"#, "messages[0].content"),
        (#"{"model": "m", "messages": [{"role": "user", "content": [{"text": "no type"}]}]}"#, "messages[0].content[0].type"),
        (#"{"model": "m", "messages": [{"role": "tool", "content": "x"}]}"#, "messages[0].tool_call_id"),
        (#"{"model": "m", "messages": [{"role": "assistant", "tool_calls": {"id": 1}}]}"#, "messages[0].tool_calls"),
        (#"{"model": "m", "messages": [{"role": "assistant", "tool_calls": [{"function": {}}]}]}"#, "messages[0].tool_calls[0].function.name"),
        (#"{"model": "m", "messages": [{"role": "user", "content": "x"}], "stream": "yes"}"#, "stream"),
        (#"{"model": "m", "messages": [{"role": "user", "content": "x"}], "stream_options": true}"#, "stream_options"),
        (#"{"model": "m", "messages": [{"role": "user", "content": "x"}], "temperature": "hot"}"#, "temperature"),
        (#"{"model": "m", "messages": [{"role": "user", "content": "x"}], "max_tokens": 0}"#, "max_tokens"),
        (#"{"model": "m", "messages": [{"role": "user", "content": "x"}], "max_completion_tokens": 1.5}"#, "max_completion_tokens"),
        (#"{"model": "m", "messages": [{"role": "user", "content": "x"}], "n": "2"}"#, "n"),
        (#"{"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": {"type": "function"}}"#, "tools"),
        (#"{"model": "m", "messages": [{"role": "user", "content": "x"}], "tools": [{"type": "function", "function": {}}]}"#,
         "tools[0].function.name"),
    ])
    func badInputNamesTheField(body: String, param: String?) throws {
        let error = try #require(try problem(body))
        #expect(error.status == 400)
        #expect(error.type == "invalid_request_error")
        #expect(error.param == param)
        #expect(!error.message.isEmpty)
    }

    @Test func errorsHaveOpenAIsShape() throws {
        let error = try #require(try problem(#"{"model": "m"}"#))
        let body = try RouterFixtures.json(String(decoding: error.body, as: UTF8.self))
        #expect(body["error"]?["param"]?.stringValue == "messages")
        #expect(body["error"]?["type"]?.stringValue == "invalid_request_error")
        #expect(body["error"]?["code"] == .null)
        #expect(body["error"]?["message"]?.stringValue == error.message)
        let missing = OpenAIError.modelNotFound("gpt-9", known: ["oracle", "a"])
        #expect(missing.status == 404)
        #expect(missing.json["error"]?["code"]?.stringValue == "model_not_found")
    }
}
