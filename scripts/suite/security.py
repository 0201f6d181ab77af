"""Security checks against a real `lakemark serve`: no secret in any log line or error message, request ids
echoed with correct JSON escaping, control characters in request lines and headers refused cleanly."""

import json
import os
import secrets
import shutil
import socket
import time

import fake_mapper
from load import firehose_body, post
from service import LakemarkService


def raw_exchange(port, data, timeout=5):
    """Sends raw bytes, returns (status, parsed body or None)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as stream:
        stream.sendall(data)
        answer = b""
        try:
            while True:
                chunk = stream.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except socket.timeout:
            pass
    head, _, payload = answer.partition(b"\r\n\r\n")
    try:
        status = int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0, None
    try:
        return status, json.loads(payload)
    except ValueError:
        return status, None


def run(config, factory, workdir, result):
    path = os.path.join(workdir, "security")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    access_key = "ak-" + secrets.token_hex(16)
    wrong_key = "wrong-" + secrets.token_hex(16)
    api = fake_mapper.FakeMappingAPI(key="api-" + secrets.token_hex(16))
    api.start()
    api_key_seen = "refused-api-" + secrets.token_hex(16)
    aws_secret = "aws-secret-" + secrets.token_hex(16)
    environment = {"LAKEMARK_ACCESS_KEYS": access_key, "LAKEMARK_MAPPER": "remote-fallback",
                   "SECBERUS_API_URL": api.url, "SECBERUS_API_KEY": api_key_seen,
                   "AWS_SECRET_ACCESS_KEY": aws_secret, "AWS_ACCESS_KEY_ID": "AKIASUITE",
                   "LAKEMARK_LOG_LEVEL": "debug"}
    log = os.path.join(path, "lakemark.log")
    service = LakemarkService(config.binary, os.path.join(path, "lake"), log, environment)
    service.start()
    bodies = []
    checked = 0
    try:
        # Wrong, missing and right keys; the API refuses our (wrong) API key, so the fallback answers.
        for key in (wrong_key, None, access_key):
            request_id, body = firehose_body(factory, 5)
            headers = {"X-Amz-Firehose-Access-Key": key} if key else {}
            status, document, _ = post(service.port, body, request_id, headers)
            bodies.append(json.dumps(document))
            expected = 200 if key == access_key else 401
            if status != expected:
                result.problems.append("security: access key %s answered %d" % (
                    "right" if key == access_key else "wrong/missing", status))
            checked += 1

        # Request ids that need JSON escaping are echoed exactly.
        for request_id in ('quote"back\\slash', "caf\u00e9-\u4e2d\u6587", "tab\tinside", "</script><x>",
                           "x" * 512):
            _, body = firehose_body(factory, 1)
            template_id = json.loads(body)["requestId"]
            body = body.replace(json.dumps(template_id).encode(), json.dumps(request_id).encode(), 1)
            status, document, _ = post(service.port, body, request_id, {"X-Amz-Firehose-Access-Key": access_key})
            checked += 1
            if document is None:
                result.problems.append("security: id %r: the answer is not JSON" % request_id[:40])
            elif document.get("requestId") != request_id:
                result.problems.append("security: id %r echoed as %r (status %d)"
                                       % (request_id[:40], document.get("requestId", "")[:40], status))

        # Control characters in the request line and headers: a clean 400, and the service stays up.
        hostile = [
            b"GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /ok HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n",
            b"GET /ok HTTP/1.1\r\nHost: x\r\nX-A: a\x7fb\r\n\r\n",
            b"GET /ok HTTP/1.1\r\nHost: x\r\nX A: b\r\n\r\n",
            b"GET /ok HTTP/1.1\r\nHost: x\r\nX-A: b\r\n continued\r\n\r\n",
            b"GET /\x1b[31m HTTP/1.1\r\nHost: x\r\n\r\n",
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Firehose-Request-Id: a\x01b\r\nContent-Length: 2\r\n\r\n{}",
            b"GET /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        ]
        for data in hostile:
            status, document = raw_exchange(service.port, data)
            checked += 1
            if status != 400 or not isinstance(document, dict) or "errorMessage" not in document:
                result.problems.append("security: %r answered %d %r" % (data[:40], status, document))
            elif any(ord(c) < 0x20 for c in document["errorMessage"]):
                result.problems.append("security: an errorMessage carries a control character")
            bodies.append(json.dumps(document))
        status, _ = raw_exchange(service.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        if status != 200:
            result.problems.append("security: /healthz answered %d after the hostile requests" % status)
    finally:
        time.sleep(0.2)
        service.stop()
        api.stop()

    with open(log, "rb") as handle:
        logged = handle.read()
    secrets_used = {"access key": access_key, "presented wrong key": wrong_key, "API key": api_key_seen,
                    "fake API's key": api.key, "AWS secret": aws_secret}
    for label, secret in secrets_used.items():
        if secret.encode() in logged:
            result.problems.append("security: the %s appears in the log" % label)
        if any(secret in body for body in bodies):
            result.problems.append("security: the %s appears in a response" % label)
    result.figures.update({"security_checks": checked, "log_lines_grepped": logged.count(b"\n")})
