"""The external scaffold (spec 2.3) through the real services: an agent
program installed in the image (external_agent/synth-agent, a plain
OpenAI-tools loop) runs inside the task's container, reaches the router only
through the executor's relay (the container keeps network none), and its
trajectory is built from the proxied calls: each model call's tool call is a
step whose observation is what the program reported back, each step names
the router's call record, and the program's exit is the last step."""
import io
import json
import tarfile
import time
from pathlib import Path

import pytest

import docker_api
import run_examples
from conftest import API
from dataset_support import psql, wait_until

BASE_IMAGE = "synth-python:bookworm"
IMAGE = "synth-external-agent:e2e"
AGENT = Path(__file__).parent / "external_agent" / "synth-agent"
BUGGY = "def add(a, b):\n    return a - b\n"
TESTS = {"tests/test_calc.py": "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"}
# 192.0.2.1 is TEST-NET-1 (RFC 5737): never routed, so nothing outside is contacted.
EGRESS = ("python3 -c \"import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), timeout=3)\n    print('CONNECTED')\n"
          "except OSError as error:\n    print('egress blocked:', error)\"")


def build_image():
    """FROM the base image with the agent program on PATH, through the Engine API."""
    context = io.BytesIO()
    with tarfile.open(fileobj=context, mode="w") as archive:
        for name, data, mode in [("Dockerfile", ("FROM %s\nCOPY synth-agent /usr/local/bin/synth-agent\n" % BASE_IMAGE).encode(), 0o644),
                                 ("synth-agent", AGENT.read_bytes(), 0o755)]:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), mode, int(time.time())
            archive.addfile(info, io.BytesIO(data))
    connection = docker_api._Connection(docker_api.SOCKET, timeout=300)
    try:
        connection.request("POST", "/v1.41/build?t=%s&rm=1&forcerm=1" % IMAGE, body=context.getvalue(),
                           headers={"Content-Type": "application/x-tar"})
        response = connection.getresponse()
        log = response.read().decode()
    finally:
        connection.close()
    assert response.status == 200 and '"error"' not in log, log


@pytest.fixture(scope="module")
def finished(services):
    build_image()
    task = {
        "external_id": "external-agent",
        "instruction": "Fix add() in calc.py so that it adds.",
        "category": "bugfix", "difficulty": "easy", "docker_image": IMAGE, "scaffold": "external",
        "initial_files": {"calc.py": BUGGY},
        "verification_tests": [{"name": "hidden", "command": "python3 -m pytest -q tests", "files": TESTS}],
        "llm_model": "oracle", "timeout_seconds": 120, "estimated_steps": {"min": 1, "max": 6},
        "reference_solution": [
            {"tool": "bash", "arguments": {"command": EGRESS}},
            {"tool": "bash", "arguments": {"command": "sed -i 's/return a - b/return a + b/' calc.py"}},
            {"tool": "bash", "arguments": {"command": "python3 -c 'import calc; print(calc.add(2, 3))'"}},
        ],
    }
    [task_id] = run_examples.submit(services["api"], [task])
    [state] = run_examples.wait_for_tasks(services["api"], [task_id], timeout=300, progress=False)
    return task_id, state


def test_external_agent_solves_the_task_through_the_relay(finished):
    task_id, state = finished
    assert state["status"] == "succeeded", state
    assert docker_api.containers({"synth.task_id": task_id}) == []


def test_trajectory_comes_from_the_proxied_calls(finished):
    task_id, state = finished
    status, body = run_examples.call("GET", API + "/api/v1/trajectories/" + state["trajectory_id"])
    assert status == 200, body
    steps = body["transitions"]
    # Three tool calls, the oracle's closing message, the program's exit.
    assert [s["action"]["action_type"] for s in steps] == ["tool_call"] * 3 + ["message", "finish"], steps
    egress, fix, check = steps[:3]
    assert fix["action"]["tool_name"] == "bash" and "sed -i" in fix["action"]["tool_args"]["command"]
    # Observations are what the program sent back as tool results.
    assert "egress blocked" in egress["observation"]["content"] and "CONNECTED" not in egress["observation"]["content"]
    assert "[exit code 0]" in fix["observation"]["content"]
    assert check["observation"]["content"].startswith("5\n")
    # The state after each step shows the command's effect.
    assert "+    return a + b" in fix["state"]["diff"] and "calc.py" in fix["state"]["changed_files"]
    assert steps[-1]["done"] is True and "agent done" in steps[-1]["observation"]["content"]
    assert steps[-1]["observation"]["exit_code"] == 0
    # Every model call went through the router with this task's and trajectory's ids.
    call_ids = [s["info"]["llm_call_id"] for s in steps[:4]]
    assert all(call_ids) and len(set(call_ids)) == 4, call_ids
    recorded = wait_until("the router's call records", lambda: int(psql(
        "SELECT count(*) FROM llm_calls WHERE trajectory_id = :'p1' AND task_id = :'p2'", state["trajectory_id"], task_id) or 0) >= 4)
    assert recorded
    assert psql("SELECT string_agg(call_id, ',' ORDER BY call_id) FROM llm_calls WHERE trajectory_id = :'p1'",
                state["trajectory_id"]) == ",".join(sorted(call_ids))
