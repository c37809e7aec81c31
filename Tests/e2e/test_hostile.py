"""Hostile tasks through the real services: each one is contained and
reported with the right reason, leaves no container behind, and the tasks
after it run fine. The oracle model replays each task's "solution", which
here is the attack followed (where the task can still be solved) by the
real fix, so the trajectory shows both the containment and a healthy next
step.

Covers: fork bomb, memory hog, disk fill, network egress, endless output,
sleep forever (task timeout), a process that ignores SIGTERM (command
timeout, and cancel within 5 s), an agent that plants a conftest.py, an
agent that edits visible tests, and the SWE-agent tool set with
fail-to-pass / pass-to-pass lists, compile and lint signals.
"""
import json
import os
import time
import urllib.request

import pytest

import docker_api
import run_examples
from conftest import API, ROOT, SYNTH_HOME

# The reaper runs often here so its test is quick; the stack id is explicit
# so this test can label a container as this stack's. Read by services.sh
# when the session's services start.
os.environ.setdefault("SYNTH_REAPER_INTERVAL_SECONDS", "2")
os.environ.setdefault("SYNTH_REAPER_GRACE_SECONDS", "3")
os.environ.setdefault("SYNTH_STACK_ID", "e2e:" + str(SYNTH_HOME))
STACK = os.environ["SYNTH_STACK_ID"]
IMAGE = os.environ.get("SYNTH_BASE_IMAGE", "synth-python:bookworm")

BUGGY = "def add(a, b):\n    return a - b\n\n\ndef neg(a):\n    return -a\n"
TESTS = {"tests/test_hidden_calc.py": (
    "from calc import add, neg\n\n\n"
    "def test_add():\n    assert add(2, 3) == 5\n\n\n"
    "def test_add_negative():\n    assert add(-2, -3) == -5\n\n\n"
    "def test_neg():\n    assert neg(4) == -4\n")}
FIX = {"tool": "edit", "arguments": {"path": "calc.py", "old_str": "return a - b", "new_str": "return a + b"}}


def bash(command):
    return {"tool": "bash", "arguments": {"command": command}}


def task(name, solution, **overrides):
    body = {
        "external_id": "hostile-" + name,
        "instruction": "Fix add() in calc.py so that it adds.",
        "category": "hostile", "difficulty": "easy", "docker_image": IMAGE,
        "initial_files": {"calc.py": BUGGY},
        "verification_tests": [{"name": "hidden", "command": "python3 -m pytest -q tests", "files": TESTS}],
        "llm_model": "oracle", "reference_solution": solution,
        "timeout_seconds": 120, "command_timeout_seconds": 10, "estimated_steps": {"min": 1, "max": 5},
    }
    body.update(overrides)
    return body


HOSTILE = {
    "fork-bomb": task("fork-bomb", [bash("bomb() { bomb | bomb & }; bomb; wait"), FIX],
                      resource_limits={"max_processes": 64}, command_timeout_seconds=5),
    "memory-hog": task("memory-hog", [bash("python3 -c 'b = bytearray(1 << 30); print(len(b))'"), FIX],
                       resource_limits={"memory_mb": 128}),
    "disk-fill": task("disk-fill", [bash("dd if=/dev/zero of=fill bs=1M count=200; rm -f fill; "
                                         "touch /usr/lib/planted; echo root-write=$?"), FIX],
                      resource_limits={"disk_gb": 0.03}),
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): never routed, so nothing outside is contacted.
    "egress": task("egress", [bash("echo interfaces: $(ls /sys/class/net); python3 - <<'EOF'\n"
                                   "import socket, time\nstarted = time.monotonic()\n"
                                   "try:\n    socket.create_connection(('192.0.2.1', 80), timeout=5)\n    print('CONNECTED')\n"
                                   "except OSError as error:\n    print('connect failed:', error)\n"
                                   "print('elapsed %.3f' % (time.monotonic() - started))\nEOF"), FIX]),
    "endless-output": task("endless-output", [bash("yes 'flood flood flood'"), FIX], command_timeout_seconds=60),
    "ignores-sigterm": task("ignores-sigterm", [bash("trap '' TERM INT; while true; do sleep 1; done"), FIX],
                            command_timeout_seconds=3),
    "sleep-forever": task("sleep-forever", [bash("sleep infinity"), FIX], timeout_seconds=12, command_timeout_seconds=600),
    "planted-conftest": task("planted-conftest", [{"tool": "edit", "arguments": {"path": "tests/conftest.py", "old_str": "", "new_str": (
        "import pytest\n\n\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
        "    outcome = yield\n    outcome.get_result().outcome = 'passed'\n")}}]),
    "edits-visible-tests": task("edits-visible-tests", [{"tool": "edit", "arguments": {
        "path": "tests/test_hidden_calc.py", "old_str": "", "new_str": "def test_nothing():\n    pass\n"}}],
        anti_hardcoding={"hide_tests_until_done": False}),
}

