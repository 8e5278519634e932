#!/usr/bin/env python3
"""Search page benchmark: what a refined query costs a reader, on a site already built.

Serves OUTPUT with a plain static server (benches/search.py's) and runs each query of
benches/search.py in headless Chromium through the search page (tests/browser/search.mjs):
cold (a fresh browser), then in the same page refined by year 2024, then the same query
again. Prints per query: matches, time to results (data-ms) and KB fetched (everything
but the page's HTML and CSS; a file is counted under the step during which it arrived,
so the next page's records prefetched after one step may count under the next).

    python3 benches/search_page.py OUTPUT [--page search/] [--runs 3]

With --runs N each query is run N times and the medians are printed.
"""
import argparse
import shutil
import statistics
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search import QUERIES, run_in_browser, serve  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output", help="a built site's output folder")
    ap.add_argument("--page", default="search/", help="the search page's path (zh-hant/search/ for the traditional one)")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = ap.parse_args()
    server = serve(Path(args.output))
    base = f"http://127.0.0.1:{server.server_address[1]}/{args.page}?"
    steps = [("cold", {}, True), ("year", {"year": "2024"}, False), ("again", {}, False)]
    plan = {"chromium": args.chromium, "timeout_ms": 900000, "queries": []}
    for _ in range(args.runs):
        for _, q in QUERIES:
            for _, extra, fresh in steps:
                plan["queries"].append({"url": base + urllib.parse.urlencode({"q": q, **extra}), "fresh": fresh})
    rows = run_in_browser(plan, server)
    per = len(QUERIES) * len(steps)
    print("| kind | query | matches | cold ms | cold KB | + year: matches | ms | KB | again: ms | KB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    kb = lambda r: sum(f[1] for f in r["fetched"]) / 1024
    for i, (kind, q) in enumerate(QUERIES):
        runs = [rows[r * per + i * len(steps): r * per + (i + 1) * len(steps)] for r in range(args.runs)]
        med = lambda s, f: statistics.median(f(run[s]) for run in runs)
        print(f"| {kind} | {q} | {runs[0][0]['total']} | {med(0, lambda r: r['ms']):.0f} | {med(0, kb):.0f} | {runs[0][1]['total']} | {med(1, lambda r: r['ms']):.0f} | {med(1, kb):.0f} | {med(2, lambda r: r['ms']):.0f} | {med(2, kb):.0f} |")


if __name__ == "__main__":
    main()
