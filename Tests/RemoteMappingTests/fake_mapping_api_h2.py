"""A fake of the remote compliance-mapping API served by hypercorn over TLS with ALPN h2 (and http/1.1).

Usage: python3 fake_mapping_api_h2.py PORT CERT KEY API_KEY [MAX_CONCURRENT_STREAMS [ALPN,...]]

POST /v1/map and GET /v1/frameworks follow the contract of issue 4 and answer exactly what the Swift fake
(FakeMappingAPI + FakeEngine in this folder) answers for the same request. Control endpoints for the tests:
  POST /_fake/script  {"script": [behaviour, ...], "otherwise": behaviour}   behaviours of the next /v1/map calls
  GET  /_fake/stats   calls, connections, HTTP versions, most calls in flight
  POST /_fake/reset   forgets the calls
A behaviour is {"kind": "answer"} | {"kind": "delay", "ms": N} | {"kind": "status", "status": N,
"retry_after": "S"} | {"kind": "reset", "error_code": N} (RST_STREAM on the call's stream) | {"kind": "goaway"}
(GOAWAY refusing this stream and later ones, then the connection is closed) | {"kind": "malformed"} |
{"kind": "empty", "ms": N} (waits N ms, then answers every framework without controls: a server that costs
almost no CPU, for measuring the client).
The process exits when its standard input closes (the test process ended).
"""
import asyncio
import contextvars
import json
import math
import os
import sys
import threading

import hypercorn.asyncio
import hypercorn.config
from hypercorn.events import Closed
from hypercorn.protocol.h2 import H2Protocol

FRAMEWORKS = ["pci_dss_v4", "nist_800_53_r5", "nist_csf_v2", "iso_27001", "soc2", "aicpa_tsc"]
DEFAULT_FRAMEWORKS = FRAMEWORKS[:5]
NAMES = {
    "pci_dss_v4": ("PCI DSS v4.0", "Global"),
    "nist_800_53_r5": ("NIST SP 800-53 Rev. 5", "US"),
    "nist_csf_v2": ("NIST Cybersecurity Framework 2.0", "US"),
    "iso_27001": ("ISO/IEC 27001:2022", "Global"),
    "soc2": ("SOC 2 (AICPA TSC 2017)", "US"),
    "aicpa_tsc": ("AICPA Trust Services Criteria 2017", "US"),
}
LEVELS = {"Very Low": 0, "Low": 1, "Medium": 2, "High": 3}

# The HTTP/2 connection and stream of the request being handled, set before hypercorn starts the app's task.
CURRENT_STREAM = contextvars.ContextVar("current_stream", default=None)
_create_stream = H2Protocol._create_stream


async def _create_stream_recording(self, request):
    CURRENT_STREAM.set((self, request.stream_id))
    await _create_stream(self, request)


H2Protocol._create_stream = _create_stream_recording

STATE = {"script": [], "otherwise": {"kind": "answer"}, "calls": [], "in_flight": 0, "most_in_flight": 0,
         "framework_requests": 0, "h2_connections": set(), "clients": set()}


def fnv1a(text):
    value = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def confidence(similarity):
    for level, cut in (("High", 0.70), ("Medium", 0.50), ("Low", 0.30)):
        if similarity >= cut - 1e-9:
            return level
    return "Very Low"


def matches(text, frameworks, accepts, topk):
    """FakeEngine.matches: every text gets its own controls, from the FNV-1a hash of its UTF-8 bytes."""
    digest = fnv1a(text)
    out = []
    for framework in frameworks:
        for rank in range(min(topk, 1 + digest % 3)):
            raw = 0.95 - rank * 0.2 - (digest % 7) / 100
            similarity = math.floor(min(max(raw, 0.01), 1.0) * 100 + 0.5) / 100
            if accepts(similarity):
                out.append((framework, "FAKE-%s-%d" % (framework[:4], (digest >> (rank * 8)) % 251),
                            "Fake family %d" % rank, similarity))
    return out


def error(status, code, message):
    return status, {"error": {"code": code, "message": message}}


def map_request(body):
    """The contract's validation and answer (MapAPI.handleMapRequest over FakeEngine)."""
    if len(body) > 4 * 1024 * 1024:
        return error(400, "request_too_large", "request body too large")
    try:
        request = json.loads(body)
    except ValueError:
        return error(400, "invalid_request", "request body: not valid JSON for the map request")
    if not isinstance(request, dict):
        return error(400, "invalid_request", "request body: not an object")
    frameworks = request.get("frameworks", DEFAULT_FRAMEWORKS)
    if not isinstance(frameworks, list) or any(name not in FRAMEWORKS for name in frameworks):
        return error(400, "unknown_framework", "frameworks: unknown framework")
    similarity, level = request.get("min_similarity"), request.get("min_confidence")
    if similarity is not None and level is not None:
        return error(400, "both_thresholds", "give at most one of min_similarity and min_confidence")
    if similarity is not None:
        if not isinstance(similarity, (int, float)) or not 0.01 <= similarity <= 1.0:
            return error(400, "invalid_threshold", "min_similarity: 0.01 to 1.0")
        accepts = lambda value: value >= similarity - 1e-9
    else:
        level = "Low" if level is None else level
        if level not in LEVELS:
            return error(400, "invalid_threshold", "min_confidence: unknown level")
        accepts = lambda value: LEVELS[confidence(value)] >= LEVELS[level]
    topk = request.get("topk", 3)
    if not isinstance(topk, int) or not 1 <= topk <= 50:
        return error(400, "invalid_topk", "topk: 1 to 50")
    documents = request.get("documents")
    if not isinstance(documents, list):
        return error(400, "invalid_request", "documents: required")
    if len(documents) > 1000:
        return error(400, "too_many_documents", "documents: at most 1000")
    for document in documents:
        if len(document["document"].encode("utf-8")) > 16 * 1024:
            return error(400, "document_too_large", "document too large")
    answers = [matches(d["document"], frameworks, accepts, topk) for d in documents]
    out = []
    for framework in frameworks:
        controls = []
        for document, found in zip(documents, answers):
            for match_framework, control, family, value in found:
                if match_framework == framework:
                    controls.append({"document_id": document["id"], "control": {"id": control, "family": family},
                                     "similarity": value, "confidence": confidence(value)})
        out.append({"framework_id": framework, "controls": controls})
    return 200, {"frameworks": out}


