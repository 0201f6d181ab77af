#!/usr/bin/env python3
"""A Firehose HTTP endpoint delivery simulator: the client side of the protocol, written independently of
Lakemark so that it can judge it.

It sends batches the way Amazon Data Firehose does (shared/docs/firehose-protocol.md): one JSON body
`{"requestId", "timestamp", "records": [{"data": base64}]}`, gzip Content-Encoding when asked, the
X-Amz-Firehose-* headers, the same request id (and the same body) on every retry, backoff starting at 1 s and
doubling with +/-15 % jitter up to 120 s, a retry duration whose clock starts after the first failure and does
not count time spent waiting for answers, a response timeout of 3 minutes. Only an exact success counts:
status 200, Content-Type application/json, a JSON object echoing the request id with a numeric timestamp.
Everything else - another 2xx, a bad body, a reset, a timeout - is a failed attempt.

Durations are multiplied by `time_scale` so tests can run the same schedule faster.

The simulator writes a ledger of what it believes it delivered: one JSON line per batch with its request id,
outcome, attempts and the ids of its records.
"""

import base64
import gzip
import http.client
import json
import random
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

BACKOFF_START = 1.0
BACKOFF_CAP = 120.0
JITTER = 0.15
RESPONSE_TIMEOUT = 180.0


@dataclass
class Batch:
    """One Firehose request: its id, timestamp and records (raw bytes before base64)."""

    records: list
    record_ids: list
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    timestamp_ms: int = field(default_factory=lambda: int(time.time() * 1000))


@dataclass
class Outcome:
    """What the simulator concluded about one batch."""

    request_id: str
    delivered: bool
    attempts: int
    last_error: str
    latencies: list


class ProtocolViolation(Exception):
    """A response that Firehose would not count as a success."""


def encode_body(batch):
    """The JSON body Firehose sends for `batch`."""
    records = ",".join('{"data":"%s"}' % base64.b64encode(r).decode("ascii") for r in batch.records)
    return ('{"requestId":"%s","timestamp":%d,"records":[%s]}'
            % (batch.request_id, batch.timestamp_ms, records)).encode("ascii")


def check_response(status, headers, body, request_id):
    """Raises ProtocolViolation unless the answer is an exact Firehose success."""
    content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if status != 200:
        message = ""
        try:
            message = json.loads(body).get("errorMessage", "")
        except (ValueError, AttributeError):
            pass
        raise ProtocolViolation("status %d %s" % (status, message[:200]))
    if content_type != "application/json":
        raise ProtocolViolation("200 with content type %r" % content_type)
    try:
        answer = json.loads(body)
    except ValueError as error:
        raise ProtocolViolation("200 with a body that is not JSON: %s" % error)
    if not isinstance(answer, dict) or answer.get("requestId") != request_id:
        raise ProtocolViolation("200 that does not echo the request id")
    stamp = answer.get("timestamp")
    if not isinstance(stamp, int) or isinstance(stamp, bool):
        raise ProtocolViolation("200 without a numeric timestamp")


class FirehoseSimulator:
    """Delivers batches to one endpoint with Firehose's retry behaviour; thread-safe."""

    def __init__(self, url, access_key=None, use_gzip=True, time_scale=1.0, retry_duration=300.0,
                 response_timeout=RESPONSE_TIMEOUT, source_arn=None, seed=None, ledger_path=None):
        parts = urlsplit(url)
        self.host = parts.hostname
        self.port = parts.port or 80
        self.path = parts.path or "/"
        if self.host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the simulator only talks to loopback addresses")
        self.access_key = access_key
        self.use_gzip = use_gzip
        self.time_scale = time_scale
        self.retry_duration = retry_duration
        self.response_timeout = response_timeout
        self.source_arn = source_arn or "arn:aws:firehose:us-east-1:123456789012:deliverystream/lakemark-suite"
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.ledger = open(ledger_path, "a") if ledger_path else None
        self.retries = 0

    def backoff(self, failures):
        """The wait before retry number `failures` (1-based), in scaled seconds."""
        base = min(BACKOFF_CAP, BACKOFF_START * (2 ** (failures - 1)))
        with self.lock:
            jitter = self.random.uniform(-JITTER, JITTER)
        return base * (1 + jitter) * self.time_scale

    def scaled_response_timeout(self):
        """The response timeout, scaled but never below 30 s: the service's own budgets are not scaled."""
        return max(30.0, self.response_timeout * self.time_scale)

    def attempt(self, batch, body):
        """One POST; returns the latency or raises ProtocolViolation / OSError."""
        headers = {
            "Content-Type": "application/json",
            "X-Amz-Firehose-Protocol-Version": "1.0",
            "X-Amz-Firehose-Request-Id": batch.request_id,
            "X-Amz-Firehose-Source-Arn": self.source_arn,
            "User-Agent": "lakemark-suite-firehose-simulator",
        }
        if self.access_key is not None:
            headers["X-Amz-Firehose-Access-Key"] = self.access_key
        if self.use_gzip:
            headers["Content-Encoding"] = "gzip"
        started = time.monotonic()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.scaled_response_timeout())
        try:
            connection.request("POST", self.path, body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            check_response(response.status, {k.lower(): v for k, v in response.getheaders()}, answer,
                           batch.request_id)
        except (socket.timeout, TimeoutError) as error:
            raise ProtocolViolation("no answer within the response timeout (%s)" % error)
        except (http.client.HTTPException, OSError) as error:
            raise ProtocolViolation("transport: %s: %s" % (type(error).__name__, error))
        finally:
            connection.close()
        return time.monotonic() - started

    def deliver(self, batch):
        """Sends `batch` until it succeeds or the retry duration runs out; records the outcome."""
        body = encode_body(batch)
        if self.use_gzip:
            body = gzip.compress(body, compresslevel=1)
        attempts, failures, waited, latencies, last_error = 0, 0, 0.0, [], ""
        # Scaled like the backoff, but never below 60 s: restarts and freed disk space take real time.
        retry_budget = max(60.0, self.retry_duration * self.time_scale)
        while True:
            attempts += 1
            try:
                latencies.append(self.attempt(batch, body))
                outcome = Outcome(batch.request_id, True, attempts, "", latencies)
                break
            except ProtocolViolation as error:
                last_error = str(error)
            failures += 1
            pause = self.backoff(failures)
            if waited + pause > retry_budget:
                outcome = Outcome(batch.request_id, False, attempts, last_error, latencies)
                break
            waited += pause
            with self.lock:
                self.retries += 1
            time.sleep(pause)
        self.record(outcome, batch)
        return outcome

    def record(self, outcome, batch):
        """Appends one ledger line."""
        if self.ledger is None:
            return
        line = json.dumps({"request_id": outcome.request_id, "delivered": outcome.delivered,
                           "attempts": outcome.attempts, "error": outcome.last_error,
                           "records": batch.record_ids})
        with self.lock:
            self.ledger.write(line + "\n")
            self.ledger.flush()

    def close(self):
        if self.ledger is not None:
            self.ledger.close()
