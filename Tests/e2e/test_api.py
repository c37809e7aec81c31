"""The api's endpoints through the real processes: auth and audit, batch
submit, idempotency, list filters and cursors, cancellation, the task
registry, workers, trajectories and stats."""
import json
import os
import time
import urllib.parse
import uuid

import pytest

import examples
import run_examples
from apiclient import call, delete, get, post
from conftest import API_KEY, SYNTH_HOME

TASK = examples.load_example(examples.example_dirs(examples.DEFAULT_EXAMPLES_DIR, [])[0])


def quick_task(**overrides):
    """A task that ends at once without a container: its image does not exist."""
    task = {"instruction": "nothing", "category": "e2e-api", "difficulty": "easy", "docker_image": "synth-no-such-image:never",
            "verification_tests": [{"name": "t", "command": "true"}], "tags": ["e2e"],
            "reference_solution": [{"tool": "read", "arguments": {"path": "README.md"}}]}
    task.update(overrides)
    return task


def sleeper(seconds=100, **overrides):
    """A task whose oracle solution runs `sleep`, so it stays running."""
    task = {"instruction": "wait", "category": "e2e-sleep", "difficulty": "easy", "docker_image": TASK["docker_image"],
            "verification_tests": [{"name": "t", "command": "true"}], "timeout_seconds": 600,
            "reference_solution": [{"tool": "bash", "arguments": {"command": "sleep %d" % seconds}}]}
    task.update(overrides)
    return task


