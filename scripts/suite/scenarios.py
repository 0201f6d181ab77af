"""The suite's delivery scenarios: each runs the simulator against a real `lakemark serve`, injects one kind of
fault, then checks what landed against the simulator's ledger."""

import json
import os
import random
import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import fault_proxy
import fake_mapper
import lake_check
from firehose_sim import Batch, FirehoseSimulator
from service import Killer, LakemarkService


class ObjectWatcher(threading.Thread):
    """Reads every object as soon as it becomes visible, so a partial object would be seen."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root = root
        self.seen = {}
        self.problems = []
        self.reads = 0
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            self.scan()
            time.sleep(0.01)
        self.scan()

    def scan(self):
        for directory, _, files in os.walk(self.root):
            for name in files:
                if not name.endswith(".json.gz"):
                    continue
                path = os.path.join(directory, name)
                try:
                    stat = os.stat(path)
                    with open(path, "rb") as handle:
                        blob = handle.read()
                except FileNotFoundError:
                    continue
                key = (path, stat.st_ino)
                if self.seen.get(key) == stat.st_size:
                    continue
                self.seen[key] = stat.st_size
                self.reads += 1
                report = lake_check.LakeReport()
                report.add_object(path, blob, {})
                self.problems.extend(p for p in report.problems if "partial" in p)

    def stop(self):
        self.stopping.set()
        self.join()


class Result:
    """One scenario's figures."""

    def __init__(self, name):
        self.name = name
        self.batches = self.delivered = self.records = self.lost = self.duplicates = 0
        self.faults = 0
        self.retries = 0
        self.problems = []
        self.seconds = 0.0
        self.peak_rss_kib = 0
        self.notes = []
        self.figures = {}

    def row(self):
        return {"scenario": self.name, "batches": self.batches, "delivered": self.delivered,
                "records": self.records, "lost": self.lost, "duplicates": self.duplicates,
                "faults": self.faults, "retries": self.retries, "seconds": round(self.seconds, 1),
                "peak_rss_mib": round(self.peak_rss_kib / 1024, 1), "problems": self.problems[:10],
                "notes": self.notes, "figures": self.figures}


def send_all(simulator, factory, config, seconds=None, batches=None):
    """Delivers batches from `config.streams` concurrent senders until at least `batches` (default
    `config.batches`) were sent and, when `seconds` is given, that long has passed; returns the outcomes."""
    batches = config.batches if batches is None else batches
    lock = threading.Lock()
    deadline = time.monotonic() + (seconds or 0)
    sent = [0]

    def stream():
        outcomes = []
        while True:
            with lock:
                if sent[0] >= batches and time.monotonic() >= deadline:
                    return outcomes
                sent[0] += 1
                records, ids = factory.batch_records(config.records_per_batch)
            outcomes.append(simulator.deliver(Batch(records=records, record_ids=ids)))

    with ThreadPoolExecutor(max_workers=config.streams) as pool:
        futures = [pool.submit(stream) for _ in range(config.streams)]
        return [outcome for future in futures for outcome in future.result()]


class Periodic:
    """Calls `step(stopping)` every `period` seconds on a thread until `stop()`, then `finish()` (a fault's
    on/off cycle; `stopping` is the event that ends it, for steps that wait themselves)."""

    def __init__(self, period, step, finish=None):
        self.stopping = threading.Event()
        self.finish = finish

        def loop():
            while not self.stopping.wait(period):
                step(self.stopping)
        self.thread = threading.Thread(target=loop, daemon=True)
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.thread.join()
        if self.finish:
            self.finish()


def leftover_temporary_files(sink):
    """Temporary files still on disk after the last (clean) stop; the last process swept those of the killed."""
    return [os.path.join(d, n) for d, _, files in os.walk(sink) for n in files if n.startswith(".tmp-")]


