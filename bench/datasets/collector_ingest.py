"""Collector ingest benchmark: how many StepExecuted events per second the running
collector turns into Postgres rows. Produces N step events (for N/steps trajectories)
into synth.steps with kcat in one go, then times until every transition is in Postgres.

    python3 bench/datasets/collector_ingest.py [events] [steps_per_trajectory]

Run against a stack started with scripts/stack.sh and a collector from a release build
(SYNTH_BUILD_DIR pointing at it); the SYNTH_* variables select the stack."""
import os
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "e2e"))
from dataset_support import Trajectory, produce, psql  # noqa: E402

events = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
per = int(sys.argv[2]) if len(sys.argv) > 2 else 50
trajectories = [Trajectory("bench-" + uuid.uuid4().hex[:10], "bench-model", per, True, 1.0) for _ in range(events // per)]
batch = [event for t in trajectories for event in t.step_events()]
ids = ",".join(t.trajectory_id for t in trajectories)

started = time.perf_counter()
produce("synth.steps", batch)
produced = time.perf_counter()
deadline = started + 600
count = 0
while time.perf_counter() < deadline:
    count = int(psql("SELECT count(*) FROM transitions WHERE trajectory_id = ANY(string_to_array(:'p1', ','))", ids))
    if count >= len(batch):
        break
    time.sleep(0.05)
elapsed = time.perf_counter() - started
print('{"events": %d, "stored": %d, "produce_seconds": %.3f, "seconds": %.3f, "events_per_second": %.0f}'
      % (len(batch), count, produced - started, elapsed, count / elapsed))
