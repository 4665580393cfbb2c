#!/usr/bin/env bash
# A local SMS gateway (sms-sink.py) for the browser tests: `start` (idempotent) or `stop`. It
# appends what it receives to $RIYADA_E2E_SMS_FILE, one JSON line per message.
set -euo pipefail
file="${RIYADA_E2E_SMS_FILE:?}"
port="${RIYADA_E2E_SMS_PORT:?}"
pidfile="$file.pid"
case "$1" in
  start)
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then exit 0; fi
    touch "$file"
    nohup python3 "$(dirname "$0")/sms-sink.py" "$port" "$file" >/dev/null 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 100); do
      if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then exit 0; fi
      sleep 0.1
    done
    echo "the test SMS gateway did not start" >&2
    exit 1
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      kill "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
    fi
    ;;
esac