def read_ledger(path):
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def conclude(result, report, ledger, outcomes, simulator, service):
    lost, duplicates, problems = lake_check.judge(report, ledger)
    result.batches = len(outcomes)
    result.delivered = sum(1 for o in outcomes if o.delivered)
    result.records = sum(len(e["records"]) for e in ledger if e["delivered"])
    result.lost, result.duplicates = len(lost), len(duplicates)
    result.problems.extend(problems)
    if lost:
        result.problems.append("lost records, first: %s" % lost[:5])
    if duplicates:
        result.problems.append("duplicated records, first: %s" % duplicates[:5])
    undelivered = [o for o in outcomes if not o.delivered]
    if undelivered:
        result.notes.append("%d batches not delivered within the retry duration (last error: %s)"
                            % (len(undelivered), undelivered[0].last_error))
    result.retries = simulator.retries
    result.peak_rss_kib = max(result.peak_rss_kib, service.sample_memory())


class Workspace:
    """A scratch directory per scenario, with the ledger, sink and logs."""

    def __init__(self, root, name):
        self.path = os.path.join(root, name)
        shutil.rmtree(self.path, ignore_errors=True)
        os.makedirs(self.path)
        self.sink = os.path.join(self.path, "lake")
        self.ledger = os.path.join(self.path, "ledger.jsonl")
        self.log = os.path.join(self.path, "lakemark.log")


def run_local(name, config, factory, workdir, fault=None, environment=None, sink=None):
    """Common shape: service on a local sink, optional fault thread, simulator, watcher, check."""
    result = Result(name)
    space = Workspace(workdir, name)
    sink = sink or space.sink
    os.makedirs(sink, exist_ok=True)
    service = LakemarkService(config.binary, sink, space.log, environment)
    service.start()
    simulator = FirehoseSimulator(service.url, time_scale=config.time_scale, retry_duration=config.retry_duration,
                                  seed=config.seed, ledger_path=space.ledger)
    watcher = ObjectWatcher(sink)
    watcher.start()
    started = time.monotonic()
    injector = fault(service, result) if fault else None
    try:
        outcomes = send_all(simulator, factory, config, None if fault is None else config.fault_seconds)
    finally:
        if injector:
            injector.stop()
        watcher.stop()
    result.seconds = time.monotonic() - started
    service.sample_memory()
    status = service.stop()
    if status != 0:
        result.problems.append("lakemark serve exited %s on SIGTERM" % status)
    simulator.close()
    report = lake_check.read_directory(sink, factory.originals)
    result.problems.extend(watcher.problems)
    leftovers = leftover_temporary_files(sink)
    if leftovers:
        result.problems.append("%d temporary files left behind (first: %s)" % (len(leftovers), leftovers[0]))
    conclude(result, report, read_ledger(space.ledger), outcomes, simulator, service)
    return result


def steady(config, factory, workdir):
    """No faults: the baseline every other scenario is compared with."""
    return run_local("steady", config, factory, workdir)


def kill9(config, factory, workdir):
    """SIGKILL of the service at random moments mid-request, then restart."""
    rng = random.Random(config.seed)

    def fault(service, result):
        killer = Killer(service, rng, config.kill_low, config.kill_high)
        killer.start()

        class Stopper:
            def stop(self):
                killer.stop()
                result.faults += service.kills
                result.problems.extend(killer.errors)
        return Stopper()

    return run_local("kill9", config, factory, workdir, fault=fault)


