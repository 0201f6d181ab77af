"""A loopback fake of the remote compliance-mapping API (`POST /v1/map`, `GET /v1/frameworks`,
`authorization: <api-key>`) that can be switched between answering, being slow, failing and being down."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FRAMEWORKS = ["pci_dss_v4", "nist_800_53_r5", "nist_csf_v2", "iso_27001", "soc2", "aicpa_tsc"]
ANSWERS = {"pci_dss_v4": ("10.2.1", "Logging"), "nist_800_53_r5": ("AU-2", "Audit and Accountability"),
           "nist_csf_v2": ("DE.CM-01", "Continuous Monitoring"), "iso_27001": ("A.8.15", "Technological"),
           "soc2": ("CC7.2", "System Operations"), "aicpa_tsc": ("CC7.2", "System Operations")}


class FakeMappingAPI:
    """Modes: ok, slow (answers after 2 s), error (500), down (no listener: connection refused)."""

    def __init__(self, key="suite-api-key-0123456789"):
        self.key = key
        self.mode = "ok"
        self.answered = 0
        self.failed = 0
        self.lock = threading.Lock()
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.url = "http://127.0.0.1:%d" % self.port
        self.server = None

    def start(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path != "/v1/frameworks":
                    return self.reply(404, {"error": "not found"})
                self.reply(200, {"frameworks": [{"id": f} for f in FRAMEWORKS]})

            def do_POST(self):
                length = int(self.headers.get("content-length", "0"))
                request = json.loads(self.rfile.read(length) or b"{}")
                if self.headers.get("authorization") != api.key:
                    return self.reply(401, {"error": "bad key"})
                mode = api.mode
                if mode == "slow":
                    threading.Event().wait(2.0)
                if mode == "error":
                    with api.lock:
                        api.failed += 1
                    return self.reply(500, {"error": "injected"})
                frameworks = []
                for framework in request.get("frameworks", []):
                    control, family = ANSWERS.get(framework, ("X-1", "X"))
                    frameworks.append({"framework_id": framework, "controls": [
                        {"document_id": d["id"], "control": {"id": control, "family": family},
                         "similarity": 0.9, "confidence": "High"} for d in request.get("documents", [])]})
                with api.lock:
                    api.answered += 1
                self.reply(200, {"frameworks": frameworks})

            def reply(self, status, document):
                body = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its read timeout is shorter than the slow mode's delay)

        self.handler = Handler
        self.listen()

    def listen(self):
        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def set_mode(self, mode):
        with self.lock:
            previous, self.mode = self.mode, mode
        if mode == "down" and previous != "down":
            self.close()
            with self.lock:
                self.failed += 1
        elif previous == "down" and mode != "down":
            self.listen()

    def close(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def stop(self):
        self.close()
