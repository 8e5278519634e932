#!/usr/bin/env python3
"""Time gazette binaries building one site again and again, the way editors work.

    python3 benches/rebuild.py SITE RUNS BINARY [BINARY ...]

Two modes, each with one untimed first build per binary, then RUNS timed builds per
binary, alternating the binaries' order run by run:
- fresh: the output folder is removed before each build (as compare.py measures);
- same:  every build goes into the same output folder as the last one (an editor's
  `gazette build` again and again), with nothing changed in between.
Each build runs under /usr/bin/time -v; the medians of wall, user, system time and peak
RSS are printed per binary and mode. Each binary writes to its own folders under
/tmp/gazette-rebuild/. Python 3.11, standard library only.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import time

WORK = "/tmp/gazette-rebuild"


def timed(cmd: list[str]) -> dict:
    done = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout}{done.stderr}")
    report = done.stderr

    def field(name: str) -> str:
        return re.search(re.escape(name) + r": ([\d.:]+)", report).group(1)

    parts = [float(x) for x in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    wall = sum(p * 60**i for i, p in enumerate(reversed(parts)))
    return {
        "wall": wall,
        "user": float(field("User time (seconds)")),
        "sys": float(field("System time (seconds)")),
        "rss": int(field("Maximum resident set size (kbytes)")) / 1024,
        "line": done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "",
    }


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    site, runs, binaries = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    results = {(b, m): [] for b in binaries for m in ("fresh", "same")}
    for mode in ("fresh", "same"):
        out = {b: f"{WORK}/{i}-{mode}" for i, b in enumerate(binaries)}
        for b in binaries:
            shutil.rmtree(out[b], ignore_errors=True)
            timed([b, "build", "--root", site, "--output", out[b]])
        for run in range(runs):
            for b in binaries if run % 2 == 0 else binaries[::-1]:
                if mode == "fresh":
                    shutil.rmtree(out[b], ignore_errors=True)
                    time.sleep(2)
                t = timed([b, "build", "--root", site, "--output", out[b]])
                results[(b, mode)].append(t)
                print(f"{mode} {b}: wall {t['wall']:.2f} user {t['user']:.2f} sys {t['sys']:.2f} | {t['line'][-120:]}", flush=True)
    print(f"\n| binary | mode | wall s | user s | sys s | peak RSS MB |  (medians of {runs})")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for mode in ("fresh", "same"):
        for b in binaries:
            m = {k: statistics.median(t[k] for t in results[(b, mode)]) for k in ("wall", "user", "sys", "rss")}
            print(f"| {os.path.basename(b)} | {mode} | {m['wall']:.2f} | {m['user']:.2f} | {m['sys']:.2f} | {m['rss']:.0f} |")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
