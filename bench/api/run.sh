#!/usr/bin/env bash
# API batch ingest (Postgres + Kafka through the outbox) beside a raw
# Postgres insert of the same rows, in one run. Release build of synth-api,
# its own database (synth_bench_api) and port; needs scripts/stack.sh up.
#   bench/api/run.sh [BATCHES] [SIZE]
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$SYNTH_ROOT"
batches=${1:-5} size=${2:-10000}
scratch=${SYNTH_BENCH_BUILD_DIR:-$SYNTH_ROOT/.build-bench}
# SYNTH_BENCH_API_BIN: an already built synth-api to measure instead (an older build, for a before/after pair).
binary=${SYNTH_BENCH_API_BIN:-$scratch/release/synth-api}
[ -n "${SYNTH_BENCH_API_BIN:-}" ] || swift build -c release --scratch-path "$scratch" --product synth-api >&2
swift build -c release --scratch-path "$scratch" --product synth-dev-broker >&2
db=${SYNTH_BENCH_API_DB:-synth_bench_api} port=${SYNTH_BENCH_API_PORT:-8990} key=bench-key-0123456789abcdef
url=postgresql://synth@127.0.0.1:$SYNTH_PG_PORT/$db
psql "postgresql://synth@127.0.0.1:$SYNTH_PG_PORT/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
# A dev broker of its own: the relayed TaskSubmitted events must never reach
# the local stack's synth.tasks topic, where a scheduler would queue them.
bootstrap="$SYNTH_HOME/bench-api-kafka.bootstrap"
rm -f "$bootstrap"
"$scratch/release/synth-dev-broker" --bootstrap-file "$bootstrap" >"$SYNTH_HOME/logs/bench-api-broker.log" 2>&1 &
broker=$!
trap 'kill -TERM $broker 2>/dev/null; wait $broker 2>/dev/null || true' EXIT
wait_for "the bench's dev broker" 30 test -s "$bootstrap"
SYNTH_KAFKA_BOOTSTRAP_FILE=$bootstrap SYNTH_DATABASE_URL=$url SYNTH_REDIS_URL=redis://127.0.0.1:$SYNTH_REDIS_PORT/${SYNTH_BENCH_API_REDIS_DB:-62} SYNTH_HTTP_PORT=$port SYNTH_API_KEYS=bench:$key \
  SYNTH_LOG_LEVEL=warning "$binary" >"$SYNTH_HOME/logs/bench-api.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true; kill -TERM $broker 2>/dev/null; wait $broker 2>/dev/null || true' EXIT
wait_for "bench api" 60 curl -fsS "http://127.0.0.1:$port/ready"
log "load before: $(uptime)"
log "synth api: $batches batches of $size tasks, POST /api/v1/tasks/batch, until the outbox is relayed to Kafka"
# CPU seconds (user + system) of a process, from /proc; the machine is shared,
# so CPU per task says more than wall time.
cpu() { [ $# -gt 0 ] || { echo 0; return; }; awk -v hz="$(getconf CLK_TCK)" '{ s += ($14 + $15) / hz } END { printf "%.3f", s }' "${@/#//proc/}" 2>/dev/null || echo 0; }
backends() { psql "$url" -qAtc "SELECT pid || '/stat' FROM pg_stat_activity WHERE datname = '$db' AND pid <> pg_backend_pid()"; }
api_cpu_before=$(cpu "$pid/stat")
api=$(python3 "$SYNTH_ROOT/bench/api/ingest.py" --api "http://127.0.0.1:$port" --key "$key" --database-url "$url" --batches "$batches" --size "$size")
echo "$api"
# The api's pooled backends were all opened by this run, so their whole CPU is its share.
api_cpu=$(awk -v a="$(cpu "$pid/stat")" -v b="$api_cpu_before" 'BEGIN { printf "%.3f", a - b }')
pg_cpu=$(cpu $(backends))
awk -v a="$api_cpu" -v p="$pg_cpu" -v n=$((batches * size)) 'BEGIN {
  printf "cpu api_s=%.2f postgres_backends_s=%.2f api_us_per_task=%.1f postgres_us_per_task=%.1f\n", a, p, a * 1e6 / n, p * 1e6 / n }'
log "reference: one INSERT ... SELECT of the same number of rows of the same shape straight into Postgres (no validation, no events)"
total=$((batches * size))
reference=$(psql "$url" -qAt <<SQL
\timing on
INSERT INTO tasks (id, category, difficulty, definition, created_at)
SELECT 'ref-' || i, 'bugfix', 'easy', jsonb_build_object('instruction', 'benchmark task ' || i, 'category', 'bugfix',
       'difficulty', 'easy', 'docker_image', 'synth-python:bookworm', 'initial_files', jsonb_build_object('src/app.py', 'def add(a, b):'),
       'verification_tests', jsonb_build_array(jsonb_build_object('name', 't', 'command', 'python3 -m pytest -q tests'))), now()
FROM generate_series(1, $total) AS i;
SQL
)
reference_ms=$(echo "$reference" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
echo "$api $reference_ms" | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } ref = v["tasks"] / ($NF / 1000)
  printf "reference_insert rows=%d s=%.2f rows_per_s=%.0f\nratio stored=%.3f relayed=%.3f\n", v["tasks"], $NF / 1000, ref, v["stored_per_s"] / ref, v["relayed_per_s"] / ref }'
log "load after: $(uptime)"