def wait_status(api, task_id, statuses, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, view = get(api + "/api/v1/tasks/" + task_id)
        if status == 200 and view["status"] in statuses:
            return view
        time.sleep(0.3)
    raise AssertionError("task %s never reached %s: %s" % (task_id, statuses, view))


def containers_of(task_id):
    import subprocess
    out = subprocess.run(["curl", "-fsS", "--unix-socket", os.environ.get("SYNTH_DOCKER_SOCKET", "/var/run/docker.sock"),
                          "http://docker/v1.41/containers/json?filters="
                          + urllib.parse.quote(json.dumps({"label": ["synth.task_id=" + task_id]}))],
                         capture_output=True, check=True)
    return json.loads(out.stdout)


def test_every_route_but_health_needs_a_key_and_calls_are_audited(services):
    api = services["api"]
    assert get(api + "/api/v1/health", auth=False)[0] == 200
    status, reply = get(api + "/api/v1/tasks", auth=False)
    assert status == 401 and reply["error"]["code"] == "unauthorized" and reply["error"]["field"] == "Authorization"
    for path in ["/api/v1/tasks/x", "/api/v1/stats", "/api/v1/workers", "/api/v1/trajectories", "/api/v1/metrics",
                 "/api/v1/templates", "/api/v1/openapi.json"]:
        assert get(api + path, auth=False, raw=True)[0] == 401, path
    status, _ = get(api + "/api/v1/tasks", auth=False, headers={"Authorization": "Bearer wrong-key-0123456789"})
    assert status == 401
    log = SYNTH_HOME / "logs" / "api.log"
    offset = log.stat().st_size
    marker = "audit-%s" % uuid.uuid4().hex
    assert get(api + "/api/v1/tasks/" + marker)[0] == 404
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with open(log) as handle:
            handle.seek(offset)
            text = handle.read()
        lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
        audit = [line for line in lines if line.get("event") == "api_audit" and marker in json.dumps(line)]
        if audit:
            break
        time.sleep(0.2)
    assert audit, text[-2000:]
    data = audit[0]["data"]
    assert data["key_id"] == "local-admin" and data["method"] == "GET" and data["status"] == 404, data
    assert data["path"] == "/api/v1/tasks/" + marker
    assert API_KEY not in text, "the key itself is never logged"


def test_bad_queries_get_400_naming_the_parameter(services):
    api = services["api"]
    for query, field in [("status=nonsense", "status"), ("difficulty=trivial", "difficulty"), ("limit=0", "limit"),
                         ("limit=abc", "limit"), ("cursor=%%%", "cursor"), ("cursor=Zm9v", "cursor"),
                         ("created_after=yesterday", "created_after")]:
        status, reply = get(api + "/api/v1/tasks?" + query)
        assert status == 400 and reply["error"]["field"] == field, (query, reply)
    status, reply = get(api + "/api/v1/trajectories?verified=maybe")
    assert status == 400 and reply["error"]["field"] == "verified"


def test_batch_json_array_accepts_and_rejects_per_item(services):
    api = services["api"]
    batch = [quick_task(), {"category": "x"}, quick_task(difficulty="impossible"), quick_task()]
    status, reply = post(api + "/api/v1/tasks/batch", batch)
    assert status == 200, reply
    assert (reply["accepted"], reply["created"], reply["rejected"]) == (2, 2, 2)
    by_index = {item["index"]: item for item in reply["results"]}
    assert by_index[0]["status"] == "created" and by_index[3]["status"] == "created"
    assert by_index[1]["status"] == "rejected" and by_index[1]["error"]["field"] == "[1].instruction"
    assert by_index[2]["error"]["field"] == "[2].difficulty"
    assert get(api + "/api/v1/tasks/" + by_index[0]["id"])[0] == 200


def test_batch_json_lines_with_an_idempotency_key_is_stored_once(services):
    api = services["api"]
    key = "batch-%s" % uuid.uuid4().hex
    lines = "\n".join(json.dumps(quick_task(external_id="jl-%d" % i)) for i in range(50)).encode() + b"\n"
    headers = {"Content-Type": "application/x-ndjson", "Idempotency-Key": key}
    first_status, first = post(api + "/api/v1/tasks/batch", lines, headers=headers)
    second_status, second = post(api + "/api/v1/tasks/batch", lines, headers=headers)
    assert first_status == second_status == 200
    assert first["created"] == 50 and second["created"] == 0 and second["accepted"] == 50
    assert [r["id"] for r in first["results"]] == [r["id"] for r in second["results"]]
    assert {r["status"] for r in second["results"]} == {"existing"}


def test_batch_limits(services):
    api = services["api"]
    status, reply = post(api + "/api/v1/tasks/batch", [quick_task()] * 10001)
    assert status == 413 and reply["error"]["code"] == "batch_too_large"
    status, reply = post(api + "/api/v1/tasks/batch", b"[]")
    assert status == 400 and reply["error"]["field"] == "body"
    status, reply = post(api + "/api/v1/tasks/batch", b"{\"not\": \"an array\"}")
    assert status == 400 and reply["error"]["field"] == "body"


def test_same_idempotency_key_twice_makes_one_task(services):
    api = services["api"]
    key = {"Idempotency-Key": "one-%s" % uuid.uuid4().hex}
    first_status, first = post(api + "/api/v1/tasks", quick_task(), headers=key)
    # A retry of the same request: a new id is generated for the body, but the key wins.
    second_status, second = post(api + "/api/v1/tasks", quick_task(), headers=key)
    assert (first_status, second_status) == (201, 200) and first["id"] == second["id"]
    status, page = get(api + "/api/v1/tasks?category=e2e-api&limit=1000")
    assert [t["id"] for t in page["items"]].count(first["id"]) == 1


def test_list_filters_and_cursor_pagination(services):
    api = services["api"]
    tag = "page-%s" % uuid.uuid4().hex[:8]
    batch = [quick_task(tags=[tag], difficulty="easy" if i % 2 else "hard") for i in range(25)]
    status, reply = post(api + "/api/v1/tasks/batch", batch)
    assert status == 200 and reply["created"] == 25
    created = {r["id"] for r in reply["results"]}
    seen, cursor, pages = [], None, 0
    while True:
        status, page = get(api + "/api/v1/tasks?tag=%s&limit=10%s" % (tag, "&cursor=" + cursor if cursor else ""))
        assert status == 200, page
        pages += 1
        seen += [t["id"] for t in page["items"]]
        assert all(tag in t["tags"] for t in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages == 3 and len(seen) == 25 and set(seen) == created, "every task exactly once"
    status, page = get(api + "/api/v1/tasks?tag=%s&difficulty=hard&limit=100" % tag)
    assert len(page["items"]) == 13 and {t["difficulty"] for t in page["items"]} == {"hard"}
    future = "2999-01-01T00:00:00Z"
    assert get(api + "/api/v1/tasks?tag=%s&created_after=%s" % (tag, future))[1]["items"] == []
    ids = set(seen)
    some = next(iter(ids))
    wait_status(api, some, {"error"})
    status, page = get(api + "/api/v1/tasks?tag=%s&status=error&limit=100" % tag)
    assert some in {t["id"] for t in page["items"]}


def test_a_stored_row_that_is_not_a_valid_definition_never_breaks_a_listing(services):
    """Rows written by an older version or by hand (the dataset tests insert bare task rows)
    are listed from their columns; one odd row must not turn every listing into an error."""
    from dataset_support import psql
    api = services["api"]
    category = "bare-row-%s" % uuid.uuid4().hex[:8]
    task_id = "bare-" + uuid.uuid4().hex[:12]
    psql("INSERT INTO tasks (id, external_id, category, difficulty, definition) VALUES (:'p1', 'ext-1', :'p2', 'hard', '{}'::jsonb)",
         task_id, category)
    status, page = get(api + "/api/v1/tasks?category=%s" % category)
    assert status == 200, page
    [item] = page["items"]
    assert item["id"] == task_id and item["external_id"] == "ext-1" and item["difficulty"] == "hard" and item["status"] == "submitted"
    status, view = get(api + "/api/v1/tasks/" + task_id)
    assert status == 200 and view["category"] == category, view
    assert get(api + "/api/v1/tasks?limit=1000")[0] == 200


def test_cancel_a_queued_and_a_running_task(services):
    api = services["api"]
    status, running = post(api + "/api/v1/tasks", sleeper(100))
    assert status == 201
    wait_status(api, running["id"], {"running"}, timeout=120)
    deadline = time.monotonic() + 30
    while not containers_of(running["id"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert containers_of(running["id"]), "the sleeper runs in a container"
    cancelled_at = time.monotonic()
    status, reply = delete(api + "/api/v1/tasks/" + running["id"])
    assert status == 202 and reply["status"] == "cancelling"
    while containers_of(running["id"]) and time.monotonic() - cancelled_at < 15:
        time.sleep(0.2)
    stopped_after = time.monotonic() - cancelled_at
    assert not containers_of(running["id"]), "container still there %.1f s after the cancel" % stopped_after
    assert stopped_after < 10, stopped_after
    view = wait_status(api, running["id"], {"cancelled"}, timeout=30)
    assert view["status"] == "cancelled"
    # Cancelling again is harmless; a finished task cannot be cancelled; an unknown one is 404.
    assert delete(api + "/api/v1/tasks/" + running["id"])[0] == 200
    status, done = post(api + "/api/v1/tasks", quick_task())
    wait_status(api, done["id"], {"error"})
    assert delete(api + "/api/v1/tasks/" + done["id"])[0] == 409
    assert delete(api + "/api/v1/tasks/no-such-task")[0] == 404


def test_a_task_past_its_timeout_is_stopped(services):
    api = services["api"]
    status, task = post(api + "/api/v1/tasks", sleeper(100, timeout_seconds=3))
    assert status == 201
    wait_status(api, task["id"], {"running"}, timeout=120)
    started = time.monotonic()
    # The executor cuts commands at the deadline; the worker's watchdog kills the
    # container at timeout + 15 s whatever it is doing. Either way, not 100 s.
    view = wait_status(api, task["id"], {"succeeded", "partial", "error", "timeout", "failed"}, timeout=60)
    assert time.monotonic() - started < 25, view
    assert not containers_of(task["id"])


def test_templates_versions_and_tasks_from_them(services):
    api = services["api"]
    name = "greet-%s" % uuid.uuid4().hex[:8]
    body = {"name": name, "category": "e2e-registry", "description": "writes a greeting",
            "parameters": [{"name": "who", "type": "string"}, {"name": "steps", "type": "integer", "default": 5}],
            "template": {**quick_task(), "instruction": "Greet {{who}}", "initial_files": {"{{who}}.txt": "hello {{who}}"},
                         "max_steps": "{{steps}}"}}
    status, v1 = post(api + "/api/v1/templates", body)
    assert status == 201 and v1["version"] == 1, v1
    status, task1 = post(api + "/api/v1/templates/%s/tasks" % name, {"parameters": {"who": "ada"}})
    assert status == 201 and task1["template_name"] == name and task1["template_version"] == 1
    assert task1["category"] == "e2e-registry"
    status, v2 = post(api + "/api/v1/templates", {**body, "template": {**body["template"], "instruction": "Say hi to {{who}}"}})
    assert status == 201 and v2["version"] == 2
    status, task2 = post(api + "/api/v1/templates/%s/tasks" % name, {"parameters": {"who": "bob", "steps": 7}})
    assert task2["template_version"] == 2
    # Old tasks keep their version; the old version stays addressable.
    assert get(api + "/api/v1/tasks/" + task1["id"])[1]["template_version"] == 1
    assert get(api + "/api/v1/templates/%s/versions/1" % name)[1]["template"]["instruction"] == "Greet {{who}}"
    status, latest = get(api + "/api/v1/templates/" + name)
    assert latest["version"] == 2 and latest["versions"] == [1, 2]
    status, older = post(api + "/api/v1/templates/%s/tasks" % name, {"version": 1, "parameters": {"who": "cy"}})
    assert older["template_version"] == 1
    status, page = get(api + "/api/v1/tasks?template=%s&limit=10" % name)
    assert len(page["items"]) == 3
    # Errors name the field.
    for payload, field in [({"parameters": {}}, "parameters.who"), ({"parameters": {"who": 3}}, "parameters.who"),
                           ({"parameters": {"who": "x", "extra": 1}}, "parameters.extra"),
                           ({"parameters": {"who": "x", "steps": "many"}}, "parameters.steps")]:
        status, reply = post(api + "/api/v1/templates/%s/tasks" % name, payload)
        assert status == 400 and reply["error"]["field"] == field, (payload, reply)
    status, reply = post(api + "/api/v1/templates", {**body, "template": {**body["template"], "instruction": "{{nobody}}"}})
    assert status == 400 and reply["error"]["field"] == "template"
    assert post(api + "/api/v1/templates/no-such-template/tasks", {})[0] == 404
    status, categories = get(api + "/api/v1/categories")
    assert any(c["name"] == "e2e-registry" and c["templates"] >= 1 and c["tasks"] >= 3 for c in categories["items"])


def test_workers_are_listed_and_can_be_stopped(services):
    api = services["api"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        status, workers = get(api + "/api/v1/workers")
        if workers["items"]:
            break
        time.sleep(0.5)
    assert status == 200 and workers["items"], workers
    worker = workers["items"][0]
    assert worker["status"] == "active" and worker["capacity"] >= 1
    assert get(api + "/api/v1/workers/" + worker["worker_id"])[1]["worker_id"] == worker["worker_id"]
    assert get(api + "/api/v1/workers/no-such-worker")[0] == 404
    assert post(api + "/api/v1/workers/no-such-worker/stop")[0] == 404


def test_a_stopped_worker_drains_and_its_process_exits_cleanly(services):
    """Stopping is exercised on an executor of the test's own: stopping the
    suite's executor would stall every later test."""
    import socket
    import subprocess
    from conftest import ROOT, service_environment
    api = services["api"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    worker_id = "e2e-stoppable-" + uuid.uuid4().hex[:8]
    env = {**service_environment(), "SYNTH_HTTP_PORT": str(port), "SYNTH_WORKER_ID": worker_id, "SYNTH_EXECUTOR_CAPACITY": "1",
           "SYNTH_INSTANCE_ID": worker_id}
    binary = os.path.join(os.environ.get("SYNTH_BUILD_DIR", str(ROOT / ".build")), "debug/synth-executor")
    with open(SYNTH_HOME / "logs" / (worker_id + ".log"), "w") as log:
        process = subprocess.Popen([binary], cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 60
            while get(api + "/api/v1/workers/" + worker_id)[0] != 200:
                assert process.poll() is None and time.monotonic() < deadline, "the extra executor never registered"
                time.sleep(0.5)
            status, reply = post(api + "/api/v1/workers/" + worker_id + "/stop")
            assert status in (200, 202), reply
            # It finishes whatever episode it holds, takes no more, and exits 0.
            assert process.wait(timeout=300) == 0
            status, worker = get(api + "/api/v1/workers/" + worker_id)
            assert status == 200 and worker["status"] == "stopped", worker
        finally:
            if process.poll() is None:
                process.kill()


def test_trajectories_and_stats(services):
    api = services["api"]
    ids = run_examples.submit(api, [TASK])
    [state] = run_examples.wait_for_tasks(api, ids, timeout=300, progress=False)
    assert state["status"] == "succeeded"
    status, trajectory = get(api + "/api/v1/trajectories/" + state["trajectory_id"])
    assert status == 200 and trajectory["task_id"] == ids[0] and trajectory["verification_passed"] is True
    assert [t["step_number"] for t in trajectory["transitions"]] == list(range(1, len(trajectory["transitions"]) + 1))
    status, page = get(api + "/api/v1/trajectories?task_id=%s&verified=true" % ids[0])
    assert [t["trajectory_id"] for t in page["items"]] == [state["trajectory_id"]]
    assert get(api + "/api/v1/trajectories/no-such-trajectory")[0] == 404
    status, stats = get(api + "/api/v1/stats?window_hours=2&bucket_minutes=10")
    assert status == 200 and stats["tasks_total"] >= 1 and stats["by_status"].get("succeeded", 0) >= 1
    assert stats["by_category"][TASK["category"]]["by_status"]["succeeded"] >= 1
    assert 0 < stats["pass_rate"] <= 1 and stats["mean_reward"] > 0
    assert stats["by_model"]["oracle"]["trajectories"] >= 1
    assert len(stats["throughput"]) in (12, 13) and sum(b["completed"] for b in stats["throughput"]) >= 1
    assert set(stats["queue"]) >= {"ready", "delayed", "inflight", "dead", "oldest_waiting_seconds", "ready_by_band"}
    status, text = get(api + "/api/v1/metrics", raw=True)
    assert status == 200 and "synth_tasks_submitted_total" in text


def test_readiness_checks_postgres_redis_and_kafka(services):
    status, ready = get(services["api"] + "/ready", auth=False)
    assert status == 200 and ready["checks"] == {"postgres": True, "redis": True, "kafka": True}
