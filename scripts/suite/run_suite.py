#!/usr/bin/env python3
"""Lakemark's reliability suite: Firehose simulator with fault injection, load, security checks and fuzzing.

    python3 scripts/suite/run_suite.py --binary .build/release/lakemark [--profile short|long] [--only NAME...]

Prints one table and a JSON summary (batches, records, lost, duplicates, faults injected, fuzz executions,
crashes, p99 latency under load, peak RSS); exits 1 when anything was lost, duplicated, crashed or broke the
protocol. Everything runs on 127.0.0.1.
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import events  # noqa: E402
import load  # noqa: E402
import scenarios  # noqa: E402
import security  # noqa: E402

PROFILES = {
    "short": dict(batches=24, records_per_batch=150, streams=4, time_scale=0.02, retry_duration=300.0,
                  kill_low=1.0, kill_high=3.0, disk_full_period=0.8, disk_full_mib=256, mapper_period=0.7,
                  s3_fault_rate=0.25, s3_batches=24, fault_seconds=15, load_seconds=8, load_connections=64,
                  slow_connections=1000, fuzz_runs=200_000),
    # S3 through moto and the fault proxy runs at about a tenth of the local rate: fewer batches there.
    "long": dict(batches=400, records_per_batch=500, streams=8, time_scale=0.05, retry_duration=600.0,
                 kill_low=0.5, kill_high=3.0, disk_full_period=2.0, disk_full_mib=4096, mapper_period=1.5,
                 s3_fault_rate=0.2, s3_batches=60, fault_seconds=300, load_seconds=60, load_connections=256,
                 slow_connections=1000, fuzz_runs=10_000_000),
}


class Config:
    def __init__(self, binary, profile, seed, repo):
        self.binary = binary
        self.seed = seed
        self.repo = repo
        self.profile = profile
        for key, value in PROFILES[profile].items():
            setattr(self, key, value)


class Moto:
    """moto in server mode on a free loopback port."""

    def __init__(self, workdir):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.log = open(os.path.join(workdir, "moto.log"), "wb")
        self.process = subprocess.Popen([sys.executable, "-c", "import sys\nfrom moto.server import main\n"
                                         "main(sys.argv[1:])", "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("moto did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="short")
    parser.add_argument("--only", nargs="*", help="scenario names to run")
    parser.add_argument("--workdir", help="scratch directory (default: a new temporary one)")
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--json", help="also write the summary here")
    args = parser.parse_args(argv)

    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    config = Config(os.path.abspath(args.binary), args.profile, args.seed, repo)
    workdir = args.workdir or tempfile.mkdtemp(prefix="lakemark-suite-")
    os.makedirs(workdir, exist_ok=True)
    templates = events.load_templates(os.path.join(repo, "Tests", "Fixtures", "samples"))
    factory = events.EventFactory(templates, seed=args.seed)

    def s3(config, factory, workdir):
        moto = Moto(workdir)
        try:
            return scenarios.s3_faults(config, factory, workdir, moto.url)
        finally:
            moto.stop()

    def load_checks(config, factory, workdir):
        result = scenarios.Result("load")
        for check in (load.steady_load, load.overload, load.slow_connections, load.gzip_bomb):
            print("suite: load: %s ..." % check.__name__, file=sys.stderr, flush=True)
            check(config, factory, workdir, result)
        return result

    def security_checks(config, factory, workdir):
        result = scenarios.Result("security")
        security.run(config, factory, workdir, result)
        return result

    def fuzzing(config, factory, workdir):
        result = scenarios.Result("fuzz")
        command = [os.path.join(repo, "scripts", "fuzz.sh"), "--runs", str(config.fuzz_runs)]
        finished = subprocess.run(command, capture_output=True, text=True)
        runs = crashes = leaks = 0
        for line in finished.stdout.splitlines():
            match = re.match(r"fuzz (\w+): (\d+) runs, (\d+) crashes, (\d+) leaks", line)
            if match:
                runs += int(match.group(2))
                crashes += int(match.group(3))
                leaks += int(match.group(4))
                result.notes.append(line)
        if finished.returncode != 0 or crashes or leaks:
            result.problems.append("fuzzing: %d crashes, %d leaks (exit %d): %s"
                                   % (crashes, leaks, finished.returncode, finished.stderr[-800:]))
        result.figures.update({"fuzz_executions": runs, "fuzz_crashes": crashes, "fuzz_leaks": leaks})
        timing = subprocess.run([os.path.join(repo, "scripts", "fuzz", "key_timing.sh")], capture_output=True,
                                text=True)
        result.notes.append(timing.stdout.strip().splitlines()[-1] if timing.stdout.strip() else timing.stderr[-300:])
        if timing.returncode != 0:
            result.problems.append("key timing: %s" % (timing.stdout + timing.stderr)[-400:])
        return result

    runners = [
        ("steady", scenarios.steady),
        ("kill9", scenarios.kill9),
        ("disk-full", scenarios.disk_full),
        ("s3-faults", s3),
        ("mapper-degrade", lambda c, f, w: scenarios.mapper_faults(c, f, w, "degrade")),
        ("mapper-fail", lambda c, f, w: scenarios.mapper_faults(c, f, w, "fail")),
        ("load", load_checks),
        ("security", security_checks),
        ("fuzz", fuzzing),
    ]
    results = []
    for name, runner in runners:
        if args.only and name not in args.only:
            continue
        print("suite: %s ..." % name, file=sys.stderr, flush=True)
        result = runner(config, factory, workdir)
        results.append(result.row())
        print("suite: %s: %s" % (name, json.dumps(result.row())), file=sys.stderr, flush=True)

    failed = print_summary(results, config)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"profile": args.profile, "results": results}, handle, indent=1)
    return 1 if failed else 0


def print_summary(results, config):
    columns = ["scenario", "batches", "delivered", "records", "lost", "duplicates", "faults", "retries",
               "seconds", "peak_rss_mib"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    failed = False
    for row in results:
        print("| " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    print()
    for row in results:
        for problem in row["problems"]:
            failed = True
            print("FAIL %s: %s" % (row["scenario"], problem))
        for note in row["notes"]:
            print("note %s: %s" % (row["scenario"], note))
        if row["lost"] or row["duplicates"]:
            failed = True
    for row in results:
        if row.get("figures"):
            print("figures %s: %s" % (row["scenario"], json.dumps(row["figures"])))
    totals = {key: sum(r.get(key, 0) for r in results) for key in
              ("batches", "records", "lost", "duplicates", "faults")}
    figures = {k: v for r in results for k, v in r.get("figures", {}).items()}
    totals["fuzz_executions"] = figures.get("fuzz_executions")
    totals["crashes"] = figures.get("fuzz_crashes")
    totals["load_p99_ms"] = figures.get("load_p99_ms")
    totals["peak_rss_mib"] = max([r.get("peak_rss_mib", 0) for r in results] + [figures.get("load_peak_rss_mib", 0)])
    print("totals (%s profile): %s" % (config.profile, json.dumps(totals)))
    return failed


if __name__ == "__main__":
    sys.exit(main())
