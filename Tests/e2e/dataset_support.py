"""Helpers for the collector and dataset tests: events produced straight into the
dev broker with kcat (the executor and router are not involved, so every event,
duplicate and reordering is under the test's control), and Postgres read with
psql."""
import json
import os
import subprocess
import time
import uuid
from datetime import datetime, timedelta, timezone

from conftest import ROOT, SYNTH_HOME

PG_PORT = os.environ.get("SYNTH_PG_PORT", "15432")
PG_DB = os.environ.get("SYNTH_PG_DB", "synth")
DATABASE_URL = os.environ.get("SYNTH_DATABASE_URL", "postgresql://synth@127.0.0.1:%s/%s" % (PG_PORT, PG_DB))


def bootstrap():
    path = os.environ.get("SYNTH_KAFKA_BOOTSTRAP_FILE", str(SYNTH_HOME / "kafka.bootstrap"))
    with open(path) as handle:
        return handle.read().strip()


def produce(topic, events):
    """Sends (key, envelope) pairs to `topic` in this order, and waits for delivery."""
    if not events:
        return
    lines = "".join("%s\t%s\n" % (key, json.dumps(envelope, ensure_ascii=False)) for key, envelope in events)
    subprocess.run(["kcat", "-P", "-b", bootstrap(), "-t", topic, "-K", "\t", "-X", "message.max.bytes=10000000"],
                   input=lines.encode(), check=True, timeout=60)


