#!/usr/bin/env bash
# A real SMTP server (aiosmtpd) for the browser tests: `start` (idempotent) or `stop`. It
# keeps what it receives in the maildir $RIYADA_E2E_MAILDIR; its pid sits next to it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
aiosmtpd="${RIYADA_TEST_AIOSMTPD:-$root/.tools/py/bin/aiosmtpd}"
maildir="${RIYADA_E2E_MAILDIR:?}"
port="${RIYADA_E2E_SMTP_PORT:?}"
pidfile="$maildir.pid"
case "$1" in
  start)
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then exit 0; fi
    nohup "$aiosmtpd" -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$maildir" >/dev/null 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 100); do
      if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then exit 0; fi
      sleep 0.1
    done
    echo "the test SMTP server did not start" >&2
    exit 1
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      kill "$(cat "$pidfile")" 2>/dev/null || true
      rm -f "$pidfile"
    fi
    ;;
esac
