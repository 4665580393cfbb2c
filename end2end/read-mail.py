"""Prints the messages in a maildir as JSON (to, subject, text, html), oldest first; the
browser tests read what the portal sent with it."""
import json
import mailbox
import os
import sys
from email import policy
from email.parser import BytesParser

messages = []
box = mailbox.Maildir(sys.argv[1], factory=None, create=False) if os.path.isdir(f"{sys.argv[1]}/new") else None
for key in box.keys() if box is not None else []:
    path = box._lookup(key)
    with open(f"{sys.argv[1]}/{path}", "rb") as f:
        msg = BytesParser(policy=policy.default).parse(f)
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    messages.append({
        "to": str(msg["to"]),
        "subject": str(msg["subject"]),
        "date": msg["date"].datetime.timestamp() if msg["date"] else 0,
        "text": text.get_content() if text else "",
        "html": html.get_content() if html else "",
        "key": key,
    })
messages.sort(key=lambda m: (m["date"], m["key"]))
json.dump(messages, sys.stdout, ensure_ascii=False)
