"""kill -9 of real processes at awkward moments: nothing is lost and nothing
runs twice to completion."""
import os
import signal
import subprocess
import time

from apiclient import get, post
from conftest import ROOT, SYNTH_HOME
from test_api import containers_of, quick_task, sleeper, wait_status


def pid_of(name):
    with open(SYNTH_HOME / "pids" / (name + ".pid")) as handle:
        return int(handle.read())


def kill9(name):
    pid = pid_of(name)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while os.path.exists("/proc/%d" % pid) and "zombie" not in open("/proc/%d/status" % pid).read():
        assert time.monotonic() < deadline, name + " survived SIGKILL"
        time.sleep(0.05)
    # A killed child may linger as a zombie under a subreaper, and kill -0 still
    # succeeds on it: drop the pid file so services.sh starts a new process.
    os.remove(SYNTH_HOME / "pids" / (name + ".pid"))


def restart_missing():
    subprocess.run([str(ROOT / "scripts/services.sh"), "up"], check=True)


def test_kill9_of_the_worker_holding_a_lease_completes_the_task_exactly_once(services):
    api = services["api"]
    # Expert difficulty puts it ahead of whatever earlier tests left queued.
    # Long enough that the episode is certainly still running when the kill
    # lands, however late the status events reach the api on a loaded machine.
    status, task = post(api + "/api/v1/tasks", sleeper(45, difficulty="expert"))
    assert status == 201
    deadline = time.monotonic() + 300
    while not containers_of(task["id"]):
        assert time.monotonic() < deadline, "the task's container never started"
        time.sleep(0.2)
    kill9("executor")
    restart_missing()
    # The lease (30 s) expires, the reaper requeues it with a short backoff, the new executor runs it.
    view = wait_status(api, task["id"], {"succeeded", "error", "failed"}, timeout=300)
    assert view["status"] == "succeeded", view
    status, page = get(api + "/api/v1/trajectories?task_id=%s&completed=true" % task["id"])
    finished = [t for t in page["items"] if t["final_result"] and t["final_result"].get("type") == "success"]
    assert len(finished) == 1, page
    assert finished[0]["trajectory_id"] == view["trajectory_id"]
    assert finished[0]["attempt"] == 2, "the second attempt is the one that completed"


def test_kill9_of_the_scheduler_mid_stream_loses_nothing(services):
    api = services["api"]
    batch = [quick_task(category="e2e-chaos", external_id="chaos-%d" % i) for i in range(300)]
    status, reply = post(api + "/api/v1/tasks/batch", batch)
    assert status == 200 and reply["created"] == 300
    ids = [r["id"] for r in reply["results"]]
    time.sleep(0.3)
    kill9("scheduler")
    time.sleep(1)
    restart_missing()
    deadline = time.monotonic() + 240
    pending = set(ids)
    views = {}
    while pending and time.monotonic() < deadline:
        for task_id in list(pending):
            status, view = get(api + "/api/v1/tasks/" + task_id)
            if view["status"] == "error":
                pending.discard(task_id)
                views[task_id] = view
        time.sleep(0.5)
    assert not pending, "%d of 300 tasks never finished" % len(pending)
    # Each ran once: the missing image fails its first and only attempt.
    assert {v["attempts"] for v in views.values()} == {1}
    assert all("does not exist" in v["reason"] for v in views.values())
