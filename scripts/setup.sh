# Installs what Riyada needs on a fresh machine, skipping whatever is already there.
# Sourced by scripts/run and scripts/test; `setup_build` for building, `setup_test` adds the
# test tools (PostgreSQL, Chromium, Playwright).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"

# Each step says when it started (minutes into the run), so a slow CI shows where its time goes.
log() { printf '\n==> %s  [%dm%02ds]\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

setup_build() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  # cargo-leptos 0.3.6 is the newest that builds with this machine's Rust (see toolchain notes).
  if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.6'; then
    log "installing cargo-leptos 0.3.6 (about 15 minutes on 2 cores, once)"
    cargo install cargo-leptos --version 0.3.6 --locked
  fi
  # The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
  local wbg
  wbg="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/"/, "", $3); print $3; exit}' "$ROOT/Cargo.lock")"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
    log "installing wasm-bindgen-cli $wbg"
    cargo install wasm-bindgen-cli --version "$wbg"
  fi
  # wasm-opt from npm (Debian's binaryen is too old); cargo-leptos would try to download it.
  if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
    log "installing wasm-opt (binaryen from npm)"
    mkdir -p "$TOOLS"
    (cd "$TOOLS" && npm install --no-save --no-audit --no-fund binaryen@132 >/dev/null)
  fi
}

# The browser builds in release, into target/site: the app's (cargo-leptos project
# `riyada`) and the islands build that starts an entrepreneur's pages (project `islands`,
# built into a site root of its own because cargo-leptos empties it first, then copied
# beside the app's). Extra arguments (`--frontend-only`) go to the app's build; the
# islands build is always browser-only (built with its project's settings, the server
# would get that project's output name).
build_site() {
  cargo leptos build --release --precompress --project riyada "$@"
  cargo leptos build --release --precompress --project islands --frontend-only
  cp "$ROOT"/target/site-islands/pkg/riyada-islands.*.js* "$ROOT"/target/site-islands/pkg/riyada-islands.*.wasm* "$ROOT/target/site/pkg/"
}

setup_test() {
  setup_build
  # leptosfmt formats the view! blocks rustfmt leaves alone; the test command checks them.
  if ! leptosfmt --version 2>/dev/null | grep -q '0\.1\.33'; then
    log "installing leptosfmt 0.1.33 (about 2 minutes on 2 cores, once)"
    cargo install leptosfmt --version 0.1.33 --locked
  fi
  # cargo-deny checks the dependencies against the RustSec advisory database (offline).
  if ! cargo deny --version 2>/dev/null | grep -q '0\.20\.2'; then
    log "installing cargo-deny 0.20.2 (about 4 minutes on 2 cores, once)"
    cargo install cargo-deny --version 0.20.2 --locked
  fi
  # moto: a local S3-compatible server, so document storage is tested against real S3 calls.
  # aiosmtpd: a local SMTP server, so e-mail is tested against a real SMTP conversation.
  if [ ! -x "$TOOLS/py/bin/moto_server" ] || [ ! -x "$TOOLS/py/bin/aiosmtpd" ]; then
    log "installing moto (local S3) and aiosmtpd (local SMTP) from PyPI"
    mkdir -p "$TOOLS"
    [ -x "$TOOLS/py/bin/pip" ] || python3 -m venv "$TOOLS/py"
    "$TOOLS/py/bin/pip" install -q --disable-pip-version-check "moto[server]==5.2.5" "aiosmtpd==1.4.6"
  fi
  # poppler-utils: pdftotext, to check that the plan PDF has real, extractable Arabic text.
  apt_install chromium postgresql poppler-utils
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    log "installing Playwright and axe-core (npm ci; browsers are Debian's Chromium)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
  fi
}

