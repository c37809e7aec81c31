"""Streaming (SSE) through the router with the unchanged openai SDK: plain,
tools, stream_options.include_usage, token ids and logprobs kept for RL, a
stream cut before its first byte (fail over) and after it (the client sees
an error, never a clean finish); and bad input answered with OpenAI errors."""
import json
import urllib.error
import urllib.request
import uuid

import openai
import pytest

from fake_openai import FakeOpenAI
from router_harness import RouterProcess, calls_of

TOOLS = [{"type": "function", "function": {"name": "read_file", "description": "Read a file",
                                            "parameters": {"type": "object", "properties": {"path": {"type": "string"}},
                                                           "required": ["path"]}}}]


@pytest.fixture(scope="module")
def router(tmp_path_factory):
    primary, backup = FakeOpenAI(name="primary"), FakeOpenAI(name="backup")
    models = [
        {"name": "m-primary", "provider": "openai", "base_url": primary.url, "input_price_per_million": 2.0,
         "output_price_per_million": 8.0, "cached_input_price_per_million": 1.0},
        {"name": "m-backup", "provider": "vllm", "base_url": backup.url, "input_price_per_million": 1.0,
         "output_price_per_million": 1.0},
    ]
    routes = [{"name": "chain", "strategy": "round_robin", "models": ["m-primary"], "fallbacks": ["m-backup"]}]
    config = {"models": models, "routes": routes,
              "resilience": {"max_retries": 0, "allowed_failures": 100, "retry_backoff_seconds": 0.01}}
    process = RouterProcess(config, tmp_path_factory.mktemp("router-stream"), name="router-stream")
    yield {"process": process, "primary": primary, "backup": backup}
    assert process.stop() == 0
    primary.close()
    backup.close()


def tags():
    trajectory = str(uuid.uuid4())
    return trajectory, {"X-Synth-Task-ID": "task-stream", "X-Synth-Trajectory-ID": trajectory}


def test_stream_with_usage_reaches_the_sdk_and_the_record(router):
    trajectory, headers = tags()
    stream = router["process"].client().chat.completions.create(
        model="m-primary", messages=[{"role": "user", "content": "hello streaming world"}], stream=True,
        stream_options={"include_usage": True}, extra_headers=headers)
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "echo from primary: hello streaming world"
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens == 1500
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    [call] = calls_of(trajectory)
    assert call["stream"] is True and call["status"] == 200 and call.get("error") is None
    assert call["response"]["choices"][0]["message"]["content"] == text
    assert (call["prompt_tokens"], call["completion_tokens"]) == (1000, 500)
    assert call["cost_dollars"] == pytest.approx((1000 * 2.0 + 500 * 8.0) / 1e6)
    assert call["first_token_ms"] is not None and call["overhead_ms"] >= 0


def test_stream_without_include_usage_sends_no_usage_chunk_but_is_still_priced(router):
    trajectory, headers = tags()
    chunks = list(router["process"].client().chat.completions.create(
        model="m-primary", messages=[{"role": "user", "content": "x"}], stream=True, extra_headers=headers))
    assert all(c.usage is None for c in chunks) and all(c.choices for c in chunks)
    # The router asked the upstream for usage anyway, so the call is priced.
    assert router["primary"].requests[-1]["body"]["stream_options"] == {"include_usage": True}
    [call] = calls_of(trajectory)
    assert call["prompt_tokens"] == 1000 and call["cost_dollars"] > 0


def test_streamed_tool_call_is_assembled_by_the_sdk(router):
    trajectory, headers = tags()
    client = router["process"].client()
    with client.chat.completions.stream(model="m-primary", messages=[{"role": "user", "content": "open main.py"}],
                                        tools=TOOLS, extra_headers=headers) as stream:
        final = stream.get_final_completion()
    call = final.choices[0].message.tool_calls[0]
    assert final.choices[0].finish_reason == "tool_calls"
    assert call.function.name == "read_file" and json.loads(call.function.arguments) == {"path": "main.py"}
    [record] = calls_of(trajectory)
    assert record["response"]["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"] == '{"path": "main.py"}'
    assert record["finish_reason"] == "tool_calls"


def test_token_ids_and_logprobs_are_kept_in_the_record(router):
    for stream in (False, True):
        trajectory, headers = tags()
        reply = router["process"].client().chat.completions.create(
            model="m-backup", messages=[{"role": "user", "content": "ab"}], logprobs=True, stream=stream,
            extra_body={"return_token_ids": True}, extra_headers=headers)
        if stream:
            list(reply)
        [call] = calls_of(trajectory)
        text = "echo from backup: ab"
        assert call["prompt_token_ids"] == [101, 102, 103]
        assert call["completion_token_ids"] == [ord(c) for c in text]
        assert [entry["token"] for entry in call["logprobs"]["content"]] == list(text)


