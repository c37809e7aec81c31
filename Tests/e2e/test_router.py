"""The llm-router process in front of a fake OpenAI-compatible upstream,
driven by the unchanged openai SDK; each call's record is read back from the
synth.llm-calls topic with kcat."""
import json
import os
import socket
import subprocess
import time
import urllib.request
import uuid

import openai
import pytest

from conftest import ROOT, SYNTH_HOME
from fake_openai import FakeOpenAI


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def router(tmp_path_factory):
    upstream = FakeOpenAI()
    config = tmp_path_factory.mktemp("router") / "models.json"
    config.write_text(json.dumps({"models": [{
        "name": "fake-gpt", "provider": "openai", "base_url": upstream.url, "api_key_env": "FAKE_UPSTREAM_KEY",
        "upstream_model": "gpt-upstream-name", "input_price_per_million": 2.0, "output_price_per_million": 8.0}]}))
    port = free_port()
    env = {**os.environ, "SYNTH_HTTP_PORT": str(port), "SYNTH_ROUTER_CONFIG": str(config), "FAKE_UPSTREAM_KEY": "sk-test-123"}
    log = open(SYNTH_HOME / "logs/router-under-test.log", "w")
    process = subprocess.Popen([str(ROOT / ".build/debug/synth-llm-router")], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = "http://127.0.0.1:%d" % port
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/ready", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield {"base": base, "upstream": upstream, "log": log}
    process.terminate()
    assert process.wait(timeout=30) == 0, "router did not exit cleanly on SIGTERM"
    upstream.close()


def client(router):
    return openai.OpenAI(base_url=router["base"] + "/v1", api_key="not-needed", max_retries=0)


def read_call_records():
    bootstrap = (SYNTH_HOME / "kafka.bootstrap").read_text().strip()
    out = subprocess.run(["kcat", "-C", "-b", bootstrap, "-t", "synth.llm-calls", "-o", "beginning", "-e", "-q"],
                         capture_output=True, timeout=60, check=True).stdout.decode()
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


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
