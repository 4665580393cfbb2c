#!/usr/bin/env python3
"""Web performance budgets of issue 6, measured on this machine.

Usage: python3 bench/web.py [--skip-lighthouse]
Needs the release build: `./scripts/build-site` (scripts/run does it too).
Installs what is missing: Debian's wrk, bench/loadgen (cargo, release), npm lighthouse
12 into .tools/lighthouse, Playwright (end2end/node_modules, from its lock file).

Measures, each against its own server over a fresh SQLite data directory:
  1. sizes: the WASM, JS, CSS as brotli files; the fonts;
  2. bytes of a first visit (landing, then sign-in by its link) as Chromium counts them,
     the service worker's downloads included, and WASM bytes of a repeat visit;
  3. wrk, 64 connections for 30 s on the landing page (SSR): requests/s, p99, errors;
  4. the save-section server function, 64 connections for 30 s, each writing its own plan
     at the revision the previous save answered (bench/loadgen);
  5. Lighthouse 12 (mobile, default throttling) on landing, sign-in and the plan editor, and
     landing with 300 ms RTT / 700 kbps; the median of three runs each.
Prints one JSON document on stdout, and nothing else there (progress and the server's log go
to stderr).
"""
import json
import os
import re
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
TOOLS = os.path.join(ROOT, ".tools")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class Server:
    def __init__(self):
        self.port = free_port()
        self.data = tempfile.mkdtemp(prefix="riyada-bench-web.")
        env = dict(os.environ, RIYADA_DATA_DIR=self.data, RIYADA_SITE_ROOT=SITE, RIYADA_LOG="warn")
        env.pop("RIYADA_DATABASE_URL", None)
        # The server's log goes to stderr: stdout carries only the JSON result.
        self.process = subprocess.Popen([BIN, "serve", "--addr", f"127.0.0.1:{self.port}"], env=env,
                                        stdout=sys.stderr, stderr=sys.stderr)
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.data, ignore_errors=True)


