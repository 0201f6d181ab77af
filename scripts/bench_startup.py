#!/usr/bin/env python3
"""Start-up time and idle RSS of `lakemark serve`, for scripts/bench.sh.

Usage: bench_startup.py LAKEMARK_BINARY PORT SINK_DIR [RUNS]
Each run spawns `lakemark serve` (local sink in SINK_DIR, catalogs loaded), polls GET /readyz on 127.0.0.1:PORT
every 2 ms until it answers 200 (start-up = spawn to that answer), waits one second, reads VmRSS from
/proc/PID/status (idle RSS), and stops the process with SIGTERM.
Prints: startup_ms=<median> startup_ms_min=<min> idle_rss_kib=<median> runs=<n>
"""
import http.client, os, statistics, subprocess, sys, time

def ready(port):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        connection.request("GET", "/readyz")
        status = connection.getresponse().status
        connection.close()
        return status == 200
    except OSError:
        return False

def vm_rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")

def main():
    binary, port, sink = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    env = dict(os.environ, LAKEMARK_LISTEN=f"127.0.0.1:{port}", LAKEMARK_SINK=sink, LAKEMARK_LOG_LEVEL="warning")
    times, rss = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen([binary, "serve"], env=env)
        try:
            while not ready(port):
                if process.poll() is not None:
                    sys.exit(f"bench_startup: serve exited with {process.returncode}")
                if time.perf_counter() - start > 30:
                    sys.exit("bench_startup: serve not ready after 30 s")
                time.sleep(0.002)
            times.append(time.perf_counter() - start)
            time.sleep(1)
            rss.append(vm_rss_kib(process.pid))
        finally:
            process.terminate()
            process.wait()
    print(
        f"startup_ms={statistics.median(times) * 1000:.1f} startup_ms_min={min(times) * 1000:.1f} "
        f"idle_rss_kib={int(statistics.median(rss))} runs={runs}"
    )

if __name__ == "__main__":
    main()
