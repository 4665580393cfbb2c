#!/usr/bin/env python3
"""The review queue at scale (issue 13): one chamber's queue with 100,000 submitted plans.

Usage: python3 bench/queue.py [--plans N] [--bin target/release/riyada]
Needs a release build of the server: `cargo build --release -p server --bin riyada`.

Over a fresh SQLite data directory: migrates, creates a Fund admin, fills the database with
N entrepreneurs in the Gaza chamber, each with one submitted plan (plain SQL, the columns the
queue reads filled as the server fills them; names without letters that search folding
changes, so the stored folded text equals the name), then starts `riyada serve` and times
the `review/queue` server function as the Fund calls it: the first page, a page deep in the
list (by its cursor), the newest-first and best-score-first orders, a filtered page and a
text search. Prints one
JSON document: per query the median and 95th percentile over the repetitions, in ms, and
the total the queue reported.
"""
import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from benchlib import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "bench-fund-pass-1"
FIRST = ["سمير", "هند", "خالد", "رنا", "يوسف", "ريم", "طارق", "سلام"]
LAST = ["حسن", "علي", "عيسى", "داود", "سليم", "نصار", "عودة", "شاهين"]
SECTORS = ["trade", "services", "agriculture_food", "manufacturing_crafts", "ict_digital"]


def fill(db_path, plans):
    db = sqlite3.connect(db_path)
    chamber = db.execute("SELECT id FROM chambers WHERE code = 'gaza'").fetchone()[0]
    now = int(time.time())
    users, rows = [], []
    for n in range(plans):
        name = f"{FIRST[n % 8]} {LAST[(n // 8) % 8]} {n}"
        gender = "female" if n % 2 else "male"
        born = f"{1966 + n % 40}-0{1 + n % 9}-1{n % 9}"
        users.append((name, f"059{n:07d}", gender, born, chamber, now, name))
    db.executemany(
        "INSERT INTO users (role, full_name, phone, password_hash, gender, birth_date, governorate_code, "
        "chamber_id, created_at, updated_at, search_name) VALUES ('entrepreneur', ?, ?, 'x', ?, ?, 'gaza', ?, ?, ?, ?)",
        [(u[0], u[1], u[2], u[3], u[4], u[5], u[5], u[6]) for u in users],
    )
    first_id = db.execute("SELECT MIN(id) FROM users WHERE role = 'entrepreneur'").fetchone()[0]
    for n in range(plans):
        title = f"مشروع {n}"
        since = now - (n * 37) % (90 * 86400)
        submitted = since - 3600
        status = "submitted" if n % 3 else "in_review"
        # Plans in review carry an average score and some open comments.
        score = (n * 7919) % 10001 if status == "in_review" else None
        comments = n % 4 if status == "in_review" else 0
        rows.append((first_id + n, title, status, since, submitted, SECTORS[n % 5], title, now, score, comments))
    db.executemany(
        "INSERT INTO plans (owner_id, title, currency, status, created_at, updated_at, status_since, "
        "first_submitted_at, sector, search_title, review_score, open_comments) "
        "VALUES (?, ?, 'ILS', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(r[0], r[1], r[2], r[7], r[7], r[3], r[4], r[5], r[6], r[8], r[9]) for r in rows],
    )
    # The owner's facts the queue filters by, copied onto each plan as the server does.
    db.execute(
        "UPDATE plans SET owner_chamber_id = (SELECT chamber_id FROM users u WHERE u.id = plans.owner_id), "
        "owner_governorate = (SELECT governorate_code FROM users u WHERE u.id = plans.owner_id), "
        "owner_gender = (SELECT gender FROM users u WHERE u.id = plans.owner_id), "
        "owner_birth_date = (SELECT birth_date FROM users u WHERE u.id = plans.owner_id)"
    )
    db.commit()
    db.execute("ANALYZE")
    db.close()


def timed(opener, port, params, repeat):
    body = urllib.parse.urlencode({f"params[{k}]": v for k, v in params.items()}).encode()
    times, answer = [], None
    for _ in range(repeat):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/review/queue",
            data=body,
            headers={"accept": "application/json", "content-type": "application/x-www-form-urlencoded"},
        )
        start = time.perf_counter()
        with opener.open(request) as reply:
            answer = json.loads(reply.read())
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "total": answer["total"],
        "rows": len(answer["rows"]),
    }, answer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--bin", default=os.path.join(ROOT, "target/release/riyada"))
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="riyada-queue-bench.")
    env = dict(os.environ, RIYADA_DATA_DIR=data, RIYADA_LOG="warn")
    env.pop("RIYADA_DATABASE_URL", None)
    subprocess.run([args.bin, "migrate"], env=env, check=True)
    subprocess.run(
        [args.bin, "create-user", "--role", "fund-admin", "--email", "fund@bench.ps", "--name", "Fund"],
        input=PASSWORD + "\n", text=True, env=env, check=True,
    )
    started = time.perf_counter()
    fill(os.path.join(data, "riyada.db"), args.plans)
    fill_s = time.perf_counter() - started
    port = free_port()
    server = subprocess.Popen([args.bin, "serve", "--addr", f"127.0.0.1:{port}"], env=env)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        login = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/auth/login",
            data=urllib.parse.urlencode({"identifier": "fund@bench.ps", "password": PASSWORD}).encode(),
            headers={"accept": "application/json"},
        )
        opener.open(login).read()
        results = {"plans": args.plans, "fill_seconds": round(fill_s, 1)}
        results["first_page"], first = timed(opener, port, {}, args.repeat)
        # Walk 400 pages in by cursor once (what a person paging would do), then time there.
        after = first["next"]
        for _ in range(399):
            _, page = timed(opener, port, {"after": after}, 1)
            after = page["next"]
        results["page_401"], _ = timed(opener, port, {"after": after}, args.repeat)
        results["newest_first"], _ = timed(opener, port, {"sort": "submitted"}, args.repeat)
        results["best_score_first"], best = timed(opener, port, {"sort": "score"}, args.repeat)
        results["best_score_page_2"], _ = timed(opener, port, {"sort": "score", "after": best["next"]}, args.repeat)
        results["filtered"], _ = timed(
            opener, port, {"status": "in_review", "sector": "trade", "gender": "female", "age": "30-39"}, args.repeat
        )
        results["search_name"], _ = timed(opener, port, {"q": "هند داود"}, args.repeat)
        results["search_title"], _ = timed(opener, port, {"q": "مشروع 99999"}, args.repeat)
        print(json.dumps(results, ensure_ascii=False, indent=2))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
