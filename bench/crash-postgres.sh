#!/usr/bin/env bash
# The crash run of server/tests/integration/crash.rs on PostgreSQL: the real server killed
# with SIGKILL fifty times or more while an entrepreneur saves her plan and uploads
# documents, then every acknowledged save and upload checked, on a throwaway PostgreSQL
# cluster (Debian's binaries, as the test command uses). Prints the run's numbers.
source "$(dirname "$0")/../scripts/setup.sh"
cd "$ROOT"
start_postgres
trap stop_postgres EXIT
RIYADA_CRASH_BACKEND=postgres cargo test --locked -p domain -p app -p server --features app/ssr \
  --test integration -- crash:: --nocapture 2>&1 | grep -E "kills in|test result|panicked|assert"
