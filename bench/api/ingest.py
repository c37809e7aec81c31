#!/usr/bin/env python3
"""API batch ingest: POST batches of tasks to a running synth-api and time
them until every task is in Postgres (the reply) and relayed to Kafka (the
outbox is empty again). Standard library only; bench/api/run.sh drives it.

    ingest.py --api URL --key KEY --database-url URL [--batches 5] [--size 10000]
"""
import argparse
import json
import subprocess
import time
import urllib.request
import uuid


def task(index, run):
    return {"instruction": "benchmark task %d: make the tests pass" % index, "category": ["bugfix", "feature", "refactor"][index % 3],
            "difficulty": ["easy", "medium", "hard", "expert"][index % 4], "docker_image": "synth-python:bookworm",
            "external_id": "bench-%s-%d" % (run, index), "tags": ["bench", run],
            "initial_files": {"src/app.py": "def add(a, b):\n    return a - b\n"},
            "verification_tests": [{"name": "t", "command": "python3 -m pytest -q tests"}],
            "reference_solution": [{"tool": "read", "arguments": {"path": "src/app.py"}}]}


def outbox_rows(database_url):
    out = subprocess.run(["psql", database_url, "-Atc", "SELECT count(*) FROM outbox"], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--size", type=int, default=10000)
    args = parser.parse_args()
    run = uuid.uuid4().hex[:8]
    bodies = [json.dumps([task(b * args.size + i, run) for i in range(args.size)]).encode() for b in range(args.batches)]
    started = time.monotonic()
    accepted = 0
    for body in bodies:
        request = urllib.request.Request(args.api + "/api/v1/tasks/batch", data=body, method="POST",
                                         headers={"Content-Type": "application/json", "Authorization": "Bearer " + args.key})
        with urllib.request.urlopen(request, timeout=600) as response:
            reply = json.loads(response.read())
        assert reply["created"] == args.size, {k: reply[k] for k in ("accepted", "created", "rejected")}
        accepted += reply["created"]
    stored = time.monotonic() - started
    while outbox_rows(args.database_url) > 0:
        time.sleep(0.02)
    relayed = time.monotonic() - started
    total = args.batches * args.size
    print("api_ingest tasks=%d batch=%d bytes_per_task=%d stored_s=%.2f stored_per_s=%.0f relayed_s=%.2f relayed_per_s=%.0f"
          % (total, args.size, len(bodies[0]) // args.size, stored, total / stored, relayed, total / relayed))


if __name__ == "__main__":
    main()