async def read_body(receive):
    body = bytearray()
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body", False):
            return bytes(body)


async def respond(send, status, payload, headers=()):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json")] + list(headers)})
    await send({"type": "http.response.body", "body": body})


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    headers = {name.decode().lower(): value.decode() for name, value in scope["headers"]}
    path, method = scope["path"], scope["method"]
    body = await read_body(receive)
    client = tuple(scope.get("client") or ("", 0))
    STATE["clients"].add(client)
    stream = CURRENT_STREAM.get() if scope["http_version"] == "2" else None
    if stream is not None:
        STATE["h2_connections"].add(id(stream[0]))
    if path == "/_fake/script":
        command = json.loads(body)
        STATE["script"] = command.get("script", [])
        STATE["otherwise"] = command.get("otherwise", {"kind": "answer"})
        return await respond(send, 200, {"ok": True})
    if path == "/_fake/reset":
        STATE["calls"] = []
        return await respond(send, 200, {"ok": True})
    if path == "/_fake/stats":
        return await respond(send, 200, {
            "calls": STATE["calls"], "most_in_flight": STATE["most_in_flight"],
            "framework_requests": STATE["framework_requests"], "h2_connections": len(STATE["h2_connections"]),
            "connections": len(STATE["clients"])})
    authorized = headers.get("authorization") == API_KEY
    if method == "GET" and path == "/v1/frameworks":
        STATE["framework_requests"] += 1
        if not authorized:
            return await respond(send, *error(401, "unauthorized", "fake says 401"))
        return await respond(send, 200, [{"id": name, "name": NAMES[name][0], "region": NAMES[name][1]}
                                         for name in FRAMEWORKS])
    if not (method == "POST" and path == "/v1/map"):
        return await respond(send, *error(404, "not_found", "fake says 404"))
    behaviour = STATE["script"].pop(0) if STATE["script"] else STATE["otherwise"]
    try:
        documents = [d["document"] for d in json.loads(body)["documents"]]
    except (ValueError, KeyError, TypeError):
        documents = []
    call = {"documents": documents, "authorization": headers.get("authorization"),
            "http_version": scope["http_version"], "status": 0, "body_bytes": len(body),
            "kind": behaviour.get("kind")}
    # Recorded before answering: a GOAWAY or reset can make the server cancel this task before it returns.
    STATE["calls"].append(call)
    STATE["in_flight"] += 1
    STATE["most_in_flight"] = max(STATE["most_in_flight"], STATE["in_flight"])
    try:
        call["status"] = await map_call(send, behaviour, body, headers, authorized, stream)
    finally:
        STATE["in_flight"] -= 1


async def map_call(send, behaviour, body, headers, authorized, stream):
    """Answers one /v1/map call as the behaviour says; returns the status sent (0 when none was)."""
    kind = behaviour.get("kind", "answer")
    if kind == "delay":
        await asyncio.sleep(behaviour["ms"] / 1000)
    if kind in ("reset", "goaway") and stream is not None:
        protocol, stream_id = stream
        if kind == "reset":
            protocol.connection.reset_stream(stream_id, error_code=behaviour.get("error_code", 2))
            await protocol._flush()
        else:
            protocol.connection.close_connection(error_code=0, last_stream_id=stream_id - 2)
            await protocol._flush()
            await protocol.send(Closed())
        return 0
    if not authorized:
        await respond(send, *error(401, "unauthorized", "fake says 401"))
        return 401
    if headers.get("content-type") != "application/json":
        await respond(send, *error(415, "media_type", "fake says 415"))
        return 415
    if kind == "status":
        extra = [(b"retry-after", behaviour["retry_after"].encode())] if behaviour.get("retry_after") else []
        await respond(send, *error(behaviour["status"], "fake_failure", "fake says %d" % behaviour["status"]),
                      headers=extra)
        return behaviour["status"]
    if kind == "empty":
        await asyncio.sleep(behaviour.get("ms", 0) / 1000)
        frameworks = json.loads(body).get("frameworks", DEFAULT_FRAMEWORKS)
        await respond(send, 200, {"frameworks": [{"framework_id": name, "controls": []} for name in frameworks]})
        return 200
    if kind == "malformed":
        await respond(send, 200, behaviour.get("body", "{\"frameworks\": 7}").encode())
        return 200
    status, payload = map_request(body)
    await respond(send, status, payload)
    return status


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


if __name__ == "__main__":
    port, certificate, key, API_KEY = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    config = hypercorn.config.Config()
    config.bind = ["127.0.0.1:%s" % port]
    config.certfile, config.keyfile = certificate, key
    config.alpn_protocols = ["h2", "http/1.1"]
    config.keep_alive_timeout = 60
    config.accesslog = None
    if len(sys.argv) > 5:
        config.h2_max_concurrent_streams = int(sys.argv[5])
    if len(sys.argv) > 6:
        config.alpn_protocols = sys.argv[6].split(",")
    print("fake mapping API (h2) on 127.0.0.1:%s" % port, flush=True)
    asyncio.run(hypercorn.asyncio.serve(app, config))
