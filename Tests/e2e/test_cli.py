"""The synth CLI against the real api and services."""
import json
import os
import subprocess
from pathlib import Path

import pytest

import examples
from conftest import API_KEY, ROOT

BINARY = Path(os.environ.get("SYNTH_BUILD_DIR", ROOT / ".build")) / "debug/synth"
TASKS = [examples.load_example(path) for path in examples.example_dirs(examples.DEFAULT_EXAMPLES_DIR, [])[:2]]


def synth(services, *args, key=API_KEY, api=None, timeout=600, stdin=None):
    env = {**os.environ, "SYNTH_API_URL": api or services["api"], "SYNTH_API_KEY": key, "HOME": "/nonexistent"}
    return subprocess.run([str(BINARY), *args], env=env, capture_output=True, text=True, timeout=timeout, input=stdin)


@pytest.fixture(scope="module")
def submitted(services, tmp_path_factory):
    lines = [json.dumps(TASKS[0]), json.dumps(TASKS[1]), json.dumps({**TASKS[0], "difficulty": "impossible"}), "{not json", ""]
    path = tmp_path_factory.mktemp("cli") / "tasks.jsonl"
    path.write_text("\n".join(lines))
    result = synth(services, "submit", str(path))
    return result


def test_submit_reports_each_rejected_line_and_accepts_the_rest(submitted):
    assert submitted.returncode == 2, submitted.stdout + submitted.stderr
    assert "line 3: rejected: " in submitted.stdout and "difficulty" in submitted.stdout
    assert "line 4: rejected: " in submitted.stdout
    assert "2 created" in submitted.stdout and "2 rejected" in submitted.stdout
    assert "submitting" in submitted.stderr  # the progress bar


def test_watch_follows_a_task_to_the_end_and_trajectory_prints_it(services, submitted):
    listed = json.loads(subprocess.run(["curl", "-fsS", "-H", "Authorization: Bearer " + API_KEY,
                                        services["api"] + "/api/v1/tasks?limit=1000"], capture_output=True, text=True).stdout)
    # Other tests submit the same example; the CLI's is the newest one.
    mine = sorted((task for task in listed["items"] if task.get("external_id") == TASKS[1]["external_id"]),
                  key=lambda task: task["created_at"])
    assert mine, listed
    task_id = mine[-1]["id"]
    watched = synth(services, "watch", task_id, "--timeout", "300", "--interval", "0.5")
    assert watched.returncode == 0, watched.stdout + watched.stderr
    assert "succeeded" in watched.stdout and "step 1" in watched.stdout and "result: success" in watched.stdout
    view = json.loads(subprocess.run(["curl", "-fsS", "-H", "Authorization: Bearer " + API_KEY, services["api"] + "/api/v1/tasks/" + task_id],
                                     capture_output=True, text=True).stdout)
    shown = synth(services, "trajectory", view["trajectory_id"])
    assert shown.returncode == 0, shown.stderr
    assert "reward 1.000" in shown.stdout and "final patch:" in shown.stdout and "diff --git" in shown.stdout


def test_status_and_workers(services, submitted):
    status = synth(services, "status")
    assert status.returncode == 0, status.stderr
    for word in ("queue", "running", "finished", "pass rate", "llm cost"):
        assert word in status.stdout
    workers = synth(services, "workers")
    assert workers.returncode == 0, workers.stderr
    assert "worker_id" in workers.stdout or "no workers" in workers.stdout


def test_export_prints_where_the_dataset_went(services, submitted):
    exported = synth(services, "export", "--verified-only")
    assert exported.returncode == 0, exported.stderr
    path = exported.stdout.strip()
    assert path.endswith(".parquet") and os.path.exists(path), path


def test_clear_errors_for_an_unreachable_api_and_a_wrong_key(services):
    down = synth(services, "status", api="http://127.0.0.1:9")
    assert down.returncode == 1 and "cannot reach the synth api at http://127.0.0.1:9" in down.stderr
    refused = synth(services, "status", key="wrong-key")
    assert refused.returncode == 1 and "refused the API key" in refused.stderr
