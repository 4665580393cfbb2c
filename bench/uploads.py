#!/usr/bin/env python3
"""Upload benchmark: server memory while receiving large files, throughput on loopback and
time to resume after a cut.

Usage: python3 bench/uploads.py [path/to/riyada]   (default target/release/riyada)

Starts its own server over a fresh data directory (SQLite, documents on disk), registers an
entrepreneur and measures, sampling the server's resident memory (VmRSS) every 5 ms:
  1. a 100 MB plain-form upload sent without a length (cut off at the 20 MB limit);
  2. a 20 MB file in 1 MiB chunks (accepted): throughput and memory;
  3. a 20 MB plain-form upload (accepted): memory;
  4. a cut half way through a chunked upload, then resume: time from reconnecting to the
     next chunk being confirmed, and bytes sent again.
"""
import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

from benchlib import free_port

MiB = 1024 * 1024
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Server:
    def __init__(self, binary):
        self.port = free_port()
        self.data = tempfile.mkdtemp(prefix="riyada-bench-")
        env = dict(os.environ, RIYADA_DATA_DIR=self.data, RIYADA_LOG="warn")
        env.pop("RIYADA_DATABASE_URL", None)
        self.proc = subprocess.Popen(
            [binary, "serve", "--addr", f"127.0.0.1:{self.port}", "--site-root", os.path.join(ROOT, "target/site")],
            env=env,
        )
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("server did not start")

    def rss(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Peak:
    """Samples the server's RSS in the background; `growth` is peak minus the start."""

    def __init__(self, server):
        self.server = server

    def __enter__(self):
        self.start = self.server.rss()
        self.peak = self.start
        self.running = True
        self.thread = threading.Thread(target=self.sample)
        self.thread.start()
        return self

    def sample(self):
        while self.running:
            self.peak = max(self.peak, self.server.rss())
            time.sleep(0.005)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.growth = self.peak - self.start


def request(port, method, path, body=b"", headers=None, cookie=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    h = {"Accept": "application/json"}
    h.update(headers or {})
    if cookie:
        h["Cookie"] = cookie
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, r.getheaders(), data


def register(port):
    phone = "059" + str(int(time.time() * 1000))[-7:]
    form = urllib.parse.urlencode({
        "input[full_name]": "قياس الأداء", "input[phone]": phone, "input[email]": "",
        "input[password]": "bench-password-1", "input[gender]": "female",
        "input[birth_date]": "1990-01-01", "input[governorate]": "gaza", "input[chamber]": "",
    })
    status, headers, _ = request(port, "POST", "/api/auth/register", form.encode(),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200, status
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("riyada_session="):
            return value.split(";")[0]
    raise SystemExit("no session cookie")


def pdf(size, seed):
    head, tail = b"%PDF-1.4\n", b"\n%%EOF\n"
    block = hashlib.sha256(seed.encode()).digest() * 2048  # 64 KiB of varied bytes
    body = (block * (size // len(block) + 1))[: size - len(head) - len(tail)]
    return head + body + tail


def form_upload_streamed(port, cookie, size, chunked):
    """A plain-form upload of `size` bytes, generated on the fly (never held whole)."""
    boundary = "riyadabenchboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"doc_type\"\r\n\r\nquotation\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n").encode()
    tail = f"\n%%EOF\n\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.putrequest("POST", "/uploads/form")
    conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    conn.putheader("Cookie", cookie)
    if chunked:
        conn.putheader("Transfer-Encoding", "chunked")
    else:
        conn.putheader("Content-Length", str(len(head) + size + len(tail)))
    conn.endheaders()

    def send(piece):
        conn.send(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)

    piece = b"a" * (256 * 1024)
    try:
        send(head)
        sent = 0
        while sent < size:
            n = min(len(piece), size - sent)
            send(piece[:n])
            sent += n
        send(tail)
        if chunked:
            conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server stopped reading at the limit
    try:
        r = conn.getresponse()
        return r.status, r.getheader("Location")
    except (ConnectionResetError, http.client.RemoteDisconnected):
        return 0, "connection closed by the server"
    finally:
        conn.close()


def chunked_upload(port, cookie, data, name, stop_after=None):
    announce = json.dumps({"doc_type": "quotation", "name": name, "size": len(data),
                           "sha256": hashlib.sha256(data).hexdigest()}).encode()
    status, _, body = request(port, "POST", "/uploads", announce, {"Content-Type": "application/json"}, cookie)
    assert status == 201, (status, body)
    progress = json.loads(body)
    chunks = 0
    while progress["document"] is None:
        if stop_after is not None and chunks == stop_after:
            return progress
        offset = progress["received"]
        piece = data[offset: offset + progress["chunk_size"]]
        status, _, body = request(port, "PUT", f"/uploads/{progress['id']}?offset={offset}", piece,
                                  {"Content-Type": "application/octet-stream"}, cookie)
        assert status == 200, (status, body)
        progress = json.loads(body)
        chunks += 1
    return progress


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/riyada")
    server = Server(binary)
    try:
        cookie = register(server.port)
        # Warm up (first requests allocate pools and caches).
        chunked_upload(server.port, cookie, pdf(3 * MiB, "warm"), "warm.pdf")
        print(f"server RSS at rest: {server.rss() / MiB:.1f} MiB")

        with Peak(server) as p:
            status, location = form_upload_streamed(server.port, cookie, 100 * 1000 * 1000, chunked=True)
        print(f"100 MB form upload without a length: {status} {location}; RSS growth {p.growth / MiB:.1f} MiB")

        data = pdf(20 * 1000 * 1000, "twenty")
        with Peak(server) as p:
            started = time.perf_counter()
            done = chunked_upload(server.port, cookie, data, "twenty.pdf")
            seconds = time.perf_counter() - started
        assert done["document"]["size"] == len(data)
        print(f"20 MB in 1 MiB chunks: {seconds:.2f} s, {len(data) / seconds / 1e6:.1f} MB/s; "
              f"RSS growth {p.growth / MiB:.1f} MiB")

        with Peak(server) as p:
            status, location = form_upload_streamed(server.port, cookie, 19 * 1000 * 1000, chunked=False)
        print(f"19 MB form upload: {status} {location}; RSS growth {p.growth / MiB:.1f} MiB")

        resumable = pdf(20 * 1000 * 1000, "resume")
        half = chunked_upload(server.port, cookie, resumable, "resume.pdf", stop_after=10)
        # The connection is gone; the client comes back, announces the file again and goes on.
        started = time.perf_counter()
        again = json.loads(request(server.port, "POST", "/uploads", json.dumps({
            "doc_type": "quotation", "name": "resume.pdf", "size": len(resumable),
            "sha256": hashlib.sha256(resumable).hexdigest()}).encode(),
            {"Content-Type": "application/json"}, cookie)[2])
        offset = again["received"]
        status, _, _ = request(server.port, "PUT", f"/uploads/{again['id']}?offset={offset}",
                               resumable[offset: offset + MiB], {"Content-Type": "application/octet-stream"}, cookie)
        resumed_ms = (time.perf_counter() - started) * 1000
        assert status == 200 and offset == half["received"]
        print(f"resume after a cut at {offset / MiB:.0f} MiB: next chunk confirmed {resumed_ms:.1f} ms after "
              f"reconnecting; 0 bytes sent twice")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