# A free TCP port on loopback.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Starts a throwaway PostgreSQL cluster unless RIYADA_TEST_POSTGRES_URL is set; exports the URL.
start_postgres() {
  if [ -n "${RIYADA_TEST_POSTGRES_URL:-}" ]; then
    log "using PostgreSQL at RIYADA_TEST_POSTGRES_URL"
    return
  fi
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -x "$bin/initdb" ] || { echo "PostgreSQL binaries not found under /usr/lib/postgresql" >&2; exit 1; }
  PG_DIR="$(mktemp -d /tmp/riyada-pg.XXXXXX)"
  PG_BIN="$bin"
  chown postgres:postgres "$PG_DIR" 2>/dev/null || true
  local port
  port="$(free_port)"
  local as_pg=()
  [ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
  "${as_pg[@]}" "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres >/dev/null
  "${as_pg[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -o "-k $PG_DIR -p $port -c listen_addresses=127.0.0.1 -c fsync=off" \
    -l "$PG_DIR/log" -w start >/dev/null
  export RIYADA_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  log "throwaway PostgreSQL on port $port"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ]; then
    local as_pg=()
    [ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
    "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

# Starts moto's S3 server on a free port unless RIYADA_TEST_S3_ENDPOINT is set; exports it.
start_s3() {
  if [ -n "${RIYADA_TEST_S3_ENDPOINT:-}" ]; then
    log "using S3 at RIYADA_TEST_S3_ENDPOINT"
    return
  fi
  local port
  port="$(free_port)"
  S3_LOG="$(mktemp /tmp/riyada-s3.XXXXXX)"
  "$TOOLS/py/bin/moto_server" -H 127.0.0.1 -p "$port" >"$S3_LOG" 2>&1 &
  S3_PID=$!
  python3 - "$port" <<'PY'
import socket, sys, time
for _ in range(150):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.5).close()
        break
    except OSError:
        time.sleep(0.2)
PY
  export RIYADA_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
  # Any credentials: moto does not check them, but the S3 client signs every request.
  export AWS_ACCESS_KEY_ID=riyada-test AWS_SECRET_ACCESS_KEY=riyada-test
  log "local S3 (moto) on port $port"
}

stop_s3() {
  if [ -n "${S3_PID:-}" ]; then
    kill "$S3_PID" 2>/dev/null || true
    rm -f "$S3_LOG"
  fi
}

# Puts a copy of the RustSec advisory database where deny.toml looks for it (cargo deny
# never fetches here: the machine has no route to GitHub). The copy comes from
# RIYADA_ADVISORY_DB, or the machine's snapshot beside the repository. cargo-deny reads the
# database's age from its git history, so a snapshot without one gets a single commit dated
# when it was taken (its SNAPSHOT.txt says when).
prepare_advisory_db() {
  local source="${RIYADA_ADVISORY_DB:-}" candidate
  if [ -z "$source" ]; then
    for candidate in "$ROOT/../shared/advisory-db" /work/shared/advisory-db; do
      if [ -d "$candidate/crates" ]; then source="$candidate"; break; fi
    done
  fi
  if [ ! -d "$source/crates" ]; then
    echo "No copy of the RustSec advisory database: set RIYADA_ADVISORY_DB to a checkout of github.com/rustsec/advisory-db" >&2
    return 1
  fi
  # The directory name is cargo-deny's for the database's usual address (deny.toml, db-urls).
  local db="$ROOT/target/advisory-db/advisory-db-3157b0e258782691"
  rm -rf "$ROOT/target/advisory-db"
  mkdir -p "$db"
  cp -r "$source/." "$db/"
  # (a checkout brings its own history; the directory is under target/, so ask for its own .git)
  if [ ! -e "$db/.git" ]; then
    local taken
    taken="$(grep -o '[0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}' "$db/SNAPSHOT.txt" 2>/dev/null | head -n 1)"
    [ -n "$taken" ] || taken="$(date -u -r "$source/crates" +%F)"
    git -C "$db" init -q
    git -C "$db" add -A
    GIT_AUTHOR_DATE="${taken}T00:00:00Z" GIT_COMMITTER_DATE="${taken}T00:00:00Z" \
      git -C "$db" -c user.name=snapshot -c user.email=snapshot@localhost commit -q -m "advisory-db snapshot"
  fi
}
