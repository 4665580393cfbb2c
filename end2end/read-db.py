"""Prints the rows of one read-only query over the server's SQLite database as JSON: the
browser tests count what was seeded on their own, to check the figures the portal shows."""
import json
import sqlite3
import sys

db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
json.dump(db.execute(sys.argv[2], sys.argv[3:]).fetchall(), sys.stdout, ensure_ascii=False)