def ensure_tools(lighthouse):
    if not os.path.exists(BIN):
        raise SystemExit("no release build: run `./scripts/build-site` first")
    if not shutil.which("wrk"):
        log("installing wrk (Debian)")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=sys.stderr)
    log("building the load generator (release, bench/loadgen)")
    subprocess.run(["cargo", "build", "--release", "-q", "--manifest-path", os.path.join(ROOT, "bench", "loadgen", "Cargo.toml"),
                    "--target-dir", os.path.join(ROOT, "target", "loadgen")], cwd=ROOT, check=True, stdout=sys.stderr)
    if lighthouse and not os.path.exists(os.path.join(TOOLS, "lighthouse", "node_modules", ".bin", "lighthouse")):
        log("installing lighthouse 12 (npm) into .tools/lighthouse")
        os.makedirs(os.path.join(TOOLS, "lighthouse"), exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", os.path.join(TOOLS, "lighthouse"), "--no-audit", "--no-fund",
                        "lighthouse@12"], check=True, stdout=sys.stderr)
    end2end = os.path.join(ROOT, "end2end")
    if not os.path.exists(os.path.join(end2end, "node_modules", "@playwright", "test")):
        log("installing Playwright (npm ci in end2end/)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=end2end, check=True, stdout=sys.stderr)


def sizes():
    """The files of both browser builds: `app` (staff pages) and `islands` (an entrepreneur's)."""
    pkg = os.path.join(SITE, "pkg")
    out = {"app": {}, "islands": {}}
    for name in sorted(os.listdir(pkg)):
        build = out["islands"] if name.startswith("riyada-islands.") else out["app"]
        for ext in ("wasm", "js", "css"):
            if name.endswith("." + ext):
                path = os.path.join(pkg, name)
                build[ext] = {"raw": os.path.getsize(path)}
                for suffix in ("br", "gz"):
                    if os.path.exists(path + "." + suffix):
                        build[ext][suffix] = os.path.getsize(path + "." + suffix)
    fonts = os.path.join(SITE, "fonts")
    out["fonts"] = {n: os.path.getsize(os.path.join(fonts, n)) for n in sorted(os.listdir(fonts)) if n.endswith(".woff2")}
    return out


def first_visit(server):
    phone, password = "0598" + str(os.getpid() % 1000000).zfill(6), "bench-password-42"
    register(server, phone, password)
    env = dict(os.environ, PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS="1", CHROMIUM_PATH=CHROMIUM)
    result = subprocess.run(["node", os.path.join(ROOT, "bench", "first-visit.mjs"), server.url, phone, password],
                            cwd=os.path.join(ROOT, "end2end"), env=env, check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def parse_duration_ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk_landing(server):
    result = subprocess.run(["wrk", "-t2", "-c64", "-d30s", "--latency", "-H", "Accept-Encoding: gzip, deflate, br, zstd", server.url + "/"],
                            check=True, capture_output=True, text=True)
    text = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99 = parse_duration_ms(re.search(r"\s99%\s+(\S+)", text).group(1))
    p50 = parse_duration_ms(re.search(r"\s50%\s+(\S+)", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return {"requests_per_second": rps, "p50_ms": p50, "p99_ms": p99, "errors": errors}


def loadgen(server, mode):
    binary = os.path.join(ROOT, "target", "loadgen", "release", "riyada-loadgen")
    result = subprocess.run([binary, server.url, "64", "30", mode], check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def register(server, phone, password):
    """A new entrepreneur's account; the session cookie it was given."""
    import urllib.parse
    form = urllib.parse.urlencode({
        "input[full_name]": "رائدة", "input[phone]": phone,
        "input[email]": "", "input[password]": password, "input[gender]": "female",
        "input[birth_date]": "1994-04-04", "input[governorate]": "gaza", "input[chamber]": "",
    }).encode()
    request = urllib.request.Request(server.url + "/api/auth/register", data=form,
                                     headers={"accept": "application/json"})
    response = urllib.request.urlopen(request)
    return next(v.split(";")[0] for k, v in response.headers.items() if k.lower() == "set-cookie"
                and "riyada_session=" in v)


def session_and_plan(server):
    """An entrepreneur with a plan, for Lighthouse on the editor: (cookie, plan path)."""
    import urllib.parse
    cookie = register(server, "0599" + str(os.getpid() % 1000000).zfill(6), "bench-password-42")
    form = urllib.parse.urlencode({"title": "مخبز العائلة", "currency": "ILS"}).encode()
    request = urllib.request.Request(server.url + "/api/plans/create", data=form,
                                     headers={"accept": "application/json", "cookie": cookie})
    plan = int(urllib.request.urlopen(request).read().decode().strip())
    return cookie, f"/plans/{plan}/idea"


def lighthouse_median(server, path, cookie=None, slow=False, runs=3):
    """Lighthouse's simulated throttling varies from run to run: the median of three by
    score, with every run's score."""
    results = sorted((lighthouse(server, path, cookie, slow) for _ in range(runs)), key=lambda r: r["performance"])
    median = dict(results[len(results) // 2])
    median["scores_of_runs"] = [r["performance"] for r in results]
    return median


def lighthouse(server, path, cookie=None, slow=False):
    binary = os.path.join(TOOLS, "lighthouse", "node_modules", ".bin", "lighthouse")
    out = tempfile.mktemp(suffix=".json")
    args = [binary, server.url + path, "--only-categories=performance", "--output=json", f"--output-path={out}",
            "--quiet", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    if cookie:
        args.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    if slow:
        args += ["--throttling.rttMs=300", "--throttling.throughputKbps=700"]
    for attempt in range(3):
        # Chromium now and then fails to start right after the load tests: try again.
        run = subprocess.run(args, env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True)
        if run.returncode == 0:
            break
        log(f"lighthouse failed (attempt {attempt + 1}): {run.stderr.strip()[-300:]}")
        time.sleep(2)
    else:
        raise SystemExit("lighthouse failed three times")
    with open(out) as f:
        report = json.load(f)
    os.unlink(out)
    audits = report["audits"]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
    }


def main():
    run_lighthouse = "--skip-lighthouse" not in sys.argv
    ensure_tools(run_lighthouse)
    results = {"sizes": sizes()}
    server = Server()
    try:
        log("first visit bytes")
        results["first_visit"] = first_visit(server)
        log("wrk: landing page, 64 connections, 30 s")
        results["wrk_landing"] = wrk_landing(server)
        log("loadgen: landing page, 64 connections, 30 s")
        results["loadgen_landing"] = loadgen(server, "landing")
        log("loadgen: save-section, 64 connections, 30 s")
        results["save_section"] = loadgen(server, "save-section")
        if run_lighthouse:
            cookie, editor = session_and_plan(server)
            results["lighthouse"] = {}
            for name, path, c in [("landing", "/", None), ("sign_in", "/sign-in", None), ("plan_editor", editor, cookie)]:
                log(f"lighthouse: {name}")
                results["lighthouse"][name] = lighthouse_median(server, path, c)
            log("lighthouse: landing at 300 ms RTT / 700 kbps")
            results["lighthouse"]["landing_300ms_700kbps"] = lighthouse_median(server, "/", slow=True)
    finally:
        server.stop()
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
