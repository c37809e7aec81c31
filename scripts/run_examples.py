#!/usr/bin/env python3
"""Submit the example tasks to a running synth api, follow them to the end,
request a dataset export and print where it is. Standard library only.

    python3 scripts/run_examples.py [--api URL] [--timeout SECONDS] [SLUG ...]
"""
import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import examples  # noqa: E402

TERMINAL = {"succeeded", "partial", "failed", "timeout", "error", "cancelled"}
# The api wants a bearer key; scripts/services.sh installs this one for the local stack.
API_KEY = os.environ.get("SYNTH_API_KEY", "synth-local-dev-key")


def call(method, url, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer " + API_KEY,
                                              **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def submit(api, tasks):
    ids = []
    for task in tasks:
        status, body = call("POST", api + "/api/v1/tasks", task)
        if status not in (200, 201):
            raise SystemExit("submit %s failed: %s %s" % (task.get("external_id"), status, body))
        ids.append(body["id"])
    return ids


def wait_for_tasks(api, ids, timeout, progress=True):
    deadline = time.monotonic() + timeout
    states = {}
    while time.monotonic() < deadline:
        for task_id in ids:
            if states.get(task_id, {}).get("status") in TERMINAL:
                continue
            status, body = call("GET", api + "/api/v1/tasks/" + task_id)
            if status == 200:
                states[task_id] = body
        done = sum(1 for s in states.values() if s.get("status") in TERMINAL)
        if progress:
            counts = {}
            for s in states.values():
                counts[s["status"]] = counts.get(s["status"], 0) + 1
            print("\r[synth] tasks %d/%d finished  %s    " % (done, len(ids), "  ".join(
                "%s=%d" % kv for kv in sorted(counts.items()))), end="", file=sys.stderr, flush=True)
        if done == len(ids):
            if progress:
                print(file=sys.stderr)
            return [states[i] for i in ids]
        time.sleep(0.5)
    raise SystemExit("\ntimed out after %ss waiting for tasks: %s" % (timeout, {
        i: states.get(i, {}).get("status") for i in ids if states.get(i, {}).get("status") not in TERMINAL}))


def export(api, timeout, verified_only=False):
    status, body = call("POST", api + "/api/v1/trajectories/export", {"verified_only": verified_only})
    if status != 202:
        raise SystemExit("export request failed: %s %s" % (status, body))
    export_id = body["export_id"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = call("GET", api + "/api/v1/exports/" + export_id)
        if body.get("status") == "succeeded":
            return body
        if body.get("status") == "failed":
            raise SystemExit("export failed: %s" % body.get("error"))
        time.sleep(0.3)
    raise SystemExit("timed out waiting for export %s" % export_id)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", default="http://127.0.0.1:%d" % int(os.environ.get("SYNTH_PORT_BASE", "8400")))
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--image", default=examples.DEFAULT_IMAGE)
    parser.add_argument("slugs", nargs="*")
    args = parser.parse_args(argv)

    tasks = []
    for path in examples.example_dirs(examples.DEFAULT_EXAMPLES_DIR, args.slugs):
        task = examples.load_example(path)
        task["docker_image"] = args.image
        tasks.append(task)
    print("[synth] submitting %d example tasks (model: oracle, scaffold: minimal)" % len(tasks), file=sys.stderr)
    ids = submit(args.api, tasks)
    finished = wait_for_tasks(args.api, ids, args.timeout)
    for task, state in zip(tasks, finished):
        reward = (state.get("result") or {}).get("reward")
        print("  %-24s %-10s reward=%s %s" % (task["external_id"], state["status"],
                                                "-" if reward is None else "%.3f" % reward, state.get("reason") or ""),
              file=sys.stderr)
    result = export(args.api, 120)
    summary = result.get("summary") or {}
    print("[synth] dataset: %s" % result["path"])
    print("[synth] tasks: %d  passed: %d  mean reward: %.3f" % (
        summary.get("rows", 0), summary.get("passed", 0), summary.get("mean_reward", 0.0)))
    return 0 if all(s["status"] == "succeeded" for s in finished) else 1


if __name__ == "__main__":
    sys.exit(main())
