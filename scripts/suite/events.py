"""Events for the suite: real sample events (the repository's licensed fixtures) made unique.

Every record carries a token `LMSUITE-<id>-END` so that the checker can count, in whatever landed, how often
each record was stored - independently of Lakemark's own decoding. JSON events get it as a first member
(`"lakemark_suite_id"`); raw text lines and CloudWatch Logs messages carry it in their text.
"""

import base64
import gzip
import json
import os
import random

TOKEN = "LMSUITE-%s-END"


def load_templates(samples_dir):
    """Single events (compact JSON bytes) from the sample files: NDJSON, JSON arrays, {"Records"|"Findings"}."""
    templates = []
    for root, _, files in os.walk(samples_dir):
        for name in sorted(files):
            if not (name.endswith(".json") or name.endswith(".ndjson")) or "firehose-event" in name:
                continue
            with open(os.path.join(root, name), "rb") as handle:
                text = handle.read()
            try:
                documents = [json.loads(text)]
            except ValueError:
                documents = [json.loads(line) for line in text.splitlines() if line.strip()]
            for document in documents:
                if isinstance(document, dict):
                    items = document.get("Records") or document.get("Findings") or [document]
                else:
                    items = document
                templates.extend(json.dumps(item, separators=(",", ":")).encode() for item in items
                                 if isinstance(item, dict))
    if not templates:
        raise SystemExit("suite: no sample events under %s" % samples_dir)
    return templates


class EventFactory:
    """Makes records with unique tokens; remembers what each JSON record looked like."""

    def __init__(self, templates, seed=7):
        self.templates = templates
        self.random = random.Random(seed)
        self.counter = 0
        self.originals = {}

    def next_id(self):
        self.counter += 1
        return "%08d" % self.counter

    def json_record(self):
        """A JSON event with a unique first member; returns (record id, bytes)."""
        record_id = self.next_id()
        template = self.random.choice(self.templates)
        data = b'{"lakemark_suite_id":"' + (TOKEN % record_id).encode() + b'",' + template[1:]
        if template == b"{}":
            data = b'{"lakemark_suite_id":"' + (TOKEN % record_id).encode() + b'"}'
        self.originals[record_id] = data
        return [record_id], data

    def text_record(self):
        """A raw (non-JSON) log line."""
        record_id = self.next_id()
        line = ("2026-12-04T10:00:00Z sshd[42]: Failed password for root from 203.0.113.9 port 22 %s"
                % (TOKEN % record_id)).encode()
        return [record_id], line

    def cloudwatch_record(self, events=3, control=False):
        """A gzip CloudWatch Logs subscription record with `events` log events (or a control message)."""
        if control:
            message = {"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "",
                       "logStream": "", "subscriptionFilters": [],
                       "logEvents": [{"id": "", "timestamp": 1764842400000,
                                      "message": "CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}
            return [], gzip.compress(json.dumps(message).encode())
        ids, log_events = [], []
        for index in range(events):
            record_id = self.next_id()
            ids.append(record_id)
            inner = json.loads(self.random.choice(self.templates))
            inner["lakemark_suite_id"] = TOKEN % record_id
            log_events.append({"id": "3%055d" % (int(record_id) * 10 + index), "timestamp": 1764842400000,
                               "message": json.dumps(inner, separators=(",", ":"))})
        message = {"messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": "aws-cloudtrail",
                   "logStream": "123456789012_CloudTrail_us-east-1", "subscriptionFilters": ["suite"],
                   "logEvents": log_events}
        return ids, gzip.compress(json.dumps(message).encode())

    def batch_records(self, count):
        """`count` records of mixed shapes; returns (records, record ids)."""
        records, ids = [], []
        for _ in range(count):
            roll = self.random.random()
            if roll < 0.80:
                record_ids, data = self.json_record()
            elif roll < 0.90:
                record_ids, data = self.text_record()
            elif roll < 0.98:
                record_ids, data = self.cloudwatch_record(events=self.random.randint(1, 4))
            else:
                record_ids, data = self.cloudwatch_record(control=True)
            records.append(data)
            ids.extend(record_ids)
        return records, ids


def b64(data):
    return base64.b64encode(data).decode("ascii")
