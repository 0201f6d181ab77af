#!/usr/bin/env python3
"""Seed corpora for the fuzz harnesses, made from the repository's sample events (Tests/Fixtures/samples)."""

import base64
import gzip
import json
import os
import sys


def events(samples):
    for root, _, files in os.walk(samples):
        for name in sorted(files):
            if not name.endswith((".json", ".ndjson")) or "firehose-event" in name:
                continue
            text = open(os.path.join(root, name), "rb").read()
            try:
                documents = [json.loads(text)]
            except ValueError:
                documents = [json.loads(line) for line in text.splitlines() if line.strip()]
            for document in documents:
                items = document.get("Records") or document.get("Findings") or [document] \
                    if isinstance(document, dict) else document
                for item in items:
                    yield json.dumps(item, separators=(",", ":")).encode()


def write(directory, index, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "seed-%03d" % index), "wb") as handle:
        handle.write(data)


def main(samples, out):
    samples_list = [e for e in events(samples) if len(e) < 60000][:40]
    heads = [b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
             b"POST https://h/p?q=1 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
             b"GET /healthz HTTP/1.1\r\nHost: a\r\nX-Amz-Firehose-Request-Id: r\r\nConnection: keep-alive\r\n\r\n"]
    for index, head in enumerate(heads):
        write(os.path.join(out, "FuzzHTTPHead"), index, head)
    for index, event in enumerate(samples_list):
        cwl = {"messageType": "DATA_MESSAGE", "owner": "1", "logGroup": "g", "logStream": "s",
               "subscriptionFilters": ["f"], "logEvents": [{"id": "1", "timestamp": 1, "message": event.decode()}]}
        body = {"requestId": "r", "timestamp": 1, "records": [
            {"data": base64.b64encode(event).decode()},
            {"data": base64.b64encode(gzip.compress(json.dumps(cwl).encode())).decode()}]}
        write(os.path.join(out, "FuzzFirehoseBody"), index, json.dumps(body).encode())
        write(os.path.join(out, "FuzzJSONSplice"), index, event)
        write(os.path.join(out, "FuzzGzip"), index, gzip.compress(event[:4096]))
        write(os.path.join(out, "FuzzBase64"), index, base64.b64encode(event[:4096]))
        write(os.path.join(out, "FuzzCloudWatch"), index, json.dumps(cwl).encode())
    control = {"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "", "logStream": "",
               "subscriptionFilters": [], "logEvents": [{"id": "", "timestamp": 1, "message": "health"}]}
    write(os.path.join(out, "FuzzCloudWatch"), 999, json.dumps(control).encode())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
