"""Load checks: steady concurrency with wrk, overload, slow connections, and a gzip bomb - against a real
`lakemark serve` on 127.0.0.1, with its memory sampled from /proc."""

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor

from service import LakemarkService

WRK_SCRIPT = r"""
local counter = 0
local template = nil
function init(args)
  local file = io.open(args[1], "rb")
  template = file:read("*a")
  file:close()
end
function request()
  counter = counter + 1
  local id = string.format("load-%d-%d-%d", math.random(1, 1000000000), counter, os.time())
  local body = string.gsub(template, "REQUEST%-ID%-PLACEHOLDER", id, 1)
  return wrk.format("POST", "/", {
    ["Content-Type"] = "application/json",
    ["X-Amz-Firehose-Protocol-Version"] = "1.0",
    ["X-Amz-Firehose-Request-Id"] = id,
  }, body)
end
function done(summary, latency, requests)
  io.write(string.format("LATENCY p50=%d p90=%d p99=%d max=%d\n", latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max))
  io.write(string.format("COUNTS requests=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
end
"""


class MemorySampler(threading.Thread):
    """Samples VmRSS of the service every 50 ms; keeps the peak."""

    def __init__(self, service):
        super().__init__(daemon=True)
        self.service = service
        self.peak_kib = 0
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.wait(0.05):
            self.peak_kib = max(self.peak_kib, self.service.current_rss_kib())

    def stop(self):
        self.stopping.set()
        self.join()
        return self.peak_kib


def body_template(factory, records):
    """A Firehose body (uncompressed) whose request id is a placeholder wrk replaces per request."""
    data, _ = factory.batch_records(records)
    encoded = ",".join('{"data":"%s"}' % base64.b64encode(r).decode() for r in data)
    return ('{"requestId":"REQUEST-ID-PLACEHOLDER","timestamp":%d,"records":[%s]}'
            % (int(time.time() * 1000), encoded)).encode()


def wrk_run(url, script, body_path, connections, seconds, threads=2):
    output = subprocess.run(["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % seconds, "--timeout", "30s",
                             "-s", script, url, "--", body_path], capture_output=True, text=True).stdout
    latency = dict((k, int(v)) for k, v in re.findall(r"(p50|p90|p99|max)=(\d+)", output))
    counts = dict((k, int(v)) for k, v in re.findall(r"(requests|non2xx|connect|read|write|timeout)=(\d+)", output))
    return latency, counts, output


def steady_load(config, factory, workdir, result):
    """64-256 connections posting ~256 KiB batches for a while: no errors, p99, peak RSS."""
    path = os.path.join(workdir, "load")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    script = os.path.join(path, "post.lua")
    with open(script, "w") as handle:
        handle.write(WRK_SCRIPT)
    body = os.path.join(path, "body.json")
    with open(body, "wb") as handle:
        handle.write(body_template(factory, 100))
    service = LakemarkService(config.binary, os.path.join(path, "lake"), os.path.join(path, "lakemark.log"),
                              {"LAKEMARK_MAX_CONNECTIONS": "2048"})
    service.start()
    sampler = MemorySampler(service)
    sampler.start()
    idle_kib = service.current_rss_kib()
    latency, counts, raw = wrk_run(service.url, script, body, config.load_connections, config.load_seconds)
    peak = sampler.stop()
    service.stop()
    shutil.rmtree(os.path.join(path, "lake"), ignore_errors=True)
    if not counts:
        result.problems.append("wrk printed no summary: %s" % raw[-500:])
        return
    errors = sum(counts[k] for k in ("non2xx", "connect", "read", "write", "timeout"))
    if errors:
        result.problems.append("load: %d errors under %d connections (%s)" % (errors, config.load_connections,
                                                                          counts))
    body_kib = os.path.getsize(body) / 1024
    result.figures.update({"load_connections": config.load_connections, "load_requests": counts["requests"],
                           "load_rps": round(counts["requests"] / config.load_seconds, 1),
                           "load_body_kib": round(body_kib), "load_p50_ms": latency["p50"] / 1000,
                           "load_p99_ms": latency["p99"] / 1000, "load_peak_rss_mib": round(peak / 1024, 1),
                           "idle_rss_mib": round(idle_kib / 1024, 1)})


