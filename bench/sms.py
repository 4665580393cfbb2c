#!/usr/bin/env python3
"""SMS benchmark: what asking for a reset code costs (the cap check and the queue, in one
transaction), how fast the SMS outbox drains into an HTTP gateway, and what a burst against
one number leaves.

Usage: python3 bench/sms.py [path/to/riyada] [people]   (default target/release/riyada, 200)

Starts the browser tests' local gateway (end2end/sms-sink.py) and its own server over a
fresh SQLite data directory, with SMS through that gateway and confirmation off (so codes
go to numbers as typed). Registers `people` phone-only entrepreneurs, then:
  1. each asks for a reset code once (from her own forwarded address): latency of
     `auth/send-reset-code` (median, p95) and the time until the gateway has every message;
  2. a burst of 60 requests for one number from 60 addresses, 8 at a time: how many
     messages the gateway got (the person's daily cap is 10, the account's hourly codes 3).
     Run it with the `bench/` directory as the script's own (`python3 bench/sms.py`).
Prints one JSON object.
"""
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from benchlib import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "bench-password-1"


def wait_for_http(port, path="/healthz"):
    for _ in range(600):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"nothing answers on {port}")


def post(port, endpoint, fields, forwarded):
    body = urllib.parse.urlencode(fields)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    conn.request("POST", f"/api/{endpoint}", body=body, headers={
        "content-type": "application/x-www-form-urlencoded",
        "accept": "application/json",
        "sec-fetch-site": "same-origin",
        "x-forwarded-for": forwarded,
    })
    response = conn.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def received(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/riyada")
    people = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    work = tempfile.mkdtemp(prefix="riyada-bench-sms-")
    sink_port, port = free_port(), free_port()
    sink_file = os.path.join(work, "sms.jsonl")
    sink = subprocess.Popen([sys.executable, os.path.join(ROOT, "end2end/sms-sink.py"), str(sink_port), sink_file])
    env = dict(os.environ, RIYADA_DATA_DIR=os.path.join(work, "data"), RIYADA_LOG="warn")
    server = subprocess.Popen([
        binary, "serve", "--addr", f"127.0.0.1:{port}", "--trusted-proxies", "127.0.0.1/32",
        "--registrations-per-address-hourly", "100000",
        "--sms-provider", "http", "--sms-url", f"http://127.0.0.1:{sink_port}/send",
        "--sms-body", '{"to":"{to}","text":"{text}","from":"{sender}"}', "--sms-poll-secs", "1",
        "--sms-verify-phones", "false", "--sms-global-daily-cap", "1000000",
    ], env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "server.log"), "w"))
    try:
        wait_for_http(port)
        phones = [f"0599{n:06d}" for n in random.sample(range(1_000_000), people)]
        for n, phone in enumerate(phones):
            status, _ = post(port, "auth/register", {
                "input[full_name]": f"رائدة {n}", "input[phone]": phone, "input[email]": "",
                "input[password]": PASSWORD, "input[gender]": "female", "input[birth_date]": "1994-02-01",
                "input[governorate]": "rafah", "input[chamber]": "",
            }, f"10.1.{n // 250}.{n % 250}")
            if status != 200:
                raise SystemExit(f"registration answered {status}")

        started = time.perf_counter()
        latencies = []
        for n, phone in enumerate(phones):
            status, seconds = post(port, "auth/send-reset-code", {"phone": phone}, f"10.2.{n // 250}.{n % 250}")
            if status != 200:
                raise SystemExit(f"send-reset-code answered {status}")
            latencies.append(seconds)
        while len(received(sink_file)) < people and time.perf_counter() - started < 120:
            time.sleep(0.05)
        drained = time.perf_counter() - started
        got = len(received(sink_file))

        target = phones[0]
        # Eight at a time (threads: this directory's queue.py hides the standard one).
        statuses = []
        for wave in range(0, 60, 8):
            def ask(n):
                statuses.append(post(port, "auth/send-reset-code", {"phone": target}, f"10.3.0.{n}")[0])
            threads = [threading.Thread(target=ask, args=(n,)) for n in range(wave, min(wave + 8, 60))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        time.sleep(3)
        number = "+970" + target[1:]
        to_target = [m for m in received(sink_file) if m["to"] == number]
        latencies.sort()
        print(json.dumps({
            "binary": binary,
            "people": people,
            "send_reset_code_ms": {
                "median": round(statistics.median(latencies) * 1000, 1),
                "p95": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
            },
            "messages_at_gateway": got,
            "seconds_until_all_arrived": round(drained, 2),
            "burst": {
                "requests": len(statuses),
                "answered_200": statuses.count(200),
                "messages_to_the_number_in_total": len(to_target),
            },
        }, indent=2))
    finally:
        server.terminate()
        sink.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
