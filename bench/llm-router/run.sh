#!/usr/bin/env bash
# Router benchmark: synth-llm-router (release build) and the LiteLLM proxy
# (from PyPI) side by side, in one run, in front of the same fake upstream
# with a fixed latency. Measures latency added over calling the upstream
# directly (p50/p99) at concurrency 1 and 64, open-loop latency at a fixed
# rate, and the highest RPS each sustains. Everything on 127.0.0.1; every
# run is bounded by --duration.
#
#   bench/llm-router/run.sh            # needs the local stack: scripts/stack.sh up
#
# Env: BENCH_DURATION (s, default 10), BENCH_LATENCY_MS (default 20),
# BENCH_RATE (default 1000), BENCH_MAX_CONCURRENCY (default 256), LITELLM_VERSION
# (default pinned below).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

DURATION=${BENCH_DURATION:-10}
LATENCY_MS=${BENCH_LATENCY_MS:-20}
RATE=${BENCH_RATE:-1000}
MAX_CONCURRENCY=${BENCH_MAX_CONCURRENCY:-256}
LITELLM_VERSION=${LITELLM_VERSION:-1.108.7}
SCRATCH=${BENCH_SCRATCH:-.build-router}
OUT=$SYNTH_HOME/bench/llm-router
VENV=$SYNTH_HOME/bench-venv
mkdir -p "$OUT"

echo "[bench] building the router in release mode"
nice -n 10 swift build -c release --scratch-path "$SCRATCH" --product synth-llm-router >"$OUT/build.log" 2>&1
ROUTER_BIN=$SCRATCH/release/synth-llm-router

# The proxy is usable only if its whole [proxy] extra imports: a venv left by
# an interrupted install has litellm itself but not, say, fastapi, so check
# the import and start from a fresh venv otherwise.
litellm_ready() {
  [ "$("$VENV/bin/pip" show litellm 2>/dev/null | awk '/^Version/{print $2}')" = "$LITELLM_VERSION" ] &&
    LITELLM_LOCAL_MODEL_COST_MAP=True LITELLM_TELEMETRY=False "$VENV/bin/python" -c 'import litellm.proxy.proxy_server' >/dev/null 2>&1
}
if ! litellm_ready; then
  echo "[bench] installing litellm[proxy]==$LITELLM_VERSION from PyPI into $VENV"
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  for attempt in 1 2 3; do
    "$VENV/bin/pip" install -q --retries 5 "litellm[proxy]==$LITELLM_VERSION" >"$OUT/pip.log" 2>&1 && break
    echo "[bench] pip install attempt $attempt failed (see $OUT/pip.log)"
  done
  litellm_ready || { echo "[bench] litellm[proxy] is not usable after installing; see $OUT/pip.log" >&2; exit 1; }
fi

echo "[bench] building the load generator and the fake upstream"
cc -O2 -o "$OUT/loadgen" bench/llm-router/loadgen.c
cc -O2 -o "$OUT/fake_upstream" bench/llm-router/fake_upstream.c

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UP_PORT=$(free_port); ROUTER_PORT=$(free_port); LITELLM_PORT=$(free_port)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
wait_http() {  # url, seconds
  for _ in $(seq 1 $(( $2 * 5 ))); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "[bench] $1 did not come up" >&2; return 1
}

"$OUT/fake_upstream" --port "$UP_PORT" --latency-ms "$LATENCY_MS" & pids+=($!)

cat >"$OUT/router.json" <<JSON
{"models": [{"name": "bench", "provider": "openai", "base_url": "http://127.0.0.1:$UP_PORT/v1",
             "input_price_per_million": 1.0, "output_price_per_million": 2.0}]}
JSON
SYNTH_HTTP_PORT=$ROUTER_PORT SYNTH_ROUTER_CONFIG=$OUT/router.json SYNTH_LOG_LEVEL=warning \
  "$ROUTER_BIN" >"$OUT/router.log" 2>&1 & pids+=($!)

cat >"$OUT/litellm.yaml" <<YAML
model_list:
  - model_name: bench
    litellm_params:
      model: openai/bench
      api_base: http://127.0.0.1:$UP_PORT/v1
      api_key: sk-bench
litellm_settings:
  set_verbose: false
  telemetry: false
general_settings:
  master_key: sk-bench   # the proxy refuses to start without one; the load generator sends it
YAML
# Offline: the bundled price map, no telemetry (the network here is 127.0.0.1 only).
LITELLM_LOCAL_MODEL_COST_MAP=True LITELLM_TELEMETRY=False LITELLM_LOG=ERROR "$VENV/bin/litellm" --config "$OUT/litellm.yaml" --host 127.0.0.1 --port "$LITELLM_PORT" \
  --num_workers 1 >"$OUT/litellm.log" 2>&1 & pids+=($!)

wait_http "http://127.0.0.1:$ROUTER_PORT/ready" 30
wait_http "http://127.0.0.1:$LITELLM_PORT/health/liveliness" 120

declare -A URL=(
  [direct]="http://127.0.0.1:$UP_PORT/v1/chat/completions"
  [synth]="http://127.0.0.1:$ROUTER_PORT/v1/chat/completions"
  [litellm]="http://127.0.0.1:$LITELLM_PORT/v1/chat/completions"
)
RESULTS=$OUT/results.jsonl
: >"$RESULTS"
run() {  # target, loadgen args...
  local target=$1; shift
  "$OUT/loadgen" --url "${URL[$target]}" --label "$target" --duration "$DURATION" "$@" | tee -a "$RESULTS"
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for target in direct synth litellm; do
  run "$target" --concurrency 1
  run "$target" --concurrency 64
  # The ceiling: 64 connections over a 20 ms upstream cap at 3,200 RPS, so
  # the highest rate a gateway sustains is measured with more of them.
  run "$target" --concurrency "$MAX_CONCURRENCY"
  run "$target" --rate "$RATE"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

python3 bench/llm-router/report.py "$RESULTS" --latency-ms "$LATENCY_MS" --duration "$DURATION" --rate "$RATE" \
  --max-concurrency "$MAX_CONCURRENCY" --load "$LOAD_BEFORE" "$LOAD_AFTER" --litellm "$("$VENV/bin/pip" show litellm | awk '/^Version/{print $2}')" >"$OUT/report.md"
cat "$OUT/report.md"
echo "[bench] raw results: $RESULTS; report: $OUT/report.md"