SWE_AGENT = task("swe-agent", [
    {"tool": "str_replace_editor", "arguments": {"command": "view", "path": "/workspace/calc.py"}},
    {"tool": "str_replace_editor", "arguments": {"command": "str_replace", "path": "/workspace/calc.py",
                                                  "old_str": "return a - b", "new_str": "return a * b"}},
    {"tool": "str_replace_editor", "arguments": {"command": "undo_edit", "path": "/workspace/calc.py"}},
    {"tool": "str_replace_editor", "arguments": {"command": "str_replace", "path": "/workspace/calc.py",
                                                  "old_str": "return a - b", "new_str": "return a + b"}},
    {"tool": "str_replace_editor", "arguments": {"command": "insert", "path": "/workspace/calc.py", "insert_line": 0,
                                                  "new_str": "\"\"\"Arithmetic.\"\"\""}},
    {"tool": "str_replace_editor", "arguments": {"command": "create", "path": "/workspace/NOTES.md", "file_text": "fixed add\n"}},
    {"tool": "bash", "arguments": {"command": "python3 -c 'import calc; print(calc.add(2, 3))'"}},
    {"tool": "submit", "arguments": {}},
], scaffold="swe-agent", compile_command="python3 -m py_compile calc.py", lint_command="! grep -n 'print(' calc.py",
   verification_tests=[{"name": "hidden", "command": "python3 -m pytest -q tests", "files": TESTS,
                        "fail_to_pass": ["tests/test_hidden_calc.py::test_add", "tests/test_hidden_calc.py::test_add_negative"],
                        "pass_to_pass": ["tests/test_hidden_calc.py::test_neg"]}], estimated_steps={"min": 1, "max": 8})

PARTIAL = task("partial", [{"tool": "edit", "arguments": {"path": "calc.py", "old_str": "return a - b", "new_str": "return 5"}}],
               lint_command="python3 -m py_compile calc.py")


def get(path):
    return run_examples.call("GET", API + path)


def transitions(trajectory_id):
    status, body = get("/api/v1/trajectories/" + trajectory_id)
    assert status == 200, body
    return body["transitions"]


def assert_no_container(task_id):
    left = docker_api.containers({"synth.task_id": task_id})
    assert left == [], "containers left behind: %s" % [c["Id"][:12] for c in left]


def executor_healthy():
    port = int(os.environ.get("SYNTH_PORT_BASE", "8400")) + 3
    with urllib.request.urlopen("http://127.0.0.1:%d/ready" % port, timeout=5) as response:
        return response.status == 200


@pytest.fixture(scope="module")
def finished(services):
    tasks = list(HOSTILE.values()) + [SWE_AGENT, PARTIAL]
    ids = run_examples.submit(services["api"], tasks)
    states = run_examples.wait_for_tasks(services["api"], ids, timeout=420, progress=False)
    return {t["external_id"]: (task_id, state) for t, task_id, state in zip(tasks, ids, states)}


def hostile_step(name, finished):
    """The task succeeded after its attack; returns the attack's step."""
    task_id, state = finished["hostile-" + name]
    assert state["status"] == "succeeded", state
    assert_no_container(task_id)
    steps = transitions(state["trajectory_id"])
    assert steps[-1]["done"] is True
    return steps[0]


