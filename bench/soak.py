#!/usr/bin/env python3
"""Soak: 64 connections for 5 minutes of a day's mix against one server, on loopback.

Usage: python3 bench/soak.py [--seconds 300] [--connections 64]
Needs the release build (`./scripts/build-site`, which scripts/run
does); builds bench/loadgen (release) itself.

The server runs on a fresh SQLite data directory, as the embedded default does. Each
connection goes round page loads (landing, plans, a plan, home, documents), saves of its
plan and, every two seconds, a small PDF uploaded and deleted again (bench/loadgen, mode
`soak`). Reports requests, errors, p50/p99/max, the server's resident memory at the start,
the middle, the end and ten seconds after, and the panics in the server's log (each is a
failure: a request that ends must end quietly, also when its client went away).
Prints one JSON document on stdout; progress and the server's log go elsewhere.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from benchlib import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "riyada")
SITE = os.path.join(ROOT, "target", "site")
LOADGEN = os.path.join(ROOT, "target", "loadgen", "release", "riyada-loadgen")


def log(message):
    print(f"[soak] {message}", file=sys.stderr, flush=True)


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    if not os.path.exists(BIN):
        raise SystemExit("no release build: run `./scripts/build-site` first")
    log("building the load generator (release, bench/loadgen)")
    subprocess.run(["cargo", "build", "--release", "-q", "--manifest-path", os.path.join(ROOT, "bench", "loadgen", "Cargo.toml"),
                    "--target-dir", os.path.join(ROOT, "target", "loadgen")], cwd=ROOT, check=True, stdout=sys.stderr)

    data = tempfile.mkdtemp(prefix="riyada-soak.")
    port = free_port()
    env = dict(os.environ, RIYADA_DATA_DIR=data, RIYADA_SITE_ROOT=SITE, RIYADA_LOG="warn", RUST_BACKTRACE="1")
    env.pop("RIYADA_DATABASE_URL", None)
    server_log = os.path.join(data, "server.log")
    # One registration per two connections from one address, and deleted files swept soon,
    # so that neither the registration limit nor a person's document cap shapes the run.
    with open(server_log, "w") as out:
        server = subprocess.Popen([BIN, "serve", "--addr", f"127.0.0.1:{port}",
                                   "--registrations-per-address-hourly", "1000", "--sweep-period-secs", "5"],
                                  env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url + "/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise SystemExit("server did not start")
        memory = {"start": rss_mb(server.pid)}
        log(f"{args.connections} connections for {args.seconds} s")
        began = time.monotonic()
        load = subprocess.Popen([LOADGEN, url, str(args.connections), str(args.seconds), "soak"],
                                stdout=subprocess.PIPE, stderr=sys.stderr, text=True)
        time.sleep(args.seconds / 2)
        memory["middle"] = rss_mb(server.pid)
        output, _ = load.communicate()
        memory["end"] = rss_mb(server.pid)
        elapsed = time.monotonic() - began
        time.sleep(10)
        memory["ten_seconds_after"] = rss_mb(server.pid)
        if load.returncode != 0:
            raise SystemExit(f"the load generator failed ({load.returncode})")
        result = json.loads(output.strip().splitlines()[-1])
        with open(server_log) as f:
            text = f.read()
        result.update({
            "wall_seconds": round(elapsed, 1),
            "server_rss_mb": memory,
            "panics_in_log": text.count("panicked at"),
            "disposed_in_log": text.count("already been disposed"),
            "log_warnings": sum(1 for line in text.splitlines() if " WARN " in line),
            "log_errors": sum(1 for line in text.splitlines() if " ERROR " in line),
            "log_first_warnings_and_errors": [line for line in text.splitlines()
                                              if " WARN " in line or " ERROR " in line][:5],
        })
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(data, ignore_errors=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
