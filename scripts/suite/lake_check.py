"""Reads what landed and counts every record token: the suite's independent check of exactly-once delivery.

Objects are gzip NDJSON (`*.json.gz`) in a local directory or in S3 (through boto3 against moto). Every visible
object must inflate completely and hold only valid JSON lines; every JSON record must be its original bytes with
Lakemark's members added (checked by parsing both and removing `secberus_compliance` / `cloudwatch_logs`).
"""

import gzip
import json
import os
import re
import zlib
from collections import Counter

TOKEN_PATTERN = re.compile(rb"LMSUITE-(\d+)-END")
ADDED_MEMBERS = ("secberus_compliance", "cloudwatch_logs")


class LakeReport:
    """Counts per record id, objects read, and every problem found."""

    def __init__(self):
        self.counts = Counter()
        self.objects = 0
        self.lines = 0
        self.problems = []
        self.empty_enrichments = 0

    def add_object(self, name, blob, originals):
        self.objects += 1
        try:
            text = gzip.decompress(blob)
        except (OSError, EOFError, zlib.error) as error:
            self.problems.append("%s: partial or corrupt object (%s)" % (name, error))
            return
        for line in text.split(b"\n"):
            if not line:
                continue
            self.lines += 1
            try:
                event = json.loads(line)
            except ValueError as error:
                self.problems.append("%s: a line is not JSON (%s)" % (name, error))
                continue
            if isinstance(event, dict) and event.get("secberus_compliance") == []:
                self.empty_enrichments += 1
            tokens = TOKEN_PATTERN.findall(line)
            for token in set(tokens):
                record_id = token.decode()
                self.counts[record_id] += 1
                original = originals.get(record_id)
                if original is not None and isinstance(event, dict):
                    self.check_lossless(name, record_id, line, event, original)

    def check_lossless(self, name, record_id, line, event, original):
        for member in ADDED_MEMBERS:
            event.pop(member, None)
        if event != json.loads(original):
            self.problems.append("%s: record %s differs from what was sent" % (name, record_id))
        elif not line.startswith(original[:-1]):
            self.problems.append("%s: record %s bytes were rewritten" % (name, record_id))


def read_directory(root, originals, report=None):
    """Reads every `*.json.gz` under `root`; temporary files (`.tmp-*`) are not objects."""
    report = report or LakeReport()
    for directory, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(".json.gz"):
                path = os.path.join(directory, name)
                with open(path, "rb") as handle:
                    report.add_object(path, handle.read(), originals)
    return report


def read_bucket(client, bucket, originals, report=None):
    """Reads every `*.json.gz` object of an S3 bucket."""
    report = report or LakeReport()
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            if item["Key"].endswith(".json.gz"):
                blob = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
                report.add_object(item["Key"], blob, originals)
    return report


def judge(report, ledger_entries):
    """Compares the counts with the simulator's ledger: returns (lost, duplicates, problems)."""
    delivered = set()
    attempted = set()
    for entry in ledger_entries:
        target = delivered if entry["delivered"] else attempted
        target.update(entry["records"])
    lost = sorted(r for r in delivered if report.counts[r] == 0)
    duplicates = sorted(r for r, n in report.counts.items() if n > 1)
    unknown = sorted(r for r in report.counts if r not in delivered and r not in attempted)
    problems = list(report.problems)
    if unknown:
        problems.append("%d records landed that were never sent (first: %s)" % (len(unknown), unknown[0]))
    return lost, duplicates, problems