def test_fork_bomb_is_stopped_by_the_pids_limit_and_reported_as_such(finished):
    """The pids limit caps the bomb and the command's timeout kills its
    process group; the step names the cause (error process_limit, from
    bash's refused-fork message or the Engine's stats, no exec needed). Bomb
    processes can outlive that kill and keep the container at its limit: then
    the task ends in error, and its reason says the container is at its
    process limit. Contained either way: no
    container left, and the next task runs
    (test_the_host_and_the_next_task_are_fine)."""
    task_id, state = finished["hostile-fork-bomb"]
    assert_no_container(task_id)
    # How the judging fares depends on how many bomb processes survived (a
    # partial result when some hidden tests could not fork); a stop ends as
    # status "error" whose reason names the limit.
    assert state["status"] in ("succeeded", "partial", "failed", "error"), state
    if state["status"] == "error":
        assert "process limit (64 processes)" in (state.get("reason") or ""), state
        return  # the task state of an error names no trajectory
    step = transitions(state["trajectory_id"])[0]
    observation = step["observation"]
    assert observation["error"] == "process_limit", observation
    assert "process limit was reached" in observation["content"], observation
    assert step["info"]["tool_duration_ms"] < 15_000


def test_memory_hog_is_oom_killed_and_reported(finished):
    step = hostile_step("memory-hog", finished)
    assert step["observation"]["error"] == "oom_killed", step["observation"]
    assert step["observation"]["exit_code"] == 137
    assert "out-of-memory" in step["observation"]["content"]


def test_disk_fill_hits_the_workspace_limit_and_the_root_is_read_only(finished):
    step = hostile_step("disk-fill", finished)
    content = step["observation"]["content"]
    assert "No space left on device" in content, content
    assert "Read-only file system" in content and "root-write=1" in content, content


def test_network_egress_has_no_route(finished):
    step = hostile_step("egress", finished)
    content = step["observation"]["content"]
    assert "interfaces: lo\n" in content, content
    assert "CONNECTED" not in content and "unreachable" in content, content
    elapsed = float(content.split("elapsed ")[1].split()[0])
    assert elapsed < 1.0, "connect must fail at once, not time out: %s" % content


def test_endless_output_is_cut_and_says_so(finished):
    step = hostile_step("endless-output", finished)
    observation = step["observation"]
    assert observation["error"] == "output_limit" and observation["truncated"] is True, observation
    assert "output stopped" in observation["content"]
    assert len(observation["content"]) < 80 * 1024
    assert step["info"]["tool_duration_ms"] < 30_000, "stopped by the output limit, not the 60 s timeout"


def test_a_process_ignoring_sigterm_is_killed_at_the_command_timeout(finished):
    step = hostile_step("ignores-sigterm", finished)
    assert step["observation"]["error"] == "timeout", step["observation"]
    assert 2_500 <= step["info"]["tool_duration_ms"] < 10_000


def test_sleep_forever_ends_in_a_task_timeout(finished):
    task_id, state = finished["hostile-sleep-forever"]
    assert state["status"] == "timeout", state
    assert state["result"]["type"] == "timeout", state
    assert_no_container(task_id)
    steps = transitions(state["trajectory_id"])
    assert steps[0]["observation"]["error"] == "timeout"
    assert "time limit" in steps[0]["observation"]["content"]


def test_planted_conftest_is_tampering(finished):
    task_id, state = finished["hostile-planted-conftest"]
    assert state["status"] == "failed", state
    assert state["result"]["type"] == "failure" and "tampering" in state["result"]["reason"], state
    assert "tests/conftest.py" in state["result"]["reason"], state
    assert_no_container(task_id)


def test_edited_visible_tests_are_tampering(finished):
    task_id, state = finished["hostile-edits-visible-tests"]
    assert state["status"] == "failed", state
    assert "visible test files" in state["result"]["reason"], state
    assert_no_container(task_id)


