#!/usr/bin/env python3
"""The Fund's dashboard and the review queue over demo data (issue 14), on SQLite or PostgreSQL.

Usage: python3 bench/dashboard.py [--entrepreneurs N] [--database-url postgres://…] [--bin …]
Needs a release build of the server: `cargo build --release -p server --bin riyada`.

Seeds a fresh database with `riyada seed-demo --entrepreneurs N` (timed: the whole command,
people, plans, events, documents, requests and the demo staff's password hashing), starts
`riyada serve` and signs in as the demo Fund admin and a demo chamber manager, then times
the `fund/dashboard` server function (every chamber; one chamber; one chamber with women and
one sector, as a manager), the review queue's first page with a filter, one dashboard CSV,
the labour-demand table (every chamber; one chamber) and its CSV, the establishments
register's first page (an advisor) and its CSV (the Fund), and the download of the
whole queue (every chamber, as the Fund) as CSV and as XLSX: its
time, its size and the server's peak resident memory while it ran (the kernel's high-water
mark, reset before each download, against the resident memory before it).
Without --database-url the database is SQLite in a temporary directory; with it, it must be
an empty PostgreSQL database. Prints one JSON document: per query the median and 95th
percentile over the repetitions, in ms.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from benchlib import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(opener, url, body, repeat):
    times, answer = [], None
    for _ in range(repeat):
        request = urllib.request.Request(
            url,
            data=body,
            headers={"accept": "application/json", "content-type": "application/x-www-form-urlencoded"},
        )
        start = time.perf_counter()
        with opener.open(request) as reply:
            answer = reply.read()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(int(len(times) * 0.95) - 1, 0)], 2),
    }, answer


def server_fn(opener, port, endpoint, params, repeat):
    body = urllib.parse.urlencode({f"params[{k}]": v for k, v in params.items()}).encode()
    result, answer = timed(opener, f"http://127.0.0.1:{port}/api/{endpoint}", body, repeat)
    return result, json.loads(answer)


def memory_kib(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def download(opener, url, pid):
    """Time one download and the server's peak memory while it ran."""
    with open(f"/proc/{pid}/clear_refs", "w") as refs:
        refs.write("5")  # resets VmHWM to the present resident size
    before = memory_kib(pid, "VmRSS")
    start = time.perf_counter()
    size, lines = 0, 0
    with opener.open(url) as reply:
        while chunk := reply.read(1 << 16):
            size += len(chunk)
            lines += chunk.count(b"\n")
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 2),
        "bytes": size,
        "csv_lines": lines,
        "rss_before_mib": round(before / 1024, 1),
        "peak_rss_mib": round(memory_kib(pid, "VmHWM") / 1024, 1),
    }


