"""Anthropic (Messages API) and Gemini (generateContent /
streamGenerateContent?alt=sse) behind the router, driven by the unchanged
openai SDK: system prompts, tools round trip (tool_use / tool_result,
functionCall / functionResponse), stop reasons, streaming, and usage
normalised (cached, cache-write and reasoning tokens) and priced."""
import json
import uuid

import openai
import pytest

from fake_anthropic import FakeAnthropic
from fake_gemini import FakeGemini
from router_harness import RouterProcess, calls_of

TOOLS = [{"type": "function", "function": {
    "name": "read_file", "description": "Read a file",
    "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"],
                   "additionalProperties": False, "$schema": "http://json-schema.org/draft-07/schema#"}}}]


@pytest.fixture(scope="module")
def router(tmp_path_factory):
    anthropic, gemini = FakeAnthropic(), FakeGemini()
    models = [
        {"name": "claude", "provider": "anthropic", "base_url": anthropic.url, "api_key_env": "FAKE_ANTHROPIC_KEY",
         "upstream_model": "claude-3-5-sonnet-20241022", "input_price_per_million": 3.0, "output_price_per_million": 15.0,
         "cached_input_price_per_million": 0.3, "cache_write_price_per_million": 3.75, "max_output_tokens": 1024},
        {"name": "gemini", "provider": "gemini", "base_url": gemini.url, "api_key_env": "FAKE_GEMINI_KEY",
         "upstream_model": "gemini-1.5-pro", "input_price_per_million": 1.25, "output_price_per_million": 5.0,
         "cached_input_price_per_million": 0.3125},
    ]
    process = RouterProcess({"models": models}, tmp_path_factory.mktemp("router-providers"), name="router-providers",
                            env={"FAKE_ANTHROPIC_KEY": "sk-ant-test", "FAKE_GEMINI_KEY": "gemini-test-key"})
    yield {"process": process, "anthropic": anthropic, "gemini": gemini}
    assert process.stop() == 0
    anthropic.close()
    gemini.close()


def tagged():
    trajectory = str(uuid.uuid4())
    return trajectory, {"X-Synth-Trajectory-ID": trajectory, "X-Synth-Task-ID": "task-providers"}


def conversation(client, model, headers, stream):
    """A user turn that makes the model call a tool, then the tool's result, as an agent scaffold sends them."""
    messages = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "open main.py"}]
    if stream:
        with client.chat.completions.stream(model=model, messages=messages, tools=TOOLS, extra_headers=headers) as s:
            first = s.get_final_completion()
    else:
        first = client.chat.completions.create(model=model, messages=messages, tools=TOOLS, extra_headers=headers)
    assert first.choices[0].finish_reason == "tool_calls"
    call = first.choices[0].message.tool_calls[0]
    assert call.function.name == "read_file" and json.loads(call.function.arguments) == {"path": "main.py"}
    messages += [first.choices[0].message.model_dump(exclude_none=True),
                 {"role": "tool", "tool_call_id": call.id, "content": "print('hi')"}]
    if stream:
        chunks = list(client.chat.completions.create(model=model, messages=messages, tools=TOOLS, stream=True,
                                                     stream_options={"include_usage": True}, extra_headers=headers))
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        usage = chunks[-1].usage
        finish = [c.choices[0].finish_reason for c in chunks if c.choices][-1]
    else:
        second = client.chat.completions.create(model=model, messages=messages, tools=TOOLS, extra_headers=headers)
        text, usage, finish = second.choices[0].message.content, second.usage, second.choices[0].finish_reason
    assert finish == "stop"
    return text, usage


@pytest.mark.parametrize("stream", [False, True])
def test_anthropic_tools_round_trip_and_usage(router, stream):
    trajectory, headers = tagged()
    text, usage = conversation(router["process"].client(), "claude", headers, stream)
    assert text == "the tool said: print('hi')"
    # input 700 + cache read 200 + cache write 100 = 1000 prompt tokens, 200 of them cached.
    assert (usage.prompt_tokens, usage.completion_tokens, usage.prompt_tokens_details.cached_tokens) == (1000, 500, 200)
    sent = router["anthropic"].requests[-1]
    assert sent["path"] == "/v1/messages" and sent["headers"]["x-api-key"] == "sk-ant-test"
    assert sent["body"]["system"] == "You are terse." and sent["body"]["max_tokens"] == 1024
    assert sent["body"]["tools"][0]["input_schema"]["required"] == ["path"]
    assert sent["body"]["messages"][-1]["content"][0]["type"] == "tool_result"
    calls = calls_of(trajectory)
    assert len(calls) == 2 and all(c["provider"] == "anthropic" for c in calls)
    last = calls[-1]
    assert (last["cached_tokens"], last["cache_creation_tokens"]) == (200, 100)
    assert last["cost_dollars"] == pytest.approx((700 * 3.0 + 200 * 0.3 + 100 * 3.75 + 500 * 15.0) / 1e6)


@pytest.mark.parametrize("stream", [False, True])
def test_gemini_tools_round_trip_and_usage(router, stream):
    trajectory, headers = tagged()
    text, usage = conversation(router["process"].client(), "gemini", headers, stream)
    assert text == 'the tool read_file said: {"content": "print(\'hi\')"}'
    # candidates 450 + thoughts 50 = 500 completion tokens, 50 of them reasoning; 200 prompt tokens cached.
    assert (usage.prompt_tokens, usage.completion_tokens) == (1000, 500)
    assert usage.prompt_tokens_details.cached_tokens == 200 and usage.completion_tokens_details.reasoning_tokens == 50
    sent = router["gemini"].requests[-1]
    expected = "/v1beta/models/gemini-1.5-pro:" + ("streamGenerateContent?alt=sse" if stream else "generateContent")
    assert sent["path"] == expected and sent["headers"]["x-goog-api-key"] == "gemini-test-key"
    assert sent["body"]["systemInstruction"]["parts"][0]["text"] == "You are terse."
    assert [c["role"] for c in sent["body"]["contents"]] == ["user", "model", "user"]
    last = calls_of(trajectory)[-1]
    assert last["provider"] == "gemini" and last["reasoning_tokens"] == 50 and last["cached_tokens"] == 200
    assert last["cost_dollars"] == pytest.approx((800 * 1.25 + 200 * 0.3125 + 500 * 5.0) / 1e6)


@pytest.mark.parametrize("model,expected", [("claude", "claude says: hi (system: Be brief.)"),
                                            ("gemini", "gemini says: hi (system: Be brief.)")])
def test_plain_text_and_system_prompt(router, model, expected):
    reply = router["process"].client().chat.completions.create(
        model=model, messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}], max_tokens=50)
    assert reply.choices[0].message.content == expected and reply.choices[0].finish_reason == "stop"


def test_provider_auth_error_is_a_clear_502(router, monkeypatch):
    router["anthropic"].api_key = "rotated"
    try:
        with pytest.raises(openai.APIStatusError) as error:
            router["process"].client().chat.completions.create(model="claude", messages=[{"role": "user", "content": "x"}])
        assert error.value.status_code == 502 and "invalid x-api-key" in error.value.message
    finally:
        router["anthropic"].api_key = "sk-ant-test"
