#!/usr/bin/env python3
"""The size budget of a first visit, checked on the release build of the site.

Usage: python3 bench/size_budget.py [--check]
Needs `./scripts/build-site` (the test command builds the site first).

A first visit opens the landing page, then sign-in. Both are plain pages (`app::PLAIN_PAGES`:
no WebAssembly, which the integration and browser tests hold), so before a reader can use
them the browser needs their HTML, the stylesheet, the fonts, the icon and the web manifest.
Prints those sizes as sent (brotli where the build precompressed them), the app's bundle,
which staff pages load, and the islands build, which an entrepreneur's pages load (both must
be there: without the islands build every page would quietly start the whole app). With --check, exits 1 when the static part of a
first visit is over its budget: 250 KB for the whole visit, less 20 KB kept for the two
pages' HTML.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITE = os.path.join(ROOT, "target", "site")
HASHES = os.path.join(ROOT, "target", "release", "hash.txt")
# The islands build that starts an entrepreneur's pages (docs/performance.md, "Two browser builds").
ISLANDS_HASHES = os.path.join(ROOT, "target", "release", "islands-hash.txt")
FIRST_VISIT_BUDGET = 250_000
HTML_ALLOWANCE = 20_000


def sent_size(path):
    """What the server sends for this file: its brotli twin when there is one."""
    if os.path.exists(path + ".br"):
        return os.path.getsize(path + ".br")
    return os.path.getsize(path)


def bundle(hash_file=HASHES, output_name="riyada", kinds=("css", "js", "wasm")):
    """The hashed names of a release build, from the hash file cargo-leptos writes."""
    try:
        with open(hash_file) as f:
            pairs = [line.split(":", 1) for line in f if ":" in line]
    except OSError:
        raise SystemExit(f"no release build ({hash_file} is missing): run `./scripts/test` or `./scripts/run`")
    hashes = {kind.strip(): value.strip() for kind, value in pairs}
    names = {}
    for kind in kinds:
        path = os.path.join(SITE, "pkg", f"{output_name}.{hashes.get(kind, '')}.{kind}")
        if kind not in hashes or not os.path.exists(path):
            raise SystemExit(f"the release build has no {kind} file ({path})")
        if not os.path.exists(path + ".br"):
            raise SystemExit(f"{path} has no brotli twin: build with --precompress")
        names[kind] = path
    return names


def main():
    files = bundle()
    islands = bundle(ISLANDS_HASHES, "riyada-islands", ("js", "wasm"))
    fonts = sorted(os.path.join(SITE, "fonts", n) for n in os.listdir(os.path.join(SITE, "fonts")) if n.endswith(".woff2"))
    first_visit = {
        "css": sent_size(files["css"]),
        "fonts": sum(sent_size(f) for f in fonts),
        "icon": sent_size(os.path.join(SITE, "icons", "icon-192.png")),
        "manifest": sent_size(os.path.join(SITE, "manifest.webmanifest")),
    }
    static = sum(first_visit.values())
    budget = FIRST_VISIT_BUDGET - HTML_ALLOWANCE
    result = {
        "first_visit_static_bytes": static,
        "first_visit_static_budget": budget,
        "first_visit_static": first_visit,
        "app_bundle_brotli": {"wasm": sent_size(files["wasm"]), "js": sent_size(files["js"])},
        "app_bundle_raw": {"wasm": os.path.getsize(files["wasm"]), "js": os.path.getsize(files["js"])},
        "islands_bundle_brotli": {"wasm": sent_size(islands["wasm"]), "js": sent_size(islands["js"])},
        "islands_bundle_raw": {"wasm": os.path.getsize(islands["wasm"]), "js": os.path.getsize(islands["js"])},
    }
    print(json.dumps(result, indent=2))
    if "--check" in sys.argv and static > budget:
        print(f"a first visit needs {static} bytes before the pages' HTML: over its budget of {budget}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
