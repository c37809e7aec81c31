"""The llm-router process in front of a fake OpenAI-compatible upstream,
driven by the unchanged openai SDK; each call's record is read back from the
synth.llm-calls topic with kcat."""
import json
import time
import uuid

import openai
import pytest

from fake_openai import FakeOpenAI
from router_harness import RouterProcess, read_topic


@pytest.fixture(scope="module")
def router(tmp_path_factory):
    upstream = FakeOpenAI()
    config = {"models": [{
        "name": "fake-gpt", "provider": "openai", "base_url": upstream.url, "api_key_env": "FAKE_UPSTREAM_KEY",
        "upstream_model": "gpt-upstream-name", "input_price_per_million": 2.0, "output_price_per_million": 8.0}]}
    process = RouterProcess(config, tmp_path_factory.mktemp("router"), env={"FAKE_UPSTREAM_KEY": "sk-test-123"})
    yield {"base": process.base, "upstream": upstream, "process": process}
    assert process.stop() == 0, "router did not exit cleanly on SIGTERM"
    upstream.close()


def client(router):
    return openai.OpenAI(base_url=router["base"] + "/v1", api_key="not-needed", max_retries=0)


def read_call_records():
    return read_topic("synth.llm-calls")


def test_openai_sdk_call_is_forwarded_priced_and_recorded(router):
    trajectory = str(uuid.uuid4())
    reply = client(router).chat.completions.create(
        model="fake-gpt", messages=[{"role": "user", "content": "hello"}],
        extra_headers={"X-Synth-Task-ID": "task-router-test", "X-Synth-Trajectory-ID": trajectory})
    assert reply.choices[0].message.content == "echo: hello"
    assert reply.usage.total_tokens == 1500
    sent = router["upstream"].requests[-1]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["body"]["model"] == "gpt-upstream-name"
    assert sent["headers"]["Authorization"] == "Bearer sk-test-123"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        records = [r for r in read_call_records() if r["payload"].get("trajectory_id") == trajectory]
        if records:
            break
        time.sleep(0.5)
    assert len(records) == 1
    call = records[0]["payload"]
    assert records[0]["type"] == "LLMCallRecorded"
    assert call["task_id"] == "task-router-test" and call["model"] == "fake-gpt" and call["status"] == 200
    assert (call["prompt_tokens"], call["completion_tokens"]) == (1000, 500)
    assert call["cost_dollars"] == pytest.approx((1000 * 2.0 + 500 * 8.0) / 1e6)
    assert call["response"]["choices"][0]["message"]["content"] == "echo: hello"
    assert "sk-test-123" not in json.dumps(records[0]), "the API key never reaches a record"


def test_models_lists_oracle_and_configured_models(router):
    names = sorted(model.id for model in client(router).models.list())
    assert names == ["fake-gpt", "oracle"]


def test_errors_reach_the_sdk_as_its_own_exceptions(router):
    with pytest.raises(openai.NotFoundError) as missing:
        client(router).chat.completions.create(model="nope", messages=[{"role": "user", "content": "x"}])
    assert missing.value.body["code"] == "model_not_found"
    with pytest.raises(openai.BadRequestError) as bad:
        client(router).chat.completions.create(model="fake-gpt", messages=[])
    assert bad.value.body["param"] == "messages"


def test_garbage_from_the_upstream_is_a_502_with_a_clear_message(router):
    router["upstream"].mode = "garbage"
    try:
        with pytest.raises(openai.APIStatusError) as error:
            client(router).chat.completions.create(model="fake-gpt", messages=[{"role": "user", "content": "x"}])
        assert error.value.status_code == 502
        assert "not JSON" in error.value.message
    finally:
        router["upstream"].mode = "ok"
