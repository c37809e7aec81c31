"""One task's whole life through all six processes on the real stack: api ->
outbox -> Kafka -> scheduler -> Redis queue -> executor (Docker) -> llm-router
(oracle) -> Kafka -> collector -> Postgres -> exporter -> Parquet, read back by
pyarrow and duckdb."""
import json
import os
import subprocess
import tempfile
import urllib.request

import duckdb
import pyarrow.parquet as pq
import pytest

import examples
import run_examples
from conftest import AUTH, SYNTH_HOME

TASKS = [examples.load_example(path) for path in examples.example_dirs(examples.DEFAULT_EXAMPLES_DIR, [])]


@pytest.fixture(scope="module")
def finished(services):
    ids = run_examples.submit(services["api"], TASKS)
    states = run_examples.wait_for_tasks(services["api"], ids, timeout=600, progress=False)
    return ids, states


def test_every_example_passes_through_the_oracle(finished):
    ids, states = finished
    assert len(ids) == len(TASKS) >= 5
    for task, state in zip(TASKS, states):
        assert state["status"] == "succeeded", (task["external_id"], state)
        assert state["result"] == {"type": "success", "reward": 1}, state
        assert state["trajectory_id"], state
        assert state["external_id"] == task["external_id"]


def test_dataset_has_one_row_per_task_readable_by_pyarrow_and_duckdb(services, finished):
    ids, states = finished
    export = run_examples.export(services["api"], timeout=120)
    path = export["path"]
    assert os.path.exists(path) and path.endswith("data/train-00000-of-00001.parquet")
    table = pq.read_table(path)
    rows = [row for row in table.to_pylist() if row["task_id"] in set(ids)]
    assert sorted(row["task_id"] for row in rows) == sorted(ids), "exactly one row per task"
    by_task = {row["task_id"]: row for row in rows}
    for task, task_id, state in zip(TASKS, ids, states):
        row = by_task[task_id]
        assert row["trajectory_id"] == state["trajectory_id"]
        assert row["instance_id"] == task["external_id"]
        assert row["llm_model"] == "oracle" and row["scaffold"] == "minimal"
        assert row["verification_passed"] is True and row["final_result"] == "success"
        assert row["total_reward"] == 1.0
        calls = len(task["reference_solution"])
        assert row["total_steps"] == calls + 1, "one step per tool call plus the final answer"
        roles = [m["role"] for m in row["messages"]]
        assert roles[:2] == ["system", "user"] and roles[-1] == "assistant"
        assert roles.count("tool") == calls
        assert row["messages"][1]["content"] == task["instruction"]
        sent = [json.loads(m["tool_calls"][0]["function"]["arguments"]) for m in row["messages"] if m["tool_calls"]]
        assert sent == [call["arguments"] for call in task["reference_solution"]]
        transitions = json.loads(row["transitions"])
        assert [t["step_number"] for t in transitions] == list(range(1, calls + 2))
        assert transitions[-1]["done"] is True
        edited = {c["arguments"]["path"] for c in task["reference_solution"] if c["tool"] == "edit"}
        assert all("diff --git a/%s b/%s" % (p, p) in row["final_patch"] for p in edited), row["final_patch"][:400]
        assert_patch_solves_the_task(task, row["final_patch"])
    count = duckdb.connect().execute("SELECT count(*) FROM read_parquet(?) WHERE verification_passed", [path]).fetchone()[0]
    assert count >= len(ids)
    assert export["summary"]["rows"] == table.num_rows


def assert_patch_solves_the_task(task, patch):
    """The exported patch, applied by git to the initial files, makes the hidden tests pass."""
    with tempfile.TemporaryDirectory() as workspace:
        for path, text in task["initial_files"].items():
            os.makedirs(os.path.dirname(os.path.join(workspace, path)) or workspace, exist_ok=True)
            with open(os.path.join(workspace, path), "w") as handle:
                handle.write(text)
        applied = subprocess.run(["git", "apply", "--whitespace=nowarn", "-"], input=patch.encode(), cwd=workspace, capture_output=True)
        assert applied.returncode == 0, applied.stderr.decode() + patch[:1000]
        for spec in task["verification_tests"]:
            for path, text in spec["files"].items():
                os.makedirs(os.path.dirname(os.path.join(workspace, path)), exist_ok=True)
                with open(os.path.join(workspace, path), "w") as handle:
                    handle.write(text)
            result = subprocess.run(["bash", "-c", spec["command"]], cwd=workspace, capture_output=True,
                                    env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, timeout=300)
            assert result.returncode == 0, result.stdout.decode()[-2000:]


