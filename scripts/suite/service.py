"""Starts, kills and restarts `lakemark serve` on 127.0.0.1 for the suite; samples its memory."""

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LakemarkService:
    """One `lakemark serve` child process; restartable after kill -9."""

    def __init__(self, binary, sink, log_path, environment=None, port=None):
        self.binary = binary
        self.sink = sink
        self.port = port or free_port()
        self.url = "http://127.0.0.1:%d/" % self.port
        self.log_path = log_path
        self.environment = dict(os.environ)
        self.environment.update({"LAKEMARK_LISTEN": "127.0.0.1:%d" % self.port, "LAKEMARK_SINK": sink})
        self.environment.update(environment or {})
        self.process = None
        self.kills = 0
        self.peak_rss_kib = 0
        self.lock = threading.Lock()

    def start(self, wait=30.0):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([self.binary, "serve"], env=self.environment, stdout=log,
                                        stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("lakemark serve exited with %s at start (log: %s)"
                                   % (self.process.returncode, self.log_path))
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/readyz" % self.port, timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("lakemark serve not ready within %.0f s" % wait)

    def kill9(self):
        with self.lock:
            if self.process and self.process.poll() is None:
                self.sample_memory()
                self.process.send_signal(signal.SIGKILL)
                self.process.wait()
                self.kills += 1

    def stop(self):
        """SIGTERM; returns the exit status (0 expected)."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.sample_memory()
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return -9

    def sample_memory(self):
        """Reads VmHWM (peak resident set) of the running process, in KiB."""
        if self.process is None or self.process.poll() is not None:
            return self.peak_rss_kib
        try:
            with open("/proc/%d/status" % self.process.pid) as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        self.peak_rss_kib = max(self.peak_rss_kib, int(line.split()[1]))
        except OSError:
            pass
        return self.peak_rss_kib

    def current_rss_kib(self):
        try:
            with open("/proc/%d/status" % self.process.pid) as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            return 0
        return 0

    def metrics(self):
        with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % self.port, timeout=5) as answer:
            return answer.read().decode()


class Killer(threading.Thread):
    """Kills the service with SIGKILL at random moments and restarts it, until stopped."""

    def __init__(self, service, rng, low=0.3, high=1.5):
        super().__init__(daemon=True)
        self.service, self.rng, self.low, self.high = service, rng, low, high
        self.stopping = threading.Event()
        self.errors = []

    def run(self):
        while not self.stopping.wait(self.rng.uniform(self.low, self.high)):
            self.service.kill9()
            try:
                self.service.start()
            except RuntimeError as error:
                self.errors.append(str(error))
                return

    def stop(self):
        self.stopping.set()
        self.join()
