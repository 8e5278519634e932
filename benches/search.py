#!/usr/bin/env python3
"""Search benchmark: what the index costs the build, and what a reader's query costs.

For a generated corpus of N articles (../shared/bench/gen_corpus.py), it
1. builds the site into the same output folder with `[search] enabled = false` and
   `true`, alternating, R times each (wall, user and system CPU, peak RSS; medians);
2. reports the index: bytes and files under search/;
3. serves the output with a plain static server (no compression, no Range) and runs each
   query in headless Chromium through the search page (tests/browser/search.mjs): a
   cold query in a fresh browser (empty cache), then the same query refined by year in
   the same page; per query: matches (data-total), time to results (data-ms), bytes and
   files fetched (everything but the page's HTML and CSS).

    python3 benches/search.py --n 10000 [--runs 3] [--gazette target/release/gazette]

Needs chromium and node (≥ 20.10). Figures and their history: benches/README.md.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUERIES = [
    ("county", "旺苍县"),
    ("phrase", "高新技术企业"),
    ("traditional", "雙城"),
    ("simplified", "双城"),
    ("broad", "创新"),
    ("broadest", "科技"),
    ("pinyin", "chongqing"),
    ("crossing", "技创"),
    ("crossing", "城经济"),
    ("broad phrase", "科技创新"),
    ("two terms", "科技 旺苍县"),
]
# Pagefind 1.6 (extended) on a gazette site of 10,000 generated articles, from issue #19.
PAGEFIND = {"旺苍县": "6 of 39 found", "高新技术企业": "3,104 shown that do not match", "雙城": "94 of 1,857", "chongqing": "nothing"}


def timed(cmd, cwd):
    """(wall s, user s, system s, peak RSS MB) of one run, by GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%e %U %S %M", *cmd], cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        wall, user, system, rss = t.read().split()[-4:]
    return float(wall), float(user), float(system), int(rss) / 1024


def build_costs(gazette, site, runs):
    """Per setting: a first build into a fresh folder, then `runs` rebuilds into the same
    folder with nothing changed (what an editor's next `gazette build` costs: loading,
    rendering and indexing, with nothing to write). Returns {enabled: (fresh, median)}."""
    toml = (site / "site.toml").read_text(encoding="utf-8").split("\n[search]")[0]
    costs = {}
    try:
        for enabled in (False, True):
            (site / "site.toml").write_text(toml + f"\n[search]\nenabled = {'true' if enabled else 'false'}\n", encoding="utf-8")
            out = site / f"public-{'on' if enabled else 'off'}"
            shutil.rmtree(out, ignore_errors=True)
            cmd = [str(gazette), "build", "--output", str(out)]
            fresh = timed(cmd, site)
            again = [timed(cmd, site) for _ in range(runs)]
            costs[enabled] = (fresh, [statistics.median(r[i] for r in again) for i in range(4)])
    finally:
        (site / "site.toml").write_text(toml + "\n[search]\nenabled = true\n", encoding="utf-8")
    return costs


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root):
    handler = partial(QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_queries(root, chromium):
    server = serve(root)
    base = f"http://127.0.0.1:{server.server_address[1]}/search/?"
    plan = {"chromium": chromium, "timeout_ms": 900000, "queries": []}
    for _, q in QUERIES:
        plan["queries"].append({"url": base + urllib.parse.urlencode({"q": q}), "fresh": True})
        plan["queries"].append({"url": base + urllib.parse.urlencode({"q": q, "year": "2024"}), "fresh": False})
    return run_in_browser(plan, server)


def run_in_browser(plan, server):
    """Runs a plan of queries through tests/browser/search.mjs in headless Chromium, then
    stops the server; one JSON object per query."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(plan, f)
    out = subprocess.run(["node", "--experimental-websocket", str(REPO / "tests/browser/search.mjs"), f.name], capture_output=True, text=True)
    server.shutdown()
    if out.returncode != 0:
        sys.exit(out.stderr)
    return [json.loads(line) for line in out.stdout.splitlines()]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gazette", default=str(REPO / "target/release/gazette"))
    ap.add_argument("--bench", default=str(REPO.parent / "shared/bench"), help="the corpus kit (gen_corpus.py)")
    ap.add_argument("--work", default=None, help="where the generated site goes (default: a temp dir)")
    ap.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser") or "chromium")
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="gazette-search-bench-"))
    site = work / f"gazette-{args.n}"
    if not (site / "site.toml").exists():
        subprocess.run([sys.executable, str(Path(args.bench) / "gen_corpus.py"), "--n", str(args.n), "--out", str(site), "--flavor", "gazette"], check=True)
    gazette = Path(args.gazette).resolve()

    costs = build_costs(gazette, site, args.runs)
    print(f"### Build, {args.n} articles ({gazette})\n")
    print(f"First build into an empty folder, then the median of {args.runs} rebuilds into the same folder with nothing changed.\n")
    print("| search | build | wall s | user s | system s | peak RSS MB |\n| --- | --- | --- | --- | --- | --- |")
    for enabled in (False, True):
        for name, r in zip(("first", "again"), costs[enabled]):
            print(f"| {'on' if enabled else 'off'} | {name} | {r[0]:.2f} | {r[1]:.2f} | {r[2]:.2f} | {r[3]:.0f} |")
    for i, name in enumerate(("first", "again")):
        off, on = costs[False][i], costs[True][i]
        print(f"| on ÷ off | {name} | {on[0] / off[0]:.2f} | {on[1] / off[1]:.2f} | {on[2] / max(off[2], 0.01):.2f} | {on[3] / off[3]:.2f} |")
    print()

    index = site / "public-on/search"
    files = [p for p in index.rglob("*") if p.is_file()]
    print(f"Index: {sum(p.stat().st_size for p in files) / 1e6:.1f} MB in {len(files)} files\n")

    print("### Queries in headless Chromium (cold: fresh browser; refined: + year 2024 in the same page)\n")
    print("| kind | query | matches | cold ms | cold KB (files) | refined matches | refined ms | refined KB | Pagefind 1.6 (issue #19) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    results = run_queries(site / "public-on", args.chromium)
    for (kind, q), cold, refined in zip(QUERIES, results[0::2], results[1::2]):
        kb = lambda r: sum(f[1] for f in r["fetched"]) / 1024
        print(f"| {kind} | {q} | {cold['total']} | {cold['ms']} | {kb(cold):.0f} ({len(cold['fetched'])}) | {refined['total']} | {refined['ms']} | {kb(refined):.0f} | {PAGEFIND.get(q, '')} |")


if __name__ == "__main__":
    main()
