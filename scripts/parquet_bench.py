#!/usr/bin/env python3
"""The pyarrow side of scripts/parquet_bench.sh: pyarrow writes the rows ParquetBench wrote, and both files are
checked to hold the same table.

Usage: parquet_bench.py DIR SWIFT_JSON_LINE [LEVEL]

Reads DIR/rows.ndjson (the rows) and DIR/lakemark.parquet (the Swift writer's file). Builds the Arrow table from the
NDJSON with the schema of lakemark.parquet, then times (best of 3):
  - write:      pq.write_table(table, zstd LEVEL), the table already in Arrow memory (columnar);
  - rows+write: pa.Table.from_pylist(rows) + write_table, from Python row objects (row-oriented, like ParquetBench).
Checks that pyarrow reads lakemark.parquet as exactly that table, then prints a Markdown report.
"""
import io
import json
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq


def best_of(function, repeat=3):
    """Best wall-clock and best process-CPU seconds of `repeat` runs, and the last result."""
    best = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = function()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu_start)
    return best, best_cpu, result


def main():
    directory, swift = sys.argv[1], json.loads(sys.argv[2])
    level = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    ours = pq.read_table(f"{directory}/lakemark.parquet")
    schema = ours.schema
    with open(f"{directory}/rows.ndjson", "rb") as handle:
        rows = [json.loads(line) for line in handle]
    table = pa.Table.from_pylist(rows, schema=schema)
    if not ours.equals(table):
        for name in schema.names:
            if not ours.column(name).equals(table.column(name)):
                print(f"MISMATCH in column {name}", file=sys.stderr)
        sys.exit(1)

    def write():
        sink = io.BytesIO()
        pq.write_table(table, sink, compression="zstd", compression_level=level)
        return sink.getbuffer().nbytes

    def rows_and_write():
        sink = io.BytesIO()
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), sink, compression="zstd", compression_level=level)
        return sink.getbuffer().nbytes

    write_seconds, write_cpu, pyarrow_bytes = best_of(write)
    rows_write_seconds, rows_write_cpu, _ = best_of(rows_and_write)

    n = swift["rows"]
    mb = swift["ndjson_bytes"] / 1e6
    ours_seconds, ours_cpu = swift["parquet_seconds"], swift["parquet_cpu_seconds"]

    def line(name, seconds, cpu, size):
        cpu_rate = f"{n / cpu:,.0f}" if cpu else "-"
        return f"| {name} | {n / seconds:,.0f} | {mb / seconds:,.1f} | {cpu_rate} | {size / 1e6:,.2f} |"

    print(f"rows: {n:,}, leaf columns: {swift['columns']}, NDJSON: {mb:,.1f} MB; "
          f"pyarrow {pa.__version__}, zstd level {level}")
    print("pyarrow reads lakemark.parquet as exactly the table built from the NDJSON: yes")
    print()
    print("| writer | rows/s (wall) | MB/s (wall, NDJSON-equivalent) | rows/s (per CPU second) | output MB |")
    print("|---|---|---|---|---|")
    print(line("lakemark ParquetFileWriter (rows → file)", ours_seconds, ours_cpu, swift["parquet_bytes"]))
    print(line("pyarrow write_table (Arrow table → file)", write_seconds, write_cpu, pyarrow_bytes))
    print(line("pyarrow from_pylist + write_table (rows → file)", rows_write_seconds, rows_write_cpu,
               pyarrow_bytes))
    print(line("gzip level 1 NDJSON (Codecs.Gzip)", swift["gzip1_seconds"], 0, swift["gzip1_bytes"]))
    print()
    print(f"throughput ratio lakemark / pyarrow write_table: wall {write_seconds / ours_seconds:.2f}, "
          f"CPU {write_cpu / ours_cpu:.2f}")
    print(f"throughput ratio lakemark / pyarrow from_pylist + write_table: wall "
          f"{rows_write_seconds / ours_seconds:.2f}, CPU {rows_write_cpu / ours_cpu:.2f}")
    print(f"size: lakemark {swift['parquet_bytes'] / 1e6:.2f} MB, pyarrow {pyarrow_bytes / 1e6:.2f} MB, "
          f"gzip-1 NDJSON {swift['gzip1_bytes'] / 1e6:.2f} MB, gzip-6 NDJSON {swift['gzip6_bytes'] / 1e6:.2f} MB; "
          f"lakemark is {swift['parquet_bytes'] / swift['gzip1_bytes']:.1%} of gzip-1 NDJSON "
          f"and {swift['parquet_bytes'] / swift['gzip6_bytes']:.1%} of gzip-6")


if __name__ == "__main__":
    main()
