#!/usr/bin/env python3
"""Time from saving one article to the reloaded page under `gazette serve --watch`.

Usage: python3 benches/reload.py --n 1000 10000 [--saves 10] [--gazette PATH] [--work DIR]

For each size it uses (or generates) the corpus `sites/gazette-N` that compare.py uses,
starts `gazette serve --watch` on a free port, opens the live-reload event stream the way
a browser tab on one article page does, and then saves that article `--saves` times with a
new sentence in its body. Per save it measures:

- save → rebuild starts: the watcher's share (its debounce included), from the server's
  own rebuild line and its duration;
- rebuild: the duration that line reports;
- save → reload: from just before the file is written until the event stream tells the
  open page to reload (its build id changes) — what an editor waits for;
- save → page: until the reloaded page has been fetched and contains the new sentence;
- save → findable: until the search index the server serves finds the new sentence:
  right after the reload, `search/meta.z` is fetched and its delta (docs/search.md, "The
  live preview's delta") must hold the edited article with the sentence; without a delta
  (the index was made anew inside the rebuild, or is left to the background pass) it is
  the later of the page and the settled pass;
- save → related settled: until the server prints that the related lists are exact again
  (on large sites they are finished in the background after the page has reloaded).

Prints medians and the range. Standard library only.
"""
import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_corpus(kit, work, n):
    site = work / "sites" / f"gazette-{n}"
    if not (site / ".done").exists():
        subprocess.run([sys.executable, str(kit / "gen_corpus.py"), "--n", str(n), "--out", str(site), "--flavor", "gazette", "--force"],
                       check=True)
        (site / ".done").write_text("")
    return site


class Server:
    """`gazette serve --watch`, with its output lines collected as they come."""

    def __init__(self, binary, site, port):
        self.lines = []
        self.cond = threading.Condition()
        self.proc = subprocess.Popen([str(binary), "serve", "--watch", "--root", str(site), "--port", str(port)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self.cond.notify_all()

    def wait_line(self, pattern, after=0, timeout=600):
        """The (time, line) of the first line matching `pattern` among lines[after:]."""
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for t, line in self.lines[after:]:
                    if re.search(pattern, line):
                        return t, line
                left = deadline - time.time()
                if left <= 0 or self.proc.poll() is not None:
                    raise SystemExit(f"no line matching {pattern!r}:\n" + "\n".join(l for _, l in self.lines[-20:]))
                self.cond.wait(left)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


class Events:
    """The event stream of one open page: yields each state's build id as it arrives."""

    def __init__(self, port, page):
        self.sock = socket.create_connection(("127.0.0.1", port))
        path = "/__gazette/events?page=" + urllib.request.quote(page, safe="")
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
        self.buf = b""

    def next_state(self, timeout=600):
        self.sock.settimeout(timeout)
        while True:
            m = re.search(rb"data: (\{.*?\})\n\n", self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return time.perf_counter(), json.loads(m.group(1))
            chunk = self.sock.recv(65536)
            if not chunk:
                raise SystemExit("event stream closed")
            self.buf += chunk


def page_of(output, title):
    """The output file (relative) whose <h1> is `title`."""
    for path in output.rglob("index.html"):
        rel = path.relative_to(output)
        if len(rel.parts) == 4 and rel.parts[0].isdigit():
            if f">{title}</h1>" in path.read_text(encoding="utf-8"):
                return rel.as_posix()
    raise SystemExit(f"no page with title {title}")


def findable_in_delta(port, words):
    """Whether the index's meta.z, as the server serves it now, has a delta that holds
    every one of `words` in one article's folded text (the words are folded already:
    simplified, no full-width forms)."""
    raw = urllib.request.urlopen(f"http://127.0.0.1:{port}/search/meta.z").read()
    meta = json.loads(zlib.decompress(raw, -15))
    return any(all(w in a["fx"] for w in words) for a in meta.get("delta", {}).get("articles", []))


def measure(binary, site, saves):
    port = free_port()
    server = Server(binary, site, port)
    try:
        server.wait_line(r"^Serving ")
        output = site / ".gazette" / f"serve-{port}"
        article = sorted((site / "content").rglob("*.md"))[len(list((site / "content").rglob("*.md"))) // 2]
        original = article.read_text(encoding="utf-8")
        title = re.search(r"^title: *(.+)$", original, re.M).group(1).strip().strip('"')
        page = page_of(output, title)
        events = Events(port, page)
        _, state = events.next_state()
        site_id = state["site"]
        rows = []
        try:
            for i in range(saves):
                marker = f"第{i + 1}次保存，科技厅补充说明。"
                seen = len(server.lines)
                t0 = time.perf_counter()
                article.write_text(original + f"\n\n{marker}\n", encoding="utf-8")
                while True:
                    t_event, state = events.next_state()
                    if state["errors"]:
                        raise SystemExit(f"build failed: {state['errors']}")
                    if state["site"] != site_id:
                        site_id = state["site"]
                        break
                html = urllib.request.urlopen(f"http://127.0.0.1:{port}/{page}").read().decode("utf-8")
                t_page = time.perf_counter()
                if marker not in html:
                    raise SystemExit("the reloaded page lacks the edit")
                in_delta = findable_in_delta(port, [f"第{i + 1}次保存", "科技厅补充说明"])
                t_found = time.perf_counter()
                t_line, line = server.wait_line(r"^Changed ", after=seen)
                rebuild_ms = float(re.search(r" in (\d+) ms", line).group(1))
                settled = t_page
                if "related lists and search follow" in line:
                    settled, _ = server.wait_line(r"^Related lists and search settled", after=seen)
                # When the rebuild started: what the watcher's debounce and event handling took.
                watch_delay = (t_line - rebuild_ms / 1000) - t0
                found = t_found if in_delta else max(settled, t_page)
                rows.append((t_event - t0, t_page - t0, max(settled, t_page) - t0, line, watch_delay, rebuild_ms / 1000, found - t0))
                time.sleep(0.3)
        finally:
            article.write_text(original, encoding="utf-8")
        return rows
    finally:
        server.stop()
        # Each run serves on a new port, hence into a new folder: a whole site copy each.
        shutil.rmtree(site / ".gazette" / f"serve-{port}", ignore_errors=True)


def summary(values):
    ms = [v * 1000 for v in values]
    return f"{statistics.median(ms):.0f} ms ({min(ms):.0f}–{max(ms):.0f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--saves", type=int, default=10)
    ap.add_argument("--gazette", default="target/release/gazette")
    ap.add_argument("--work", default="target/bench")
    ap.add_argument("--kit", default="../shared/bench")
    args = ap.parse_args()
    binary, work, kit = (REPO / args.gazette, REPO / args.work, REPO / args.kit)
    print("| articles | save → rebuild starts | rebuild | save → reload event | save → page fetched | save → findable in search | save → related settled |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n in args.n:
        site = ensure_corpus(kit, work, n)
        rows = measure(binary, site, args.saves)
        for row in rows:
            print(f"  {row[3]}", file=sys.stderr)
        cells = [summary([r[i] for r in rows]) for i in (4, 5, 0, 1, 6, 2)]
        print(f"| {n:,} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