def post(port, body, request_id, headers=None, timeout=30):
    """One raw POST; returns (status, parsed JSON body or None, seconds)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as stream:
        head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                "X-Amz-Firehose-Request-Id: %s\r\nX-Amz-Firehose-Protocol-Version: 1.0\r\n"
                "Content-Length: %d\r\nConnection: close\r\n" % (request_id, len(body)))
        for name, value in (headers or {}).items():
            head += "%s: %s\r\n" % (name, value)
        stream.sendall(head.encode() + b"\r\n" + body)
        answer = b""
        while True:
            chunk = stream.recv(65536)
            if not chunk:
                break
            answer += chunk
    seconds = time.monotonic() - started
    head, _, payload = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    try:
        document = json.loads(payload)
    except ValueError:
        document = None
    return status, document, seconds


def firehose_body(factory, records):
    request_id = str(uuid.uuid4())
    template = body_template(factory, records)
    return request_id, template.replace(b"REQUEST-ID-PLACEHOLDER", request_id.encode())


def overload(config, factory, workdir, result):
    """Two workers and 8 queue places, 256 simultaneous requests: every answer is 200 or a quick 503/429 with
    an errorMessage."""
    path = os.path.join(workdir, "overload")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    service = LakemarkService(config.binary, os.path.join(path, "lake"), os.path.join(path, "lakemark.log"),
                              {"LAKEMARK_WORKERS": "2", "LAKEMARK_QUEUE_DEPTH": "8"})
    service.start()
    bodies = [firehose_body(factory, 200) for _ in range(16)]
    gate = threading.Barrier(256)

    def one(index):
        request_id, body = bodies[index % len(bodies)]
        request_id = request_id + "-%d" % index
        body = body.replace(bodies[index % len(bodies)][0].encode(), request_id.encode(), 1)
        gate.wait()
        try:
            return post(service.port, body, request_id)
        except OSError as error:
            return 0, {"transport": str(error)}, 0.0

    with ThreadPoolExecutor(max_workers=256) as pool:
        answers = list(pool.map(one, range(256)))
    service.stop()
    refused = [a for a in answers if a[0] in (429, 503)]
    accepted = [a for a in answers if a[0] == 200]
    other = [a for a in answers if a[0] not in (200, 429, 503)]
    if other:
        result.problems.append("overload: unexpected answers %s" % [(a[0], a[1]) for a in other[:3]])
    if any(not (a[1] or {}).get("errorMessage") for a in refused):
        result.problems.append("overload: a 503/429 without errorMessage")
    slowest_refusal = sorted(a[2] for a in refused)[len(refused) * 99 // 100] if refused else 0.0
    if slowest_refusal > 1.0:
        result.problems.append("overload: p99 of the refusals took %.2f s" % slowest_refusal)
    result.figures.update({"overload_accepted": len(accepted), "overload_refused": len(refused),
                           "overload_refusal_p99_ms": round(slowest_refusal * 1000, 1)})


def slow_connections(config, factory, workdir, result):
    """1,000 connections trickling a request head do not starve real requests."""
    path = os.path.join(workdir, "slow")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    service = LakemarkService(config.binary, os.path.join(path, "lake"), os.path.join(path, "lakemark.log"),
                              {"LAKEMARK_MAX_CONNECTIONS": "4096"})
    service.start()
    slow = []
    for _ in range(config.slow_connections):
        stream = socket.create_connection(("127.0.0.1", service.port))
        stream.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
        slow.append(stream)
    latencies, failures = [], 0
    stop_trickle = threading.Event()

    def trickle():
        while not stop_trickle.wait(0.5):
            for stream in slow:
                try:
                    stream.send(b"X-A: b\r\n")
                except OSError:
                    pass
    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    for _ in range(20):
        request_id, body = firehose_body(factory, 50)
        status, _, seconds = post(service.port, body, request_id)
        latencies.append(seconds)
        failures += status != 200
    stop_trickle.set()
    thread.join()
    for stream in slow:
        stream.close()
    service.stop()
    latencies.sort()
    if failures:
        result.problems.append("slow connections: %d of 20 real requests failed" % failures)
    if latencies[-1] > 2.0:
        result.problems.append("slow connections: a real request took %.2f s" % latencies[-1])
    result.figures.update({"slow_connections": len(slow), "slow_real_max_ms": round(latencies[-1] * 1000, 1)})


def gzip_bomb(config, factory, workdir, result):
    """1 GiB of zeros in a ~1 MiB gzip body is refused with 400 at the cap, without memory growth."""
    path = os.path.join(workdir, "bomb")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    service = LakemarkService(config.binary, os.path.join(path, "lake"), os.path.join(path, "lakemark.log"))
    service.start()
    chunk = b"\0" * (1 << 20)
    stream = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(stream.compress(chunk) for _ in range(1024)) + stream.flush()
    before = service.current_rss_kib()
    sampler = MemorySampler(service)
    sampler.start()
    status, document, seconds = post(service.port, bomb, "bomb-1", {"Content-Encoding": "gzip"})
    peak = sampler.stop()
    service.stop()
    if status != 400 or not (document or {}).get("errorMessage"):
        result.problems.append("gzip bomb: answered %d %s" % (status, document))
    growth_mib = (peak - before) / 1024
    if growth_mib > 80:
        result.problems.append("gzip bomb: memory grew by %.0f MiB" % growth_mib)
    result.figures.update({"bomb_wire_kib": len(bomb) // 1024, "bomb_status": status,
                           "bomb_ms": round(seconds * 1000, 1), "bomb_rss_growth_mib": round(growth_mib, 1)})
