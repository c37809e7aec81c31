#!/usr/bin/env bash
# Parquet write benchmark: SynthParquet against pyarrow writing the same table with the same
# codec, in one run. Release build. Prints a Markdown table for docs/BENCHMARKS.md.
#   bench/datasets/run.sh [rows]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-200000}
scratch=${SYNTH_BENCH_SCRATCH:-.build-bench}
swift build -c release --scratch-path "$scratch" --product synth-bench-parquet >/dev/null
bin="$scratch/release/synth-bench-parquet"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Wall time is the goal's measure; CPU seconds are shown too because the shared machine is often
# loaded, and then wall time depends on which writer the scheduler happened to favour.
echo "| codec | writer | rows | seconds | rows/s | CPU seconds | bytes | speed vs pyarrow (wall) | speed vs pyarrow (CPU) | size vs pyarrow |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for codec in none snappy zstd; do
  best=""
  for _ in 1 2 3; do   # best of three, like the pyarrow side
    run=$("$bin" "$work/synth-$codec.parquet" "$rows" "$codec")
    best=$(python3 - "$best" "$run" <<'PY'
import json, sys
old, new = sys.argv[1], json.loads(sys.argv[2])
print(json.dumps(new if not old or new["seconds"] < json.loads(old)["seconds"] else json.loads(old)))
PY
)
  done
  arrow=$(python3 bench/datasets/pyarrow_write.py "$work/synth-$codec.parquet" "$work/arrow-$codec.parquet" "$codec")
  python3 - "$codec" "$best" "$arrow" <<'PY'
import json, sys
codec, ours, theirs = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
for r in (ours, theirs):
    speed = ours["rows_per_second"] / theirs["rows_per_second"] if r is ours else 1.0
    cpu = theirs["cpu_seconds"] / ours["cpu_seconds"] if r is ours else 1.0
    size = ours["bytes"] / theirs["bytes"] if r is ours else 1.0
    print("| %s | %s | %d | %.3f | %.0f | %.3f | %d | %.2fx | %.2fx | %.3fx |" % (
        codec, r["writer"], r["rows"], r["seconds"], r["rows_per_second"], r["cpu_seconds"], r["bytes"], speed, cpu, size))
PY
done
