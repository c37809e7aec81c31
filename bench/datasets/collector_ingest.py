"""Collector ingest benchmark: how many StepExecuted events per second a collector turns into
Postgres rows, beside a raw COPY of the same rows into a table of the same shape, in one run.

    python3 bench/datasets/collector_ingest.py --collector BIN --database-url URL [--events N] [--steps S]

1. Produces N step events (N/S trajectories of S steps) into synth.steps with kcat while no
   collector of the group is running, so they wait in Kafka as a backlog.
2. Starts the collector binary (its own database and port) and polls Postgres. The ingest rate is
   timed from the first of these rows to appear until the last one has: a backlog drained at
   full speed, with neither kcat nor the group join in the figure. The time from the process
   start is printed too.
3. Reference: `\\copy` of the same N rows (trajectory_id, step_number, transition json) through
   psql into a scratch table with the same columns and primary key.
4. The collector's CPU time (user + system, from /proc, all of the run) per event: the figure to
   compare changes by on a shared machine, where the rates follow the load. Beside it the CPU
   of the collector's Postgres backends (read from /proc before it stops) and of the `\copy`
   backend (read by its own psql session after the copy), per row.

bench/datasets/collector_run.sh builds the release collector and runs this. Stop the stack's own
collector first (scripts/services.sh down): it is in the same consumer group and would take
half the partitions."""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "e2e"))
from dataset_support import Trajectory, produce  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--collector", required=True)
parser.add_argument("--database-url", required=True)
parser.add_argument("--port", type=int, default=8991)
parser.add_argument("--events", type=int, default=50000)
parser.add_argument("--steps", type=int, default=50)
parser.add_argument("--log", default=os.devnull)
args = parser.parse_args()


def psql(sql):
    result = subprocess.run(["psql", args.database_url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                            capture_output=True, timeout=300)
    if result.returncode != 0:
        raise SystemExit("psql failed: %s" % result.stderr.decode())
    return result.stdout.decode().strip()


trajectories = [Trajectory("bench-" + uuid.uuid4().hex[:10], "bench-model", args.steps, True, 1.0)
                for _ in range(args.events // args.steps)]
batch = [event for t in trajectories for event in t.step_events()]
count_sql = "SELECT count(*) FROM transitions WHERE trajectory_id = ANY(string_to_array('%s', ','))" % ",".join(
    t.trajectory_id for t in trajectories)

started = time.perf_counter()
produce("synth.steps", batch)
produce_seconds = time.perf_counter() - started

environment = dict(os.environ, SYNTH_DATABASE_URL=args.database_url, SYNTH_HTTP_PORT=str(args.port), SYNTH_LOG_LEVEL="warning")
with open(args.log, "ab") as log:
    collector = subprocess.Popen([args.collector], env=environment, stdout=log, stderr=log)
launched = time.perf_counter()
first_seen = first_count = None
count = 0

def ready():
    try:
        return urllib.request.urlopen("http://127.0.0.1:%d/ready" % args.port, timeout=2).status == 200
    except OSError:
        return False


def cpu_seconds_of(stat_line):
    fields = stat_line.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def collector_cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as stat:
        return cpu_seconds_of(stat.read())


def postgres_backends_cpu_seconds():
    """The collector's connections to its database (psql's own are named psql). Postgres runs on
    this machine (scripts/stack.sh), so its backends' /proc is readable."""
    pids = psql("SELECT string_agg(pid::text, ',') FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'client backend' AND application_name <> 'psql'")
    total = 0.0
    for pid in filter(None, pids.split(",")):
        try:
            with open("/proc/%s/stat" % pid) as stat:
                total += cpu_seconds_of(stat.read())
        except OSError:
            pass
    return total


try:
    deadline = launched + 900
    # Ready means the database is migrated, so the count below has a table to read.
    while not ready() and time.perf_counter() < deadline:
        if collector.poll() is not None:
            raise SystemExit("the collector exited with %s (log: %s)" % (collector.returncode, args.log))
        time.sleep(0.05)
    while time.perf_counter() < deadline:
        count = int(psql(count_sql))
        now = time.perf_counter()
        if count and first_seen is None:
            first_seen, first_count = now, count
        if count >= len(batch):
            break
        if collector.poll() is not None:
            raise SystemExit("the collector exited with %s (log: %s)" % (collector.returncode, args.log))
        time.sleep(0.05)
    done = time.perf_counter()
    # CPU the collector used (user + system) for the whole backlog: on this shared machine the
    # rate depends on what else runs, the CPU per event much less.
    cpu_seconds = collector_cpu_seconds(collector.pid)
    postgres_cpu_seconds = postgres_backends_cpu_seconds()
finally:
    collector.send_signal(signal.SIGTERM)
    collector.wait(timeout=60)
if count < len(batch) or first_seen is None or done <= first_seen:
    raise SystemExit("only %d of %d rows stored" % (count, len(batch)))
ingest_rate = (count - first_count) / (done - first_seen)

# Reference: the same rows, COPY'd straight into a table of the same shape.
with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as rows:
    for key, envelope in batch:
        payload = envelope["payload"]
        text = json.dumps(payload["transition"], ensure_ascii=False).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        rows.write("%s\t%d\t%s\n" % (payload["trajectory_id"], payload["transition"]["step_number"], text))
psql("DROP TABLE IF EXISTS bench_transitions_copy; CREATE TABLE bench_transitions_copy (LIKE transitions INCLUDING ALL)")
copy_started = time.perf_counter()
# The backend's CPU is read by the same session right after the copy (it ends with psql).
copy_script = ("\\copy bench_transitions_copy (trajectory_id, step_number, transition) FROM '%s'\n"
               "SELECT pg_backend_pid() AS backend \\gset\n\\setenv SYNTH_COPY_BACKEND :backend\n"
               "\\! cat /proc/$SYNTH_COPY_BACKEND/stat\n") % rows.name
copy_stat = subprocess.run(["psql", args.database_url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"], input=copy_script.encode(),
                           check=True, timeout=600, capture_output=True).stdout.decode()
copy_seconds = time.perf_counter() - copy_started
copy_cpu_seconds = cpu_seconds_of(copy_stat.strip().splitlines()[-1])
copied = int(psql("SELECT count(*) FROM bench_transitions_copy"))
psql("DROP TABLE bench_transitions_copy")
os.unlink(rows.name)
copy_rate = copied / copy_seconds

print(json.dumps({
    "events": len(batch), "trajectories": len(trajectories), "stored": count, "produce_seconds": round(produce_seconds, 3),
    "seconds_from_collector_start": round(done - launched, 3), "ingest_seconds": round(done - first_seen, 3),
    "ingest_events": count - first_count, "events_per_second": round(ingest_rate),
    "copy_rows": copied, "copy_seconds": round(copy_seconds, 3), "copy_rows_per_second": round(copy_rate),
    "ratio_vs_copy": round(ingest_rate / copy_rate, 3), "collector_cpu_seconds": round(cpu_seconds, 2),
    "collector_cpu_us_per_event": round(cpu_seconds / len(batch) * 1e6, 1),
    "postgres_cpu_us_per_event": round(postgres_cpu_seconds / len(batch) * 1e6, 1),
    "copy_postgres_cpu_us_per_row": round(copy_cpu_seconds / copied * 1e6, 1), "load_average": os.getloadavg()[0]}))
