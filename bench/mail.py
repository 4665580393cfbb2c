#!/usr/bin/env python3
"""E-mail benchmark: what queuing e-mail costs a step, how fast the outbox drains into a real
SMTP server, and what an SMTP outage does.

Usage: python3 bench/mail.py [path/to/riyada]   (default target/release/riyada)

Starts aiosmtpd (from .tools/py, installed by scripts/test) and its own server over a fresh
SQLite data directory with --smtp-url pointing at it. A Fund admin creates five managers of
the Rafah chamber; entrepreneurs then request services, each request notifying the five
managers (five e-mails queued in the request's transaction).
  1. SMTP up: latency of `services/request` (median, p95) and the time until every e-mail
     has arrived, as messages per second;
  2. SMTP down: the same latency while the worker's attempts fail;
  3. SMTP back: time until the held e-mail arrives, and whether any arrived twice.
"""
import http.client
import json
import mailbox
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

from benchlib import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AIOSMTPD = os.environ.get("RIYADA_TEST_AIOSMTPD", os.path.join(ROOT, ".tools/py/bin/aiosmtpd"))
MANAGERS = 5
PASSWORD = "bench-password-1"


def wait_for(port):
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")


class Sink:
    def __init__(self):
        self.port = free_port()
        self.dir = os.path.join(tempfile.mkdtemp(prefix="riyada-bench-mail-"), "maildir")
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([AIOSMTPD, "-n", "-l", f"127.0.0.1:{self.port}", "-c",
                                      "aiosmtpd.handlers.Mailbox", self.dir],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.port)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def messages(self):
        if not os.path.isdir(os.path.join(self.dir, "new")):
            return []
        box = mailbox.Maildir(self.dir, create=False)
        return [(m["To"], m["Subject"], m["Message-ID"]) for m in box]


def call(port, endpoint, fields, cookie=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = cookie
    conn.request("POST", f"/api/{endpoint}", urllib.parse.urlencode(fields).encode(), headers)
    r = conn.getresponse()
    body = r.read()
    cookie_out = None
    for name, value in r.getheaders():
        if name.lower() == "set-cookie" and value.startswith("riyada_session="):
            cookie_out = value.split(";")[0]
    conn.close()
    if r.status != 200:
        raise SystemExit(f"{endpoint}: {r.status} {body[:200]!r}")
    return json.loads(body) if body else None, cookie_out


def entrepreneur(port, n):
    phone = "0598" + str(n).zfill(6)
    _, cookie = call(port, "auth/register", {
        "input[full_name]": f"رائدة أعمال {n}", "input[phone]": phone, "input[email]": "",
        "input[password]": PASSWORD, "input[gender]": "female", "input[birth_date]": "1990-01-01",
        "input[governorate]": "rafah", "input[chamber]": "",
    })
    return cookie


def requests(port, people, per_person, services, first):
    latencies = []
    for p in range(people):
        cookie = entrepreneur(port, first + p)
        for i in range(per_person):
            started = time.perf_counter()
            call(port, "services/request", {"service_id": services[i % len(services)], "note": ""}, cookie)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def wait_mail(sink, count, timeout=300):
    started = time.perf_counter()
    while len(sink.messages()) < count:
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"only {len(sink.messages())} of {count} e-mails arrived")
        time.sleep(0.05)
    return time.perf_counter() - started


def summary(ms):
    ms = sorted(ms)
    return f"median {statistics.median(ms):.1f} ms, p95 {ms[int(len(ms) * 0.95) - 1]:.1f} ms, n={len(ms)}"


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/riyada")
    sink = Sink()
    sink.start()
    data = tempfile.mkdtemp(prefix="riyada-bench-")
    env = dict(os.environ, RIYADA_DATA_DIR=data, RIYADA_LOG="warn")
    env.pop("RIYADA_DATABASE_URL", None)
    subprocess.run([binary, "create-user", "--role", "fund-admin", "--email", "fund@bench.ps"],
                   input=b"fund-bench-pass-1\n", env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--addr", f"127.0.0.1:{port}", "--smtp-url",
                               f"smtp://127.0.0.1:{sink.port}", "--mail-poll-secs", "1",
                               "--mail-retry-max-secs", "2", "--site-root", os.path.join(ROOT, "target/site")],
                              env=env)
    try:
        wait_for(port)
        _, fund = call(port, "auth/login", {"identifier": "fund@bench.ps", "password": "fund-bench-pass-1"})
        for m in range(MANAGERS):
            call(port, "admin/users/create", {
                "input[full_name]": f"مدير {m}", "input[email]": f"manager{m}@rafah.ps", "input[phone]": "",
                "input[role]": "chamber-manager", "input[chamber]": "rafah", "input[password]": PASSWORD,
            }, fund)
        catalogue, _ = call(port, "services/catalogue", {}, fund)
        services = [s["id"] for s in catalogue]

        # 1. SMTP up.
        started = time.perf_counter()
        up = requests(port, 10, 20, services, 0)
        expected = len(up) * MANAGERS
        drained = wait_mail(sink, expected)
        total = time.perf_counter() - started
        print(f"SMTP up:   services/request {summary(up)}")
        print(f"           {expected} e-mails delivered {drained:.2f} s after the last request, "
              f"{expected / total:.0f} e-mails/s over the whole run ({total:.2f} s)")

        # 2. SMTP down.
        sink.stop()
        down = requests(port, 5, 20, services, 100)
        held = len(down) * MANAGERS
        time.sleep(3)
        print(f"SMTP down: services/request {summary(down)}; {held} e-mails held in the outbox")

        # 3. SMTP back.
        sink.start()
        back = wait_mail(sink, expected + held)
        time.sleep(3)
        got = sink.messages()
        print(f"SMTP back: the {held} held e-mails arrived within {back:.2f} s; "
              f"{len(got)} received for {expected + held} queued ({len(got) - expected - held} extra)")
    finally:
        server.terminate()
        server.wait(timeout=10)
        sink.stop()


if __name__ == "__main__":
    main()
