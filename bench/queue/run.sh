#!/usr/bin/env bash
# The queue core benchmark beside redis-benchmark, on the same Redis, in one
# run. Release build. Uses Redis database 63 (flushed), not a stack's.
#   bench/queue/run.sh [TASKS] [CONCURRENCY]
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$SYNTH_ROOT"
tasks=${1:-100000} concurrency=${2:-32}
scratch=${SYNTH_BENCH_BUILD_DIR:-$SYNTH_ROOT/.build-bench}
swift build -c release --scratch-path "$scratch" --product synth-bench-queue >&2
db=63
log "redis-benchmark on 127.0.0.1:$SYNTH_REDIS_PORT db $db (-c $concurrency, no pipelining, like the queue client)"
redis-benchmark -p "$SYNTH_REDIS_PORT" --dbnum $db -c "$concurrency" -n 200000 --csv -t set,get,zadd,zpopmin 2>/dev/null
# A minimal two-call EVAL: the floor of any Lua-scripted queue operation.
redis-benchmark -p "$SYNTH_REDIS_PORT" --dbnum $db -c "$concurrency" -n 200000 --csv \
  eval "redis.call('ZADD', KEYS[1], 1, ARGV[1]) redis.call('ZPOPMIN', KEYS[1]) return 1" 1 bench:z member 2>/dev/null
log "synth queue core: enqueue -> lease -> ack, $tasks tasks, $concurrency producers and $concurrency workers"
"$scratch/release/synth-bench-queue" --redis "redis://127.0.0.1:$SYNTH_REDIS_PORT/$db" --tasks "$tasks" --concurrency "$concurrency"
redis-cli -p "$SYNTH_REDIS_PORT" -n $db FLUSHDB >/dev/null
