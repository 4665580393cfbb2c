#!/usr/bin/env bash
# Starts the built server for the browser tests: fresh data directory, a Fund admin made
# with the CLI (as an operator would), then `riyada serve` on the given port.
set -euo pipefail
port="$1"
smtp_port="$2"
sms_port="${3:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${RIYADA_BIN:-$root/target/debug/riyada}"
# RIYADA_E2E_DATA_DIR: start again over the data of an earlier start (an outage test).
export RIYADA_DATA_DIR="${RIYADA_E2E_DATA_DIR:-$(mktemp -d /tmp/riyada-e2e.XXXXXX)}"
export RIYADA_SITE_ROOT="${RIYADA_SITE_ROOT:-$root/target/site}"
# Everything the server logs at info goes to a file in its data directory, which the run's
# teardown reads: no password, phone number or link token may be in it.
export RIYADA_LOG="${RIYADA_LOG:-info}"
unset RIYADA_DATABASE_URL
if [ ! -e "$RIYADA_DATA_DIR/riyada.db" ]; then
  printf '%s\n' "fund-admin-pass-1" | "$bin" create-user --role fund-admin --email fund@pfesp.ps --name "إدارة الصندوق"
  # Demo data for the dashboard's tests, in two chambers no other test uses (not for a
  # server of the offline tests' own, which never reads it: its start stays quick).
  if [ -z "${RIYADA_E2E_NO_DEMO:-}" ]; then
    "$bin" seed-demo --entrepreneurs 300 --seed 7 --chambers khan_younis,north_gaza --no-staff >/dev/null
  fi
fi
# E-mail to the test SMTP server and SMS to the test gateway; retries every two seconds at most, so an outage test is quick.
# Every test registers its people from this one address, far more than an office would in
# an hour: the registration throttle (proved by the integration tests) is raised here.
sms=()
if [ -n "$sms_port" ]; then
  sms=(--sms-provider http --sms-url "http://127.0.0.1:$sms_port/send" --sms-poll-secs 1
    --sms-body '{"to":"{to}","text":"{text}","from":"{sender}"}' --sms-person-daily-cap 50 --sms-segment-cost-agorot 12)
fi
# Its complaints too (a port it cannot listen on), so a failed start can be read there.
exec >>"$RIYADA_DATA_DIR/server.log" 2>&1
exec "$bin" serve --addr "127.0.0.1:$port" --smtp-url "smtp://127.0.0.1:$smtp_port" \
  --public-url "http://127.0.0.1:$port" --mail-poll-secs 1 --mail-retry-max-secs 2 \
  --registrations-per-address-hourly 100000 "${sms[@]}"