def test_stream_cut_before_first_byte_fails_over(router):
    trajectory, headers = tags()
    router["primary"].script = ["cut_before_first_byte"]
    chunks = list(router["process"].client().chat.completions.create(
        model="chain", messages=[{"role": "user", "content": "x"}], stream=True, extra_headers=headers))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == "echo from backup: x"
    [call] = calls_of(trajectory)
    assert call["model"] == "m-backup" and call["requested_model"] == "chain" and call["fallbacks"] == 1
    assert [a["model"] for a in call["attempts"]] == ["m-primary", "m-backup"]


@pytest.mark.parametrize("mode", ["cut_mid_stream", "error_event"])
def test_stream_cut_after_first_byte_ends_with_an_error_the_sdk_raises(router, mode):
    trajectory, headers = tags()
    router["primary"].script = [mode]
    received = []
    with pytest.raises(openai.APIError) as error:
        for chunk in router["process"].client().chat.completions.create(
                model="chain", messages=[{"role": "user", "content": "one two three four"}], stream=True, extra_headers=headers):
            received.append(chunk)
    assert received, "the client got the first chunks before the cut"
    assert "stream" in str(error.value.message)
    [call] = calls_of(trajectory)
    assert call["status"] == 502 and call["error"] and call["model"] == "m-primary"


def test_oracle_unknown_task_is_a_4xx_and_streams_are_accepted(router):
    with pytest.raises(openai.BadRequestError):
        router["process"].client().chat.completions.create(model="oracle", messages=[{"role": "user", "content": "x"}],
                                                           stream=True, extra_headers={"X-Synth-Task-ID": "no-such-task"})


def post(router, body, raw=False):
    data = body if raw else json.dumps(body).encode()
    request = urllib.request.Request(router["process"].base + "/v1/chat/completions", data=data,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize("body,param", [
    (b"{not json", None),
    (b"[1, 2]", None),
    ({"messages": [{"role": "user", "content": "x"}]}, "model"),
    ({"model": 42, "messages": [{"role": "user", "content": "x"}]}, "model"),
    ({"model": "m-primary"}, "messages"),
    ({"model": "m-primary", "messages": "hello"}, "messages"),
    ({"model": "m-primary", "messages": [{"content": "x"}]}, "messages[0].role"),
    ({"model": "m-primary", "messages": [{"role": "wizard", "content": "x"}]}, "messages[0].role"),
    ({"model": "m-primary", "messages": [{"role": "user", "content": 7}]}, "messages[0].content"),
    ({"model": "m-primary", "messages": [{"role": "tool", "content": "x"}]}, "messages[0].tool_call_id"),
    ({"model": "m-primary", "messages": [{"role": "user", "content": "x"}], "stream": "yes"}, "stream"),
    ({"model": "m-primary", "messages": [{"role": "user", "content": "x"}], "temperature": "hot"}, "temperature"),
    ({"model": "m-primary", "messages": [{"role": "user", "content": "x"}], "max_tokens": 0}, "max_tokens"),
    ({"model": "m-primary", "messages": [{"role": "user", "content": "x"}], "tools": {"a": 1}}, "tools"),
    ({"model": "m-primary", "messages": [{"role": "user", "content": "x"}], "tools": [{"type": "function"}]}, "tools[0].function.name"),
])
def test_bad_input_is_a_400_naming_the_field(router, body, param):
    status, reply = post(router, body, raw=isinstance(body, bytes))
    assert status == 400, reply
    assert reply["error"]["type"] == "invalid_request_error" and reply["error"]["param"] == param
    assert reply["error"]["message"]


def test_unknown_model_is_a_404_and_the_router_still_serves(router):
    status, reply = post(router, {"model": "nope", "messages": [{"role": "user", "content": "x"}], "stream": True})
    assert status == 404 and reply["error"]["code"] == "model_not_found"
    status, reply = post(router, {"model": "m-primary", "messages": [{"role": "user", "content": "still alive"}]})
    assert status == 200 and reply["choices"][0]["message"]["content"] == "echo from primary: still alive"


def test_upstream_refusal_is_passed_on_not_failed_over(router):
    router["primary"].script = ["400"]
    before = router["backup"].count
    status, reply = post(router, {"model": "chain", "messages": [{"role": "user", "content": "x"}]})
    assert status == 400 and "maximum context length" in reply["error"]["message"]
    assert router["backup"].count == before


def test_overhead_header_and_metrics(router):
    request = urllib.request.Request(router["process"].base + "/v1/chat/completions",
                                     data=json.dumps({"model": "m-primary", "messages": [{"role": "user", "content": "x"}]}).encode())
    with urllib.request.urlopen(request, timeout=10) as response:
        assert float(response.headers["X-Synth-Router-Overhead-Ms"]) >= 0
        assert response.headers["X-Synth-Model"] == "m-primary"
    metrics = router["process"].metrics()
    for name in ("synth_llm_requests_total", "synth_llm_tokens_total", "synth_llm_cost_dollars_total",
                 "synth_llm_latency_seconds", "synth_llm_router_overhead_seconds_bucket"):
        assert name in metrics, name
