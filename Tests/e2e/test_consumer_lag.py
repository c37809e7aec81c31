"""Consumer lag is exported per group, topic and partition, so an autoscaler
can scale each service on its topic. The collector is held up by a lock on
its table (its handler waits, its HTTP server keeps serving): the lag of
synth-collector on synth.steps rises, and falls to zero once it resumes."""
import json
import os
import re
import subprocess
import time
import urllib.request
import uuid

from conftest import SYNTH_HOME

COLLECTOR = "http://127.0.0.1:%d" % (int(os.environ.get("SYNTH_PORT_BASE", "8400")) + 4)
STEPS = 40


def steps_lag():
    text = urllib.request.urlopen(COLLECTOR + "/metrics", timeout=10).read().decode()
    total = 0
    found = False
    for line in text.splitlines():
        if line.startswith("synth_kafka_consumer_lag{") and 'group="synth-collector"' in line and 'topic="synth.steps"' in line:
            total += float(line.rsplit(" ", 1)[1])
            found = True
    return total if found else None


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError("timed out waiting for %s (last: %r)" % (what, value))


def step_event(trajectory, number):
    transition = {
        "timestamp": "2026-01-01T00:00:00.000Z", "step_number": number,
        "state": {"files": {}, "working_directory": "/workspace", "environment_variables": {}, "process_state": {}},
        "action": {"action_type": "tool_call", "content": "{}", "tool_name": "bash"},
        "observation": {"content": "ok", "truncated": False}, "reward": 0, "done": False,
        "info": {"duration_ms": 1}, "messages": [],
    }
    return {"event_id": str(uuid.uuid4()), "type": "StepExecuted", "schema_version": 1, "occurred_at": "2026-01-01T00:00:00.000Z",
            "source": "lag-test", "payload": {"task_id": "lag-test", "trajectory_id": trajectory, "transition": transition}}


def psql(*args, **kwargs):
    database = os.environ.get("SYNTH_PG_DB", "synth")
    port = os.environ.get("SYNTH_PG_PORT", "15432")
    return ["psql", "-X", "-q", "-h", "127.0.0.1", "-p", port, "-U", "synth", "-d", database, *args]


def test_lag_rises_while_the_collector_is_held_up_and_falls_after(services):
    wait_for(lambda: steps_lag() is not None, 60, "the collector's lag to be published")
    trajectory = str(uuid.uuid4())
    bootstrap = (SYNTH_HOME / "kafka.bootstrap").read_text().strip()
    lock = subprocess.Popen(psql("-tA"), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lock.stdin.write("BEGIN; LOCK TABLE transitions IN ACCESS EXCLUSIVE MODE; SELECT 'locked';\n")
        lock.stdin.flush()
        assert lock.stdout.readline().strip() == "locked"
        lines = "".join("%s|%s\n" % (trajectory, json.dumps(step_event(trajectory, n))) for n in range(1, STEPS + 1))
        subprocess.run(["kcat", "-P", "-b", bootstrap, "-t", "synth.steps", "-K", "|"], input=lines.encode(), check=True, timeout=60)
        risen = wait_for(lambda: (steps_lag() or 0) >= STEPS - 1 and steps_lag(), 60, "lag to rise")
        assert risen >= STEPS - 1
    finally:
        lock.stdin.write("COMMIT;\n")
        lock.stdin.close()
        lock.wait(timeout=30)
    wait_for(lambda: steps_lag() == 0, 90, "lag to fall back to zero")
    stored = subprocess.run(psql("-tAc", "SELECT count(*) FROM transitions WHERE trajectory_id = '%s'" % trajectory),
                            capture_output=True, text=True, check=True).stdout.strip()
    assert stored == str(STEPS)
