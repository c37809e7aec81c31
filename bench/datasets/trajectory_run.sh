#!/usr/bin/env bash
# The exporter's shard writing of the trajectory table (TrajectoryTable.schema: 26 fields, nested
# messages/tool calls/steps, token ids, logprobs) against pyarrow writing the same table with the
# same codec and row-group size (10,000, the exporter's default), in one run. Release build.
#   bench/datasets/trajectory_run.sh [rows] ["zstd snappy none"]
#
# What each line times:
#   exporter: TrajectoryColumns + write(columns:)   ShardedDatasetWriter<TrajectoryColumns>: building
#                                   the columns from decoded trajectories, write(columns:), close();
#                                   what the exporter does per page of Postgres rows after decoding.
#   writer alone: prebuilt columns + write(columns:)  the whole table's columns built before timing;
#                                   only write(columns:) and close() timed: like for like with
#                                   pyarrow's write_table of a table already in memory.
#   exporter (former): .row + write(rows:)          the same trajectories as [ParquetValue] rows
#                                   through write(row:) (the path the exporter used before).
#   pyarrow from_pylist + write_table               the table's rows as Python dicts (read back from
#                                   the exporter's shard, not timed) turned into Arrow arrays and written:
#                                   the counterpart of building columns from records.
#   pyarrow write_table             the table read back from the exporter's shard (read not timed),
#                                   written from Arrow arrays in memory.
# Both sides are single-threaded; best of three runs each (the Swift runs in one process). Decoding the Postgres rows' JSON
# (ExportedTrajectory(row:)) happens before timing on the Swift side; decode_seconds shows it.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-20000}
codecs=${2:-zstd snappy none}
scratch=${SYNTH_BENCH_SCRATCH:-.build-bench}
swift build -c release --scratch-path "$scratch" --product synth-bench-dataset >/dev/null
bin="$scratch/release/synth-bench-dataset"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| codec | writer: timed part | rows | seconds | rows/s | CPU seconds | bytes | speed vs pyarrow write_table (wall) | (CPU) | speed vs pyarrow from_pylist + write (wall) | size vs pyarrow |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for codec in $codecs; do
  columns=$("$bin" "$work/synth-$codec-columns" "$rows" "$codec" columns)
  prebuilt=$("$bin" "$work/synth-$codec-prebuilt" "$rows" "$codec" prebuilt)
  rowwise=$("$bin" "$work/synth-$codec-rows" "$rows" "$codec" rows)
  shard=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["path"])' "$columns")
  arrow=$(python3 bench/datasets/pyarrow_write.py "$shard" "$work/arrow-$codec.parquet" "$codec" 10000 table)
  pylist=$(python3 bench/datasets/pyarrow_write.py "$shard" "$work/arrow-pylist-$codec.parquet" "$codec" 10000 pylist)
  python3 - "$codec" "$columns" "$prebuilt" "$rowwise" "$pylist" "$arrow" <<'PY'
import json, sys
codec, columns, prebuilt, rowwise, pylist, arrow = sys.argv[1], *(json.loads(a) for a in sys.argv[2:])
lines = [
    ("exporter: TrajectoryColumns + write(columns:)", columns),
    ("writer alone: prebuilt columns + write(columns:)", prebuilt),
    ("exporter (former): .row + write(rows:)", rowwise),
    ("%s: from_pylist + write_table" % arrow["writer"], pylist),
    ("%s: write_table" % arrow["writer"], arrow),
]
for name, run in lines:
    print("| %s | %s | %d | %.3f | %.0f | %.3f | %d | %.2fx | %.2fx | %.2fx | %.3fx |" % (
        codec, name, run["rows"], run["seconds"], run["rows"] / run["seconds"], run["cpu_seconds"], run["bytes"],
        arrow["seconds"] / run["seconds"], arrow["cpu_seconds"] / run["cpu_seconds"], pylist["seconds"] / run["seconds"],
        run["bytes"] / arrow["bytes"]))
print("| %s | (exporter, not timed above: decoding the Postgres rows' JSON) | %d | %.3f | %.0f | | | | | | |" % (
    codec, columns["rows"], columns["decode_seconds"], columns["rows"] / columns["decode_seconds"]))
PY
done
