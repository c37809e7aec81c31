#!/usr/bin/env bash
# Collector ingest benchmark: a release build of synth-collector drains a backlog of
# StepExecuted events into its own database, beside a psql \copy of the same rows, in one run.
# Needs scripts/stack.sh up, and the stack's own collector stopped (scripts/services.sh down):
# it is in the same consumer group.
#   bench/datasets/collector_run.sh [EVENTS] [STEPS_PER_TRAJECTORY]
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$SYNTH_ROOT"
events=${1:-50000} steps=${2:-50}
scratch=${SYNTH_BENCH_BUILD_DIR:-$SYNTH_ROOT/.build-bench}
swift build -c release --scratch-path "$scratch" --product synth-collector >&2
pid=$(cat "$SYNTH_HOME/pids/collector.pid" 2>/dev/null || true)
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then die "the stack's collector is running (scripts/services.sh down first)"; fi
db=${SYNTH_PG_DB}_bench_collector port=${SYNTH_BENCH_COLLECTOR_PORT:-$(( ${SYNTH_PORT_BASE:-8400} + 90 ))}
url=postgresql://synth@127.0.0.1:$SYNTH_PG_PORT/$db
psql "postgresql://synth@127.0.0.1:$SYNTH_PG_PORT/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
# The collector migrates its database at start; the reference table copies the migrated shape.
mkdir -p "$SYNTH_HOME/logs"
log "release synth-collector: $events step events ($steps per trajectory) from a Kafka backlog into Postgres; then psql \\copy of the same rows"
python3 bench/datasets/collector_ingest.py --collector "$scratch/release/synth-collector" --database-url "$url" --port "$port" \
  --events "$events" --steps "$steps" --log "$SYNTH_HOME/logs/bench-collector.log"
