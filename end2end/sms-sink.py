"""A local SMS gateway for the browser tests: takes the portal's JSON POSTs on /send and
appends each message, as one JSON line ({"to", "text", "from"}), to the file it is given.
Usage: sms-sink.py PORT FILE"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, path = int(sys.argv[1]), sys.argv[2]


class Gateway(BaseHTTPRequestHandler):
    def do_POST(self):
        length = min(int(self.headers.get("Content-Length") or 0), 64 * 1024)
        message = json.loads(self.rfile.read(length) or b"{}")
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(message, ensure_ascii=False) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Gateway).serve_forever()
