#!/usr/bin/env python3
"""Manual interoperability check of Parquet files with readers beyond the test suite's pyarrow and DuckDB.

Usage: parquet_interop_check.py FILE.parquet [...]

For each file: polars (a Rust reader) and Spark (parquet-java, the Hive/Athena lineage; local mode on 127.0.0.1,
UI off) must return exactly the rows pyarrow returns; then Spark runs a few filtered counts on string columns,
which exercise its statistics and dictionary-page filtering. Needs `pip install polars pyspark` and a Java 17
runtime; neither is part of scripts/deps.sh (a JVM start is too slow for the unit tests).
"""
import datetime
import sys

import polars as pl
import pyarrow.parquet as pq
from pyspark.sql import SparkSession


def normalise(value):
    if isinstance(value, datetime.datetime):
        return round(value.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    return value


def main():
    spark = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
             .config("spark.driver.host", "127.0.0.1").config("spark.sql.session.timeZone", "UTC").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    failures = 0
    for path in sys.argv[1:]:
        table = pq.read_table(path)
        expected = [normalise(row) for row in table.to_pylist()]
        polars_rows = [normalise(row) for row in pl.read_parquet(path).to_dicts()]
        spark_rows = [normalise(row.asDict(recursive=True)) for row in spark.read.parquet(path).collect()]
        print(f"{path}: {len(expected)} rows; polars equal: {polars_rows == expected}; "
              f"Spark equal: {spark_rows == expected}")
        failures += (polars_rows != expected) + (spark_rows != expected)
        strings = [f.name for f in table.schema if str(f.type) == "string"]
        varied = [name for name in strings if len(set(table.column(name).to_pylist()[:1000])) > 1][:3]
        for name in varied:
            values = table.column(name).to_pylist()
            probe = next((v for v in values if v is not None), "")
            count = spark.sql(f"SELECT count(*) FROM parquet.`{path}` WHERE `{name}` = ?", [probe]).collect()[0][0]
            ok = count == sum(1 for v in values if v == probe)
            failures += not ok
            print(f"  Spark filter {name} = <first value>: {count} rows, matches pyarrow: {ok}")
    spark.stop()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
