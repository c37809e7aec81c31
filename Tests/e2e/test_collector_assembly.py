"""The collector assembles one identical trajectory however its events arrive:
duplicated, reordered (completion before start, steps backwards), late (model
calls after the completion), and across a collector killed with kill -9."""
import json
import os
import random
import signal
import subprocess
import time
import urllib.request
import uuid

from conftest import ROOT, SYNTH_HOME
from dataset_support import Trajectory, insert_task, produce, psql, psql_json, wait_until, bootstrap

COLLECTOR_METRICS = "http://127.0.0.1:%d/metrics" % (int(os.environ.get("SYNTH_PORT_BASE", "8400")) + 4)


def consumed():
    text = urllib.request.urlopen(COLLECTOR_METRICS, timeout=5).read().decode()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("synth_events_consumed_total") and 'group="synth-collector"' in line)


def snapshot(ids):
    """Everything the collector stored about these trajectories, as Postgres has it."""
    return psql_json("""
        SELECT json_agg(json_build_object(
            'trajectory', (SELECT to_jsonb(t) - 'stored_event_sent' FROM trajectories t WHERE t.trajectory_id = x.id),
            'steps', (SELECT json_agg(json_build_object('n', s.step_number, 'call', s.llm_call_id, 't', s.transition)
                                      ORDER BY s.step_number) FROM transitions s WHERE s.trajectory_id = x.id),
            'calls', (SELECT count(*) FROM llm_calls c WHERE c.trajectory_id = x.id),
            'status', (SELECT to_jsonb(s) - 'updated_at' FROM task_status s
                       WHERE s.task_id = (SELECT task_id FROM trajectories WHERE trajectory_id = x.id)))
            ORDER BY x.id)
        FROM unnest(string_to_array(:'p1', ',')) AS x(id)
        """, ",".join(ids))


def restart_collector_after_kill9():
    pid = int((SYNTH_HOME / "pids" / "collector.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    wait_until("collector to die", lambda: subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode != 0, 10)
    return pid


def stored(trajectory_ids):
    count = psql("SELECT count(*) FROM trajectories WHERE trajectory_id = ANY(string_to_array(:'p1', ',')) "
                 "AND stored_at IS NOT NULL AND stored_event_sent", ",".join(trajectory_ids))
    return int(count) == len(trajectory_ids)


def test_duplicated_reordered_late_events_and_kill9_give_one_identical_trajectory(services):
    category = "collector-test-" + uuid.uuid4().hex[:8]
    instance = "inst-" + uuid.uuid4().hex[:8]
    tasks = ["task-" + uuid.uuid4().hex[:12] for _ in range(3)]
    for task_id in tasks:
        insert_task(task_id, category, instance)
    # Two tasks of one instance (diversity peers) and one failing task.
    trajectories = [Trajectory(tasks[0], "model-a", 5, True, 1.0, long_text=200_000),
                    Trajectory(tasks[1], "model-b", 4, True, 0.9),
                    Trajectory(tasks[2], "model-a", 3, False, 0.2)]
    ids = [t.trajectory_id for t in trajectories]
    a, b, c = trajectories

    # In order, for a.
    produce("synth.tasks", [a.started()])
    produce("synth.steps", a.step_events())
    produce("synth.llm-calls", a.call_events())
    produce("synth.tasks", [a.completed()])
    # Completion first, then the steps backwards and twice, then the start; calls arrive last.
    produce("synth.tasks", [b.completed()])
    produce("synth.steps", list(reversed(b.step_events())) + b.step_events()[:2])
    # c: half of everything, then the collector dies mid-stream.
    produce("synth.steps", c.step_events()[:2])
    produce("synth.tasks", [c.started()])
    restart_collector_after_kill9()
    produce("synth.tasks", [b.started(), c.completed(), b.started()])
    produce("synth.steps", c.step_events())  # the first two again: duplicates
    produce("synth.llm-calls", list(reversed(b.call_events())) + c.call_events() + a.call_events()[:1])
    subprocess.run([str(ROOT / "scripts/services.sh"), "up"], check=True)

    wait_until("three stored trajectories", lambda: stored(ids), timeout=120)
    first = snapshot(ids)

    # Everything again, shuffled: nothing may change.
    before = consumed()
    replay = [("synth.tasks", [t.started(), t.completed()]) for t in trajectories]
    replay += [("synth.steps", t.step_events()) for t in trajectories] + [("synth.llm-calls", t.call_events()) for t in trajectories]
    random.Random(5).shuffle(replay)
    total = 0
    for topic, events in replay:
        produce(topic, events)
        total += len(events)
    wait_until("the replay to be consumed", lambda: consumed() - before >= total, timeout=120)
    assert snapshot(ids) == first, "replayed events changed a stored trajectory"

    by_id = {entry["trajectory"]["trajectory_id"]: entry for entry in first}
    for trajectory in trajectories:
        entry = by_id[trajectory.trajectory_id]
        row = entry["trajectory"]
        # Nothing lost, nothing duplicated: exactly the steps sent, in order, with their content.
        assert [s["n"] for s in entry["steps"]] == list(range(1, len(trajectory.steps) + 1))
        for stored_step, sent in zip(entry["steps"], trajectory.steps):
            assert stored_step["t"]["messages"] == [{k: v for k, v in m.items() if v is not None} for m in sent["messages"]]
        assert entry["steps"][0]["t"]["observation"]["content"] == sent_observation(trajectory)
        # Each step joined with its own model call; the failed call with none.
        assert [s["call"] for s in entry["steps"]] == [call["call_id"] for call in trajectory.calls[:-1]]
        assert entry["calls"] == len(trajectory.calls)
        assert abs(row["total_cost_dollars"] - sum(call["cost_dollars"] for call in trajectory.calls)) < 1e-9
        assert row["llm_model"] == trajectory.model and row["started_at"] and row["completed_at"]
        assert row["total_steps"] == len(trajectory.steps) and row["verification_passed"] is trajectory.passed
        # quality = 0.6 reward + 0.2 passed + 0.2 clean-step ratio (docs/DATASET.md).
        clean = sum(1 for s in trajectory.steps if s["observation"].get("exit_code", 0) in (0, None))
        expected_quality = 0.6 * trajectory.reward + 0.2 * trajectory.passed + 0.2 * clean / len(trajectory.steps)
        assert abs(row["quality_score"] - expected_quality) < 1e-6
        assert entry["status"]["final_trajectory_id"] == trajectory.trajectory_id
        assert entry["status"]["status"] == ("succeeded" if trajectory.passed else "failed")
        assert row["artifacts"]["final_patch"]["key"] == "trajectories/%s/final.patch" % trajectory.trajectory_id
        patch = (SYNTH_HOME / "objects" / row["artifacts"]["final_patch"]["key"]).read_text()
        assert patch == trajectory.final_patch == row["final_patch"]
    # All three share an instance: each is scored against the most similar other task.
    diversities = [by_id[t.trajectory_id]["trajectory"]["diversity_score"] for t in trajectories]
    assert all(0 <= d < 1 for d in diversities), diversities

    # TrajectoryStored was announced for each, at least once.
    out = subprocess.run(["kcat", "-C", "-b", bootstrap(), "-t", "synth.trajectories", "-o", "beginning", "-e", "-q"],
                         capture_output=True, timeout=60).stdout.decode()
    announced = {json.loads(line)["payload"]["trajectory_id"] for line in out.splitlines() if line.strip()}
    assert set(ids) <= announced


def sent_observation(trajectory):
    return trajectory.steps[0]["observation"]["content"]
