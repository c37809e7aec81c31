#!/usr/bin/env bash
# The executor's container path (Sandbox over DockerClient) beside plain
# Engine API calls (raw_engine.py: Python http.client on the unix socket), in
# one run, against the same dockerd and image. Release build.
#   bench/executor/run.sh [ITERATIONS] [CONCURRENCY_LIST] [STEPS]
# CONCURRENCY_LIST is a ramp: it stops once throughput has stopped rising.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$SYNTH_ROOT"
iterations=${1:-30} concurrency=${2:-1,2,3,4,6,8,12,16} steps=${3:-5}
scratch=${SYNTH_BENCH_BUILD_DIR:-$SYNTH_ROOT/.build-bench}
# release unless told otherwise (a debug figure is only a lower bound).
configuration=${SYNTH_BENCH_CONFIGURATION:-release}
swift build -c "$configuration" --scratch-path "$scratch" --product synth-bench-executor >&2
raw=$(mktemp) execs=$(mktemp)
# A run interrupted mid-episode leaves its containers behind; this bench's
# containers carry the label below, and every run sweeps them at both ends.
sweep() { docker ps -aq --filter label=synth.stack=bench-executor | xargs -r docker rm -f >/dev/null 2>&1 || true; }
trap 'rm -f "$raw" "$execs"; sweep' EXIT
sweep
# The raw side runs the executor's exact step exec (command + state).
"$scratch/$configuration/synth-bench-executor" --write-execs "$execs"
log "raw Engine API (python http.client over $SYNTH_DOCKER_SOCKET), image $SYNTH_BASE_IMAGE"
python3 bench/executor/raw_engine.py --out "$raw" --execs "$execs" --image "$SYNTH_BASE_IMAGE" --iterations "$iterations"
log "synth: SynthSandbox.Sandbox over SynthDocker.DockerClient ($configuration build)"
"$scratch/$configuration/synth-bench-executor" --raw "$raw" --image "$SYNTH_BASE_IMAGE" --iterations "$iterations" \
  --concurrency "$concurrency" --steps "$steps"