def test_swe_agent_tools_with_fail_to_pass_lists_compile_and_lint(finished):
    task_id, state = finished["hostile-swe-agent"]
    assert state["status"] == "succeeded", state
    assert state["result"]["reward"] == 1, state
    steps = transitions(state["trajectory_id"])
    assert [s["action"]["tool_name"] for s in steps] == ["str_replace_editor"] * 6 + ["bash", "submit"]
    assert steps[-1]["done"] is True and len(steps) == 8, "submit ends the episode"
    assert "def add(a, b)" in steps[0]["observation"]["content"] and "1\t" in steps[0]["observation"]["content"]
    assert "return a * b" in steps[1]["state"]["diff"]
    assert steps[2]["state"]["changed_files"] == [], "undo_edit restored the file"
    assert steps[3]["state"]["changed_files"] == ["calc.py"]
    assert steps[5]["state"]["changed_files"] == ["NOTES.md", "calc.py"]
    assert "5" in steps[6]["observation"]["content"] and steps[6]["info"]["exit_code"] == 0
    assert_no_container(task_id)


def test_partial_success_names_the_missing_tests(finished):
    task_id, state = finished["hostile-partial"]
    assert state["status"] == "partial", state
    result = state["result"]
    assert result["type"] == "partial_success", result
    assert sorted(result["missing"]) == ["tests.test_hidden_calc.test_add_negative"], result
    # test pass 0, progress 2/3 x 0.2, efficiency 0.1, lint 0.1, rescaled over 0.9 (no compile command).
    assert result["reward"] == pytest.approx((0.2 * 2 / 3 + 0.1 + 0.1) / 0.9, abs=1e-3), result


def test_cancel_stops_a_running_task_within_5_seconds(services):
    [task_id] = run_examples.submit(services["api"], [task("cancel", [bash("trap '' TERM INT; sleep 600"), FIX],
                                                           command_timeout_seconds=600, timeout_seconds=900)])
    deadline = time.monotonic() + 120
    while not docker_api.containers({"synth.task_id": task_id}) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert docker_api.containers({"synth.task_id": task_id}), "the task never started"
    time.sleep(2)  # well inside the SIGTERM-ignoring command
    status, body = run_examples.call("DELETE", API + "/api/v1/tasks/" + task_id)
    assert status in (200, 202), body
    asked = time.monotonic()
    while docker_api.containers({"synth.task_id": task_id}) and time.monotonic() - asked < 10:
        time.sleep(0.1)
    stopped_after = time.monotonic() - asked
    assert not docker_api.containers({"synth.task_id": task_id})
    assert stopped_after < 5, "container stopped %.1f s after the cancel" % stopped_after
    [state] = run_examples.wait_for_tasks(services["api"], [task_id], timeout=60, progress=False)
    assert state["status"] == "cancelled", state


def test_reaper_removes_only_this_stacks_orphans(services):
    orphan = docker_api.create(IMAGE, {"synth.managed": "executor", "synth.stack": STACK, "synth.task_id": "gone-task",
                                       "synth.worker_id": "crashed-worker", "synth.executor_process": "dead"})
    other_stack = docker_api.create(IMAGE, {"synth.managed": "executor", "synth.stack": STACK + "-elsewhere",
                                            "synth.task_id": "gone-task", "synth.worker_id": "crashed-worker"})
    try:
        docker_api.call("POST", "/containers/%s/start" % orphan)
        deadline = time.monotonic() + 30
        while docker_api.containers({"synth.stack": STACK, "synth.task_id": "gone-task"}) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not docker_api.containers({"synth.stack": STACK, "synth.task_id": "gone-task"}), "orphan not reaped"
        assert docker_api.containers({"synth.stack": STACK + "-elsewhere"}), "another stack's container was removed"
    finally:
        docker_api.remove(orphan)
        docker_api.remove(other_stack)


def test_the_host_and_the_next_task_are_fine(services, finished):
    assert executor_healthy()
    [task_id] = run_examples.submit(services["api"], [task("after", [FIX])])
    [state] = run_examples.wait_for_tasks(services["api"], [task_id], timeout=120, progress=False)
    assert state["status"] == "succeeded", state
    assert docker_api.containers({"synth.stack": STACK}) == []
