#!/usr/bin/env python3
"""PUT throughput of Lakemark's S3 sink against boto3, both uploading the same object sizes to the same moto.

Usage: python3 scripts/s3_throughput.py [--parallel 8] [--build-dir .build]
Builds S3Bench in release mode, starts moto on a free loopback port (authentication off), and for 1 MiB and
64 KiB objects runs S3Bench, then boto3 with the same parallelism (one shared client, a thread pool), and prints
objects/s, MB/s and the Swift/boto3 ratio. A warm-up batch precedes each timed run. Everything stays on 127.0.0.1.
"""

import argparse
import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = [(1 << 20, 96), (64 << 10, 1024)]
KEY_ID, SECRET = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_moto():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit("moto did not start")


def boto3_run(client, bucket, size, count, parallel):
    bodies = [os.urandom(size) for _ in range(count)]

    def put(index):
        client.put_object(Bucket=bucket, Key=f"bench-boto3/{size}/object-{index}.bin", Body=bodies[index])

    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        list(pool.map(put, range(parallel)))
        started = time.perf_counter()
        list(pool.map(put, range(count)))
        return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--build-dir", default=os.path.join(ROOT, ".build"))
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "S3Bench", "--scratch-path", args.build_dir],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = os.path.join(args.build_dir, "release", "S3Bench")
    moto, endpoint = start_moto()
    try:
        config = boto3.session.Config(max_pool_connections=args.parallel, s3={"addressing_style": "path"})
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=KEY_ID,
                              aws_secret_access_key=SECRET, config=config)
        client.create_bucket(Bucket="bench")
        environment = dict(os.environ, AWS_ACCESS_KEY_ID=KEY_ID, AWS_SECRET_ACCESS_KEY=SECRET)
        print(f"parallel uploads: {args.parallel}; endpoint: moto {endpoint}")
        print("| object size | objects | Swift objects/s | Swift MB/s | boto3 objects/s | boto3 MB/s | ratio |")
        print("|---|---|---|---|---|---|---|")
        for size, count in CASES:
            output = subprocess.run([binary, "--endpoint", endpoint, "--bucket", "bench", "--size", str(size),
                                     "--count", str(count), "--parallel", str(args.parallel)],
                                    env=environment, check=True, capture_output=True, text=True).stdout
            swift = json.loads(output)["seconds"]
            boto = boto3_run(client, "bench", size, count, args.parallel)
            label = f"{size >> 20} MiB" if size >= 1 << 20 else f"{size >> 10} KiB"
            mb = size * count / 1e6
            print(f"| {label} | {count} | {count / swift:.0f} | {mb / swift:.1f} | {count / boto:.0f} | "
                  f"{mb / boto:.1f} | {boto / swift:.2f} |")
    finally:
        moto.kill()
        moto.wait()


if __name__ == "__main__":
    main()
