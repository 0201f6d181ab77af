"""A loopback HTTP proxy in front of an S3 peer (moto) that injects faults: 503 SlowDown, 500 after the write
went through, answers slower than the client's timeout, and connection resets before or after forwarding."""

import http.client
import random
import socket
import struct
import threading
from collections import Counter
from urllib.parse import urlsplit

FAULTS = ("slowdown", "error-after-write", "slow", "reset-before", "reset-after")
SLOWDOWN = (b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
            b"<Message>Please reduce your request rate.</Message></Error>")
INTERNAL = (b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InternalError</Code>"
            b"<Message>We encountered an internal error. Please try again.</Message></Error>")


def read_request(stream):
    """Reads one HTTP/1.1 request (Content-Length bodies); returns (head lines, headers, body) or None."""
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = stream.recv(65536)
        if not chunk:
            return None
        head += chunk
        if len(head) > 1 << 20:
            return None
    head, rest = head.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = []
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body = rest
    while len(body) < length:
        chunk = stream.recv(min(1 << 20, length - len(body)))
        if not chunk:
            return None
        body += chunk
    return lines[0], headers, body


def reset(stream):
    """Closes with RST instead of FIN."""
    stream.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    stream.close()


class FaultProxy:
    """Forwards to `upstream`; one request in `1/fault_rate` gets a fault."""

    def __init__(self, upstream, seed=1, fault_rate=0.3, slow_seconds=3.0):
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname, parts.port)
        self.random = random.Random(seed)
        self.fault_rate = fault_rate
        self.slow_seconds = slow_seconds
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.url = "http://127.0.0.1:%d" % self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.counts = Counter()
        self.requests = 0
        self.running = True

    @property
    def faults(self):
        return sum(self.counts.values())

    def fault_counts(self):
        return dict(self.counts)

    def start(self):
        threading.Thread(target=self.accept, daemon=True).start()

    def stop(self):
        self.running = False
        self.listener.close()

    def accept(self):
        while self.running:
            try:
                stream, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(stream,), daemon=True).start()

    def choose(self):
        with self.lock:
            self.requests += 1
            if self.random.random() >= self.fault_rate:
                return None
            fault = self.random.choice(FAULTS)
            self.counts[fault] += 1
            return fault

    def serve(self, stream):
        try:
            while True:
                request = read_request(stream)
                if request is None:
                    stream.close()
                    return
                fault = self.choose()
                if fault == "reset-before":
                    reset(stream)
                    return
                if fault == "slowdown":
                    self.answer(stream, 503, "Slow Down", SLOWDOWN)
                    continue
                if fault == "slow":
                    threading.Event().wait(self.slow_seconds)
                status, reason, headers, body = self.forward(*request)
                if fault == "reset-after":
                    reset(stream)
                    return
                if fault == "error-after-write":
                    self.answer(stream, 500, "Internal Server Error", INTERNAL)
                    continue
                self.answer(stream, status, reason, body, headers)
        except OSError:
            stream.close()

    def forward(self, request_line, headers, body):
        method, target, _ = request_line.split(" ", 2)
        connection = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                connection.putheader(name, value)
            connection.endheaders(body)
            response = connection.getresponse()
            payload = response.read()
            return response.status, response.reason, response.getheaders(), payload
        finally:
            connection.close()

    @staticmethod
    def answer(stream, status, reason, body, headers=()):
        lines = ["HTTP/1.1 %d %s" % (status, reason)]
        for name, value in headers:
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                lines.append("%s: %s" % (name, value))
        if not headers:
            lines.append("Content-Type: application/xml")
        lines.append("Content-Length: %d" % len(body))
        stream.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
