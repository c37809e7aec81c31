"""Times pyarrow writing the same table SynthParquet wrote (read back from its file),
single-threaded, with the same codec, row-group size and dictionary setting.
  pyarrow_write.py <source.parquet> <target.parquet> <none|snappy|zstd> [row_group_size] [table|pylist]
table (default): pq.write_table of the table in memory (Arrow arrays, like write(columns:)).
pylist: pa.Table.from_pylist of the rows as Python dicts, then pq.write_table (building the
        arrays from records, like the exporter building its columns from trajectories)."""
import json
import os
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq

source, target, codec = sys.argv[1], sys.argv[2], sys.argv[3]
row_group_size = int(sys.argv[4]) if len(sys.argv) > 4 else 100_000
mode = sys.argv[5] if len(sys.argv) > 5 else "table"
pa.set_cpu_count(1)
pa.set_io_thread_count(1)
table = pq.read_table(source)
records = table.to_pylist() if mode == "pylist" else None
best = None
best_cpu = None
for _ in range(3):
    started = time.perf_counter()
    started_cpu = time.process_time()
    written = pa.Table.from_pylist(records, schema=table.schema) if mode == "pylist" else table
    pq.write_table(written, target, compression=None if codec == "none" else codec, row_group_size=row_group_size,
                   use_dictionary=True, write_statistics=True)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - started_cpu
    best = elapsed if best is None else min(best, elapsed)
    best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
print(json.dumps({"writer": "pyarrow %s" % pa.__version__, "rows": table.num_rows, "seconds": best,
                  "rows_per_second": table.num_rows / best, "cpu_seconds": best_cpu,
                  "bytes": os.path.getsize(target)}))
