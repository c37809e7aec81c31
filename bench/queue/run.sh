#!/usr/bin/env bash
# The queue core benchmark beside redis-benchmark, on the same Redis, in one
# run. Release build. Uses Redis database 63 (flushed), not a stack's.
#   bench/queue/run.sh [TASKS] [CONCURRENCY] [BATCH] [CAPACITY] [MAX_BACKLOG] [RUNS]
# MAX_BACKLOG (default 20000, 0 = none) bounds the tasks enqueued and not yet
# acked; each batched way runs RUNS times (default 3) and its median is printed.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$SYNTH_ROOT"
tasks=${1:-200000} concurrency=${2:-8} batch=${3:-100} capacity=${4:-64} backlog=${5:-20000} runs=${6:-3}
scratch=${SYNTH_BENCH_BUILD_DIR:-$SYNTH_ROOT/.build-bench}
swift build -c release --scratch-path "$scratch" --product synth-bench-queue >&2
db=63
log "redis-benchmark on 127.0.0.1:$SYNTH_REDIS_PORT db $db (-c $concurrency, no pipelining, like the queue client)"
redis-benchmark -p "$SYNTH_REDIS_PORT" --dbnum $db -c "$concurrency" -n 200000 --csv -t set,get,zadd,zpopmin 2>/dev/null
# A minimal two-call EVAL: the floor of any Lua-scripted queue operation.
redis-benchmark -p "$SYNTH_REDIS_PORT" --dbnum $db -c "$concurrency" -n 200000 --csv \
  eval "redis.call('ZADD', KEYS[1], 1, ARGV[1]) redis.call('ZPOPMIN', KEYS[1]) return 1" 1 bench:z member 2>/dev/null
# Pipelined: what this Redis does when round trips are amortised, as batches amortise them.
log "redis-benchmark pipelined (-c $concurrency -P 32)"
redis-benchmark -p "$SYNTH_REDIS_PORT" --dbnum $db -c "$concurrency" -P 32 -n 1000000 --csv -t set,zadd 2>/dev/null
log "synth queue core: enqueue -> lease -> ack, $concurrency producers and $concurrency workers; one task per call, then batched"
"$scratch/release/synth-bench-queue" --redis "redis://127.0.0.1:$SYNTH_REDIS_PORT/$db" --tasks "$tasks" --concurrency "$concurrency" \
  --batch "$batch" --capacity "$capacity" --max-backlog "$backlog" --runs "$runs"
redis-cli -p "$SYNTH_REDIS_PORT" -n $db FLUSHDB >/dev/null
