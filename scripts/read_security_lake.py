#!/usr/bin/env python3
"""Reads a Security Lake output tree with pyarrow and DuckDB and prints one JSON document (used by the tests).

    read_security_lake.py <root> [<source prefix glob>]

Output: {"files": [{"path", "rows", "codecs", "created_by", "row_groups", "columns", "sorted_by_time"}],
         "pyarrow": {<relative path>: [rows…]}, "duckdb_rows": {<relative path>: n},
         "seed": [{"description", "secberus_compliance", "eventDay", "accountId", "region"}…],
         "schemas": n}
"seed" is the seed's verification query (SELECT description, secberus_compliance … WHERE secberus_compliance
IS NOT NULL) run on DuckDB over the tree with Hive partitioning and string partition types; "schemas" counts the
distinct Parquet schemas per source location (1 per class when every file of a class has the same schema).
"""
import datetime
import glob
import json
import os
import sys

import duckdb
import pyarrow.parquet as pq


def plain(value):
    """JSON-safe form of a pyarrow value (timestamps as epoch milliseconds)."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return int(value.timestamp() * 1000)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def main():
    root = sys.argv[1]
    files = sorted(glob.glob(os.path.join(root, "**", "*.parquet"), recursive=True))
    out = {"files": [], "pyarrow": {}, "duckdb_rows": {}, "seed": [], "schemas": {}}
    con = duckdb.connect()
    sources = set()
    for path in files:
        rel = os.path.relpath(path, root)
        meta = pq.ParquetFile(path).metadata
        codecs = sorted({meta.row_group(g).column(c).compression for g in range(meta.num_row_groups)
                         for c in range(meta.num_columns)})
        table = pq.read_table(path)
        rows = [plain(r) for r in table.to_pylist()]
        times = [r.get("time") for r in rows]
        out["files"].append({
            "path": rel, "rows": meta.num_rows, "codecs": codecs, "created_by": meta.created_by,
            "row_groups": meta.num_row_groups, "columns": meta.num_columns,
            "sorted_by_time": times == sorted(times),
        })
        out["pyarrow"][rel] = rows
        out["duckdb_rows"][rel] = con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()[0]
        sources.add(rel.split("/region=")[0])
    for source in sorted(sources):
        pattern = os.path.join(root, source, "region=*", "accountId=*", "eventDay=*", "*.parquet")
        quoted = "'" + pattern.replace("'", "''") + "'"
        con.execute(
            f"CREATE OR REPLACE VIEW sl AS SELECT * FROM read_parquet({quoted}, hive_partitioning = true, "
            "union_by_name = true, hive_types = {'region': VARCHAR, 'accountId': VARCHAR, 'eventDay': VARCHAR})")
        query = ("SELECT description, secberus_compliance, eventDay, accountId, region FROM sl "
                 "WHERE secberus_compliance IS NOT NULL")
        for description, compliance, day, account, region in con.execute(query).fetchall():
            out["seed"].append({"source": source, "description": description,
                                "secberus_compliance": plain(compliance),
                                "eventDay": day, "accountId": account, "region": region})
        signature = ("SELECT count(DISTINCT sig) FROM (SELECT file_name, string_agg(name || ':' || "
                     "coalesce(type, 'group') || ':' || coalesce(repetition_type, '') || ':' || "
                     "coalesce(logical_type, ''), ',' ORDER BY name) AS sig FROM parquet_schema(?) GROUP BY file_name)")
        out["schemas"][source] = con.execute(signature, [pattern]).fetchone()[0]
    json.dump(out, sys.stdout, default=str)


if __name__ == "__main__":
    main()