def sign_in(port, email, password):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    login = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/auth/login",
        data=urllib.parse.urlencode({"identifier": email, "password": password}).encode(),
        headers={"accept": "application/json"},
    )
    opener.open(login).read()
    return opener


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entrepreneurs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url")
    parser.add_argument("--bin", default=os.path.join(ROOT, "target/release/riyada"))
    parser.add_argument(
        "--data-dir",
        help="seed here once and keep it: a later run over the same directory (and database) "
        "skips seeding, for trying a change quickly (SQLite only)",
    )
    args = parser.parse_args()
    data = args.data_dir or tempfile.mkdtemp(prefix="riyada-dashboard-bench.")
    os.makedirs(data, exist_ok=True)
    env = dict(os.environ, RIYADA_DATA_DIR=data, RIYADA_LOG="warn")
    env.pop("RIYADA_DATABASE_URL", None)
    if args.database_url:
        env["RIYADA_DATABASE_URL"] = args.database_url
    kept = os.path.join(data, "bench-seed.json")
    if args.data_dir and os.path.exists(kept):
        with open(kept) as f:
            seed_s, said, accounts = json.load(f)
    else:
        started = time.perf_counter()
        seeded = subprocess.run(
            [args.bin, "seed-demo", "--entrepreneurs", str(args.entrepreneurs), "--seed", "14"],
            env=env, check=True, capture_output=True, text=True,
        )
        seed_s = time.perf_counter() - started
        said = next((l for l in seeded.stdout.splitlines() if l.startswith("demo data:")), "")
        accounts = {}
        for line in seeded.stdout.splitlines():
            m = re.match(r"\s+(\S+)\s+(\S+@demo\.riyada\.ps)\s+(?:(\S+)\s+)?(\S+)$", line)
            if m:
                accounts[m.group(2)] = m.group(4)
        if args.data_dir:
            with open(kept, "w") as f:
                json.dump([seed_s, said, accounts], f)
    port = free_port()
    server = subprocess.Popen([args.bin, "serve", "--addr", f"127.0.0.1:{port}"], env=env)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        fund = sign_in(port, "fund@demo.riyada.ps", accounts["fund@demo.riyada.ps"])
        manager = sign_in(port, "manager.gaza@demo.riyada.ps", accounts["manager.gaza@demo.riyada.ps"])
        advisor = sign_in(port, "advisor1.gaza@demo.riyada.ps", accounts["advisor1.gaza@demo.riyada.ps"])
        results = {
            "database": "postgresql" if args.database_url else "sqlite",
            "entrepreneurs": args.entrepreneurs,
            "seed_demo_seconds": round(seed_s, 1),
            "seed_demo_said": said,
        }
        results["dashboard_all_chambers"], everything = server_fn(fund, port, "fund/dashboard", {}, args.repeat)
        gaza = next(c["id"] for c in everything["chambers"] if c["name"]["en"].startswith("Gaza Chamber"))
        results["plans_counted"] = everything["funnel"][0]["plans"]
        results["dashboard_one_chamber"], _ = server_fn(fund, port, "fund/dashboard", {"chamber": gaza}, args.repeat)
        results["dashboard_chamber_women_sector"], narrow = server_fn(
            fund, port, "fund/dashboard", {"chamber": gaza, "gender": "female", "sector": "trade"}, args.repeat
        )
        results["narrow_plans_counted"] = narrow["funnel"][0]["plans"]
        results["dashboard_as_manager"], _ = server_fn(manager, port, "fund/dashboard", {}, args.repeat)
        results["queue_first_page_filtered"], page = server_fn(
            advisor, port, "review/queue", {"status": "in_review", "sector": "trade"}, args.repeat * 3
        )
        results["queue_total"] = page["total"]
        results["queue_first_page_fund"], _ = server_fn(fund, port, "review/queue", {"gender": "female"}, args.repeat)
        results["csv_chambers"], _ = timed(
            fund, f"http://127.0.0.1:{port}/fund/export/chambers.csv", None, args.repeat
        )
        results["labour_all_chambers"], labour = server_fn(fund, port, "fund/labour", {}, args.repeat)
        results["labour_groups"] = labour["total_rows"]
        results["labour_one_chamber"], _ = server_fn(fund, port, "fund/labour", {"chamber": gaza}, args.repeat)
        results["labour_csv"] = download(fund, f"http://127.0.0.1:{port}/fund/export/labour.csv", server.pid)
        results["establishments"] = everything["establishments_total"]
        results["register_first_page"], register = server_fn(advisor, port, "establishments/list", {}, args.repeat)
        results["register_chamber_total"] = register["total"]
        results["register_csv"] = download(
            fund, f"http://127.0.0.1:{port}/staff/establishments/export/establishments.csv", server.pid
        )
        queue = f"http://127.0.0.1:{port}/review/export/queue"
        results["queue_export_csv"] = download(fund, queue + ".csv", server.pid)
        results["queue_export_xlsx"] = download(fund, queue + ".xlsx", server.pid)
        results["queue_export_xlsx"].pop("csv_lines")
        print(json.dumps(results, ensure_ascii=False, indent=2))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