def psql(sql, *args):
    """Runs one statement; returns the text of the first column of the first row (or None)."""
    command = ["psql", DATABASE_URL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
    for index, value in enumerate(args):
        command += ["-v", "p%d=%s" % (index + 1, value)]
    result = subprocess.run(command, input=sql.encode(), capture_output=True, timeout=120)
    if result.returncode != 0:
        raise AssertionError("psql failed: %s" % result.stderr.decode())
    text = result.stdout.decode()
    return text[:-1] if text.endswith("\n") else (text or None)


def psql_json(sql, *args):
    text = psql(sql, *args)
    return json.loads(text) if text else None


def wait_until(what, predicate, timeout=90, interval=0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out after %ss waiting for %s" % (timeout, what))


def stamp(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def envelope(kind, payload, at=None, event_id=None):
    return {"event_id": event_id or str(uuid.uuid4()), "type": kind, "schema_version": 1,
            "occurred_at": stamp(at or datetime.now(timezone.utc)), "source": "dataset-test", "payload": payload}


def insert_task(task_id, category, external_id, difficulty="easy"):
    """The api's row for a task (the collector and exporter join it); written here because the
    task is never submitted for execution: its events come from the test."""
    psql("INSERT INTO tasks (id, external_id, category, difficulty, definition) "
         "VALUES (:'p1', NULLIF(:'p2', ''), :'p3', :'p4', '{}'::jsonb) ON CONFLICT (id) DO NOTHING",
         task_id, external_id or "", category, difficulty)


class Trajectory:
    """Every event of one synthetic trajectory: TaskStarted, one StepExecuted and one
    LLMCallRecorded per step, TaskCompleted. Steps carry unicode, long observations, null
    contents and empty tool-call lists; calls carry token ids and logprobs."""

    def __init__(self, task_id, model, steps, passed, reward, long_text=0, seed=7):
        self.task_id = task_id
        self.trajectory_id = str(uuid.uuid4())
        self.model = model
        self.passed = passed
        self.reward = reward
        self.start = datetime.now(timezone.utc) - timedelta(minutes=5)
        self.prompt = [{"role": "system", "content": "You are a careful engineer. ✓"},
                       {"role": "user", "content": "Fix the bug in calc.py — ünïcödé 日本語 🚀"}]
        self.steps = []
        self.calls = []
        for number in range(1, steps + 1):
            final = number == steps
            call_id = str(uuid.uuid4())
            tool_call_id = "call_%s_%d" % (self.trajectory_id[:8], number)
            arguments = json.dumps({"path": "calc.py", "line": number, "text": "x = %d  # ✓" % number})
            if final:
                assistant = {"role": "assistant", "content": "Done: the tests pass. 完了"}
                messages = [assistant]
                action = {"action_type": "finish", "content": assistant["content"]}
                observation = {"content": "", "truncated": False}
            else:
                assistant = {"role": "assistant", "content": None,
                             "tool_calls": [{"id": tool_call_id, "type": "function",
                                             "function": {"name": "edit", "arguments": arguments}}]}
                output = ("ok ✓ " + "ß" * long_text) if number == 1 else "ok"
                messages = [assistant, {"role": "tool", "content": output, "tool_call_id": tool_call_id, "name": "edit"}]
                action = {"action_type": "tool_call", "content": arguments, "tool_name": "edit",
                          "tool_args": json.loads(arguments)}
                observation = {"content": output, "exit_code": 0 if number % 3 else 1, "truncated": False}
            self.steps.append({
                "timestamp": stamp(self.start + timedelta(seconds=number)), "step_number": number,
                "state": {"files": {"calc.py": {"sha256": "%064x" % number, "size": 10 + number}},
                          "working_directory": "/workspace", "environment_variables": {},
                          "process_state": {"last_exit_code": observation.get("exit_code")}},
                "action": action, "observation": observation, "reward": 1.0 if final and passed else 0.0,
                "done": final, "info": {"duration_ms": 100 + number, "prompt_tokens": 50 + number,
                                        "completion_tokens": 5 + number},
                "messages": messages,
            })
            has_rl = number % 2 == 1  # some calls carry token ids and logprobs, some do not
            response = {"id": "chatcmpl-" + call_id, "object": "chat.completion", "model": model,
                        "choices": [{"index": 0, "message": assistant, "finish_reason": "stop" if final else "tool_calls"}]}
            call = {"call_id": call_id, "task_id": task_id, "trajectory_id": self.trajectory_id, "experiment": None,
                    "model": model, "provider": "test", "status": 200, "prompt_tokens": 50 + number,
                    "completion_tokens": 5 + number, "cost_dollars": 0.001 * number, "latency_ms": 12.5,
                    "request": {"model": model}, "response": response, "error": None}
            if has_rl:
                call["prompt_token_ids"] = [101, 102, number]
                call["completion_token_ids"] = [7, 8, 9, number]
                call["logprobs"] = {"content": [{"token": t, "logprob": -0.25 * (i + 1), "top_logprobs": []}
                                                for i, t in enumerate(["a", "b", "c", "d"])]}
            self.calls.append(call)
        # A failed call that was retried: it must not join any step.
        self.calls.append({"call_id": str(uuid.uuid4()), "task_id": task_id, "trajectory_id": self.trajectory_id,
                           "experiment": None, "model": model, "provider": "test", "status": 502, "prompt_tokens": 0,
                           "completion_tokens": 0, "cost_dollars": 0.0, "latency_ms": 3.0, "request": {"model": model},
                           "response": None, "error": "upstream 502"})
        self.final_patch = "diff --git a/calc.py b/calc.py\n--- a/calc.py\n+++ b/calc.py\n@@ -1 +1 @@\n-x = 1\n+x = 2  # ✓ 日本\n"

    def started(self):
        return (self.task_id, envelope("TaskStarted", {
            "task_id": self.task_id, "trajectory_id": self.trajectory_id, "worker_id": "worker-test", "attempt": 1,
            "llm_model": self.model, "scaffold": "minimal", "seed": 12345678901234, "prompt_messages": self.prompt,
            "tools": [{"type": "function", "function": {"name": "edit"}}]}, at=self.start))

    def step_events(self):
        return [(self.trajectory_id, envelope("StepExecuted", {"task_id": self.task_id, "trajectory_id": self.trajectory_id,
                                                               "transition": step}, at=self.start + timedelta(seconds=step["step_number"])))
                for step in self.steps]

    def call_events(self):
        return [(self.trajectory_id, envelope("LLMCallRecorded", call, at=self.start + timedelta(seconds=index, milliseconds=500)))
                for index, call in enumerate(self.calls)]

    def completed(self):
        result = {"type": "success", "reward": self.reward} if self.passed else {"type": "failure", "reason": "tests failed"}
        return (self.task_id, envelope("TaskCompleted", {
            "task_id": self.task_id, "trajectory_id": self.trajectory_id, "worker_id": "worker-test", "result": result,
            "reward": {"test_pass": 0.5 if self.passed else 0.0, "compilation": 0.1, "progress": 0.2, "efficiency": 0.1,
                       "code_quality": 0.1, "total": self.reward},
            "signals": {"tests_passed": 1 if self.passed else 0, "tests_total": 1, "compiled": True, "lint_clean": True,
                        "steps": len(self.steps), "estimated_steps": {"min": 1, "max": 10}},
            "verification_passed": self.passed, "total_steps": len(self.steps),
            "total_tokens": sum(55 + 2 * n for n in range(1, len(self.steps) + 1)), "execution_time_seconds": 12.25,
            "final_patch": self.final_patch}, at=self.start + timedelta(seconds=len(self.steps) + 2)))
