"""Prints the portal's e-mail outbox as JSON (to, attempts, sent, failed), oldest first, read
from the SQLite database of the server under test: the browser tests learn from it that the
mail worker tried (and failed, or succeeded), instead of waiting and hoping."""
import json
import sqlite3
import sys

db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
rows = db.execute(
    "SELECT to_address, attempts, sent_at IS NOT NULL, failed_at IS NOT NULL FROM email_outbox ORDER BY id"
).fetchall()
json.dump(
    [{"to": to, "attempts": attempts, "sent": bool(sent), "failed": bool(failed)} for to, attempts, sent, failed in rows],
    sys.stdout,
)
