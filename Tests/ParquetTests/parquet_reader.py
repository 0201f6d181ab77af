#!/usr/bin/env python3
"""Reads a Parquet file written by the Swift tests with pyarrow and DuckDB and prints what they saw as JSON.

Usage: parquet_reader.py FILE

Output (one JSON object on stdout):
  pyarrow.schema   - [{name, type}] of the Arrow schema pyarrow derives
  pyarrow.rows     - the rows, normalised (below)
  duckdb.types     - {column: DuckDB type}
  duckdb.rows      - the rows as DuckDB returns them, normalised
  parquet          - footer facts: created_by, key-value metadata, num_rows, schema elements, row groups with
                     column chunks (path, codec, encodings, statistics, sizes) and the pages found by walking
                     the page headers (an independent compact-Thrift decoder, below)
Normalisation: timestamps -> epoch milliseconds (UTC required), bytes -> {"hex": ...}, floats -> "f:" + repr(value)
(the shortest round-trip text, as Swift's description; exact and NaN-safe),
structs -> objects keyed by field name, lists -> arrays.
"""
import datetime
import json
import sys

import duckdb
import pyarrow.parquet as pq

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def normalise(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return "f:" + repr(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.utcoffset() != datetime.timedelta(0):
            return {"naive-or-non-utc-timestamp": value.isoformat()}
        delta = value - EPOCH
        return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"hex": bytes(value).hex()}
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    return {"unknown": repr(value)}


# --- a minimal Thrift compact-protocol reader, enough to walk page headers ---------------------------------------

class Compact:
    def __init__(self, data, pos):
        self.data, self.pos = data, pos

    def byte(self):
        b = self.data[self.pos]
        self.pos += 1
        return b

    def varint(self):
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if b < 0x80:
                return result
            shift += 7

    def zigzag(self):
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def read_struct(self):
        fields, last = {}, 0
        while True:
            header = self.byte()
            if header == 0:
                return fields
            kind, delta = header & 0x0F, header >> 4
            fid = last + delta if delta else self.zigzag()
            last = fid
            fields[fid] = self.read_value(kind)

    def read_value(self, kind):
        if kind in (1, 2):
            return kind == 1
        if kind == 3:
            return self.byte()
        if kind in (4, 5, 6):
            return self.zigzag()
        if kind == 7:
            self.pos += 8
            return None
        if kind == 8:
            n = self.varint()
            v = bytes(self.data[self.pos:self.pos + n])
            self.pos += n
            return v
        if kind in (9, 10):
            header = self.byte()
            size, elem = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            return [self.read_value(elem) for _ in range(size)]
        if kind == 12:
            return self.read_struct()
        raise ValueError(f"unsupported compact type {kind}")


def walk_pages(data, start, total):
    pages, pos = [], start
    while pos < start + total:
        reader = Compact(data, pos)
        header = reader.read_struct()
        header_size = reader.pos - pos
        page = {"type": header[1], "uncompressed": header[2], "compressed": header[3], "header": header_size}
        if 5 in header:
            page["num_values"] = header[5][1]
            page["encoding"] = header[5][2]
            stats = header[5].get(5)
            if stats is not None:
                page["null_count"] = stats.get(3)
                page["has_min_max"] = 5 in stats and 6 in stats
                page["max_exact"] = stats.get(7)
                page["min_exact"] = stats.get(8)
        if 7 in header:
            page["num_values"] = header[7][1]
            page["encoding"] = header[7][2]
        pages.append(page)
        pos = reader.pos + header[3]
    return pages, pos - start


def stat_value(value):
    return normalise(value)


def parquet_facts(path):
    pf = pq.ParquetFile(path)
    md = pf.metadata
    data = open(path, "rb").read()
    schema = []
    for i in range(len(md.schema)):
        col = md.schema.column(i)
        schema.append({
            "path": col.path, "physical_type": col.physical_type, "logical_type": str(col.logical_type),
            "converted_type": col.converted_type, "max_definition_level": col.max_definition_level,
            "max_repetition_level": col.max_repetition_level,
        })
    groups = []
    for g in range(md.num_row_groups):
        rg = md.row_group(g)
        columns = []
        for c in range(rg.num_columns):
            cc = rg.column(c)
            start = cc.dictionary_page_offset if cc.has_dictionary_page else cc.data_page_offset
            pages, walked = walk_pages(data, start, cc.total_compressed_size)
            entry = {
                "path": cc.path_in_schema, "compression": cc.compression, "encodings": list(cc.encodings),
                "num_values": cc.num_values, "has_dictionary_page": cc.has_dictionary_page,
                "total_compressed_size": cc.total_compressed_size,
                "total_uncompressed_size": cc.total_uncompressed_size, "walked_size": walked, "pages": pages,
            }
            st = cc.statistics
            if st is not None:
                entry["statistics"] = {
                    "null_count": st.null_count if st.has_null_count else None,
                    "min": stat_value(st.min) if st.has_min_max else None,
                    "max": stat_value(st.max) if st.has_min_max else None,
                }
            columns.append(entry)
        groups.append({"num_rows": rg.num_rows, "columns": columns})
    kv = {k.decode(): v.decode() for k, v in (md.metadata or {}).items()}
    return {"created_by": md.created_by, "num_rows": md.num_rows, "metadata": kv, "format_version": md.format_version,
            "schema": schema, "row_groups": groups}


def main():
    path = sys.argv[1]
    table = pq.read_table(path)
    result = {
        "pyarrow": {
            "schema": [{"name": f.name, "type": str(f.type)} for f in table.schema],
            "rows": normalise(table.to_pylist()),
        },
        "parquet": parquet_facts(path),
    }
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    relation = con.execute("SELECT * FROM read_parquet(?)", [path])
    names = [d[0] for d in relation.description]
    rows = relation.fetchall()
    types = con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                        [path]).fetchall()
    result["duckdb"] = {
        "types": {name: kind for name, kind in types},
        "rows": [normalise(dict(zip(names, row))) for row in rows],
    }
    json.dump(result, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