def post(url, body, headers=None):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json", **AUTH, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def valid_task(**overrides):
    task = dict(TASKS[0])
    task.update(overrides)
    return task


@pytest.mark.parametrize("body, field", [
    (b"{not json", "body"),
    (b"[]", "body"),
    ({"category": "bugfix"}, "instruction"),
    ({**TASKS[0], "timeout_seconds": "soon"}, "timeout_seconds"),
    ({**TASKS[0], "difficulty": "impossible"}, "difficulty"),
    ({**TASKS[0], "verification_tests": [{"name": "x"}]}, "verification_tests[0].command"),
    ({**TASKS[0], "initial_files": {"../../etc/passwd": "x"}}, "initial_files"),
    ({**TASKS[0], "verification_tests": []}, "verification_tests"),
    ({**TASKS[0], "scaffold": "mystery"}, "scaffold"),
])
def test_bad_tasks_get_400_naming_the_field(services, body, field):
    status, reply = post(services["api"] + "/api/v1/tasks", body)
    assert status == 400, reply
    assert reply["error"]["field"] == field, reply
    assert reply["error"]["message"].startswith(field) or field == "body", reply


def test_oversized_body_is_413(services):
    status, reply = post(services["api"] + "/api/v1/tasks", b"{" + b" " * (17 * 1024 * 1024) + b"}")
    assert status == 413 and reply["error"]["code"] == "body_too_large"


def test_unknown_task_is_404(services):
    try:
        urllib.request.urlopen(urllib.request.Request(services["api"] + "/api/v1/tasks/no-such-task", headers=AUTH), timeout=10)
        raise AssertionError("expected 404")
    except urllib.error.HTTPError as error:
        assert error.code == 404
        assert json.loads(error.read())["error"]["code"] == "task_not_found"


def test_same_idempotency_key_returns_the_original_task(services):
    key = {"Idempotency-Key": "e2e-%s" % os.getpid()}
    first_status, first = post(services["api"] + "/api/v1/tasks", valid_task(), key)
    second_status, second = post(services["api"] + "/api/v1/tasks", valid_task(), key)
    assert (first_status, second_status) == (201, 200)
    assert first["id"] == second["id"]
    run_examples.wait_for_tasks(services["api"], [first["id"]], timeout=300, progress=False)


def test_missing_image_fails_with_a_clear_reason_and_the_next_task_runs(services):
    status, bad = post(services["api"] + "/api/v1/tasks", valid_task(docker_image="synth-no-such-image:never"))
    assert status == 201
    status, good = post(services["api"] + "/api/v1/tasks", valid_task())
    assert status == 201
    bad_state, good_state = run_examples.wait_for_tasks(services["api"], [bad["id"], good["id"]], timeout=300, progress=False)
    assert bad_state["status"] == "error", bad_state
    assert "synth-no-such-image:never" in bad_state["reason"] and "does not exist" in bad_state["reason"], bad_state
    assert good_state["status"] == "succeeded", good_state


def test_router_answers_errors_in_openai_shape(services):
    status, reply = post(services["router"] + "/v1/chat/completions", {"model": "no-such-model", "messages": [{"role": "user", "content": "hi"}]})
    assert status == 404 and reply["error"]["code"] == "model_not_found"
    status, reply = post(services["router"] + "/v1/chat/completions", {"model": "oracle"})
    assert status == 400 and reply["error"]["param"] == "messages" and reply["error"]["type"] == "invalid_request_error"
    status, reply = post(services["router"] + "/v1/chat/completions", b"{broken")
    assert status == 400


@pytest.mark.parametrize("offset, metric", [
    (0, "synth_tasks_submitted_total"), (1, "synth_llm_requests_total"), (3, "synth_worker_active_containers"),
    (4, "synth_tasks_completed_total"),
])
def test_every_service_serves_health_readiness_and_metrics(services, finished, offset, metric):
    base = "http://127.0.0.1:%d" % (int(os.environ.get("SYNTH_PORT_BASE", "8400")) + offset)
    assert json.loads(urllib.request.urlopen(base + "/health", timeout=10).read())["status"] == "ok"
    ready = json.loads(urllib.request.urlopen(base + "/ready", timeout=10).read())
    assert ready["status"] == "ready" and all(ready["checks"].values())
    text = urllib.request.urlopen(base + "/metrics", timeout=10).read().decode()
    assert metric in text, text[:2000]