def disk_full(config, factory, workdir):
    """The sink's file system fills up (a small tmpfs), then space comes back."""
    space = os.path.join(workdir, "diskfull-mount")
    os.makedirs(space, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%dm" % config.disk_full_mib, "tmpfs", space],
                             capture_output=True).returncode == 0
    if not mounted:
        result = Result("disk-full")
        result.notes.append("skipped: cannot mount a tmpfs here (needs root)")
        return result
    try:
        sink = os.path.join(space, "lake")
        os.makedirs(sink)
        filler = os.path.join(space, "filler")

        def free_space():
            if os.path.exists(filler):
                os.unlink(filler)

        def fault(service, result):
            def fill_then_free(stopping):
                try:
                    with open(filler, "wb") as handle:
                        free = os.statvfs(space).f_bavail * os.statvfs(space).f_frsize
                        os.posix_fallocate(handle.fileno(), 0, max(1, free))
                        while True:
                            handle.write(b"\0" * 65536)
                            handle.flush()
                except OSError:
                    pass  # full: what the scenario wants (even when the lake itself filled the disk)
                result.faults += 1
                if not stopping.wait(config.disk_full_period):
                    free_space()
            return Periodic(config.disk_full_period, fill_then_free, finish=free_space)

        return run_local("disk-full", config, factory, workdir, fault=fault, sink=sink)
    finally:
        subprocess.run(["umount", "-l", space])


def mapper_faults(config, factory, workdir, policy):
    """The remote mapping API goes down, slows down and fails; `policy` is degrade or fail."""
    api = fake_mapper.FakeMappingAPI()
    api.start()
    rng = random.Random(config.seed)
    environment = {"LAKEMARK_MAPPER": "remote", "SECBERUS_API_URL": api.url, "SECBERUS_API_KEY": api.key,
                   "LAKEMARK_MAPPING_FAILURE": policy, "LAKEMARK_MAPPING_BUDGET_SECONDS": "3",
                   "LAKEMARK_API_READ_TIMEOUT_SECONDS": "1", "LAKEMARK_API_CIRCUIT_COOLDOWN_SECONDS": "1",
                   "LAKEMARK_API_MAX_ATTEMPTS": "2"}

    def fault(service, result):
        def switch_mode(stopping):
            mode = rng.choice(["down", "slow", "error", "ok", "ok"])
            api.set_mode(mode)
            if mode != "ok":
                result.faults += 1
        return Periodic(config.mapper_period, switch_mode, finish=lambda: api.set_mode("ok"))

    try:
        result = run_local("mapper-" + policy, config, factory, workdir, fault=fault, environment=environment)
        result.notes.append("mapping API calls answered: %d, refused or failed: %d"
                            % (api.answered, api.failed))
        return result
    finally:
        api.stop()


def s3_faults(config, factory, workdir, moto_url):
    """S3 answers 5xx, slowly, or resets connections (a loopback proxy in front of moto)."""
    import boto3
    bucket = "lakemark-suite"
    client = boto3.client("s3", endpoint_url=moto_url, region_name="us-east-1",
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    try:
        client.create_bucket(Bucket=bucket)
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    proxy = fault_proxy.FaultProxy(moto_url, seed=config.seed, fault_rate=config.s3_fault_rate)
    proxy.start()
    environment = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                   "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": proxy.url,
                   "LAKEMARK_S3_TIMEOUT_SECONDS": "2", "LAKEMARK_S3_PUT_BUDGET_SECONDS": "10"}
    try:
        result = Result("s3-faults")
        space = Workspace(workdir, "s3-faults")
        service = LakemarkService(config.binary, "s3://%s/suite" % bucket, space.log, environment)
        service.start()
        simulator = FirehoseSimulator(service.url, time_scale=config.time_scale,
                                      retry_duration=config.retry_duration, seed=config.seed,
                                      ledger_path=space.ledger)
        started = time.monotonic()
        outcomes = send_all(simulator, factory, config, config.fault_seconds, config.s3_batches)
        result.seconds = time.monotonic() - started
        service.sample_memory()
        if service.stop() != 0:
            result.problems.append("lakemark serve did not exit 0 on SIGTERM")
        simulator.close()
        result.faults = proxy.faults
        report = lake_check.read_bucket(client, bucket, factory.originals)
        conclude(result, report, read_ledger(space.ledger), outcomes, simulator, service)
        result.notes.append("proxy: %d requests, %s" % (proxy.requests, proxy.fault_counts()))
        return result
    finally:
        proxy.stop()
