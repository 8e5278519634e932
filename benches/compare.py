#!/usr/bin/env python3
"""Benchmark gazette against Hugo on the same generated corpus and print a Markdown table.

    python3 benches/compare.py --n 10000 --runs 3

For each N: generates the corpus once per flavor with ../shared/bench/gen_corpus.py
(reused when present), runs one warm-up build per variant, then `--runs` counted builds,
alternating the variants run by run, each into a fresh output folder under
`/usr/bin/time -v` (wall, user+sys, peak RSS). Variants: gazette (related on), gazette
with `[related] count = 0`, Hugo with related content, Hugo with norelated.toml.
Also measures the I/O floor (read every input file + `cp -r` of gazette's output),
checks every output with ../shared/bench/check_site.py --expect N, and prints medians,
ratios gazette/Hugo, per-stage times and the machine. Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import json
import mmap
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KIT = (REPO / ".." / "shared" / "bench").resolve()

# Variant name -> (tool, related on?). The order is also the run order inside a round,
# so the two tools alternate: gazette, Hugo, gazette, Hugo.
VARIANTS = {
    "gazette": ("gazette", True),
    "hugo": ("hugo", True),
    "gazette-norelated": ("gazette", False),
    "hugo-norelated": ("hugo", False),
}
LABELS = {
    "gazette": "gazette, related on",
    "hugo": "Hugo, related on",
    "gazette-norelated": "gazette, related off",
    "hugo-norelated": "Hugo, related off",
}
STAGE = re.compile(r"([a-z_]+) (\d+) ms")


@dataclass
class Run:
    """One timed build: what /usr/bin/time -v and the tool itself reported."""

    wall: float
    cpu: float
    rss_mb: float
    status: int
    sys: float = 0.0
    faults: int = 0
    load: float = 0.0
    stages: dict[str, int] = field(default_factory=dict)
    tail: str = ""
    out: str = ""


# ---------------------------------------------------------------- helpers


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def ratio(a: float | None, b: float | None) -> str:
    return "–" if a is None or b is None or b == 0 else f"{a / b:.3f}"


def parse_elapsed(text: str) -> float:
    """`h:mm:ss` or `m:ss.cc` (GNU time's wall clock) in seconds."""
    seconds = 0.0
    for part in text.strip().split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


@dataclass
class Timing:
    """What `/usr/bin/time -v` reports of one command."""

    wall: float
    cpu: float  # user + system seconds
    sys: float  # the kernel's share of cpu
    rss_mb: float
    faults: int  # minor page faults: memory touched for the first time
    status: int


def parse_time_v(report: str) -> Timing:
    fields: dict[str, str] = {}
    for line in report.splitlines():
        key, sep, value = line.strip().rpartition(": ")
        if sep:
            fields[key] = value
    wall = parse_elapsed(fields.get("Elapsed (wall clock) time (h:mm:ss or m:ss)", "0"))
    sys_s = float(fields.get("System time (seconds)", "0"))
    cpu = float(fields.get("User time (seconds)", "0")) + sys_s
    rss_mb = int(fields.get("Maximum resident set size (kbytes)", "0")) / 1024
    faults = int(fields.get("Minor (reclaiming a frame) page faults", "0"))
    status = int(fields.get("Exit status", "-1"))
    return Timing(wall, cpu, sys_s, rss_mb, faults, status)


def parse_stages(stdout: str) -> dict[str, int]:
    """Per-stage ms from gazette's `built … (load N ms, model N ms, …)` line."""
    for line in stdout.splitlines():
        if line.startswith("built ") and "(" in line:
            return {name: int(ms) for name, ms in STAGE.findall(line.rsplit("(", 1)[-1])}
    return {}


def command_output(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (done.stdout or done.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "unavailable"


# ext4 without a journal (the disk of the machines we measure on) does not reuse an inode
# for 60 s after it was freed, or 300 s while its inode-table block is still unwritten, and
# on every file it creates it steps over each such inode. A build started just after the
# last run's output (33,000 files and folders at 10k) was deleted spent several seconds
# in the kernel (perf: 40% of its cycles in ext4's `recently_deleted`), billed to
# whichever tool came next. So nothing is deleted between the timed runs of one size:
# each run writes a folder of its own, the folders are deleted when the size is done, and
# the next size (or the next invocation: the time is kept in a file) first waits out the
# window (`--settle`).
REMOVED_AT = ".removed-at"


def remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
        (path.parent / REMOVED_AT).write_text(f"{time.time()}\n")


def wait_for_removals(folder: Path, settle_s: float) -> None:
    """Waits until the folders deleted last in `folder` are out of ext4's recently-deleted window."""
    try:
        removed_at = float((folder / REMOVED_AT).read_text())
    except (OSError, ValueError):
        return
    os.sync()
    left = removed_at + settle_s - time.time()
    if left > 0:
        log(f"waiting {left:.0f} s until the deleted outputs no longer slow down creating files")
        time.sleep(left)


def settle() -> None:
    """Flushes pending writes (slow on a disk mounted with `discard`) so the previous
    run's I/O is not billed to the next timed one."""
    os.sync()


# ---------------------------------------------------------------- corpus


def ensure_corpus(sites: Path, n: int, flavor: str, kit: Path) -> Path:
    """Generates the site once; a `.done` marker beside it tells a complete one from an interrupted one."""
    site = sites / f"{flavor}-{n}"
    done = sites / f".{flavor}-{n}.done"
    if site.is_dir() and done.exists():
        return site
    log(f"generating {flavor} corpus, {n} articles → {site}")
    subprocess.run(
        [sys.executable, str(kit / "gen_corpus.py"), "--n", str(n), "--out", str(site),
         "--flavor", flavor, "--force"],
        check=True,
    )
    done.write_text("ok\n")
    return site


def without_related(site_toml: str) -> str:
    """The same site.toml with `[related] count = 0` (the section added when missing)."""
    lines = site_toml.splitlines()
    out: list[str] = []
    section = ""
    replaced = False
    for line in lines:
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            section = header.group(1).strip()
        elif section == "related" and re.match(r"\s*count\s*=", line):
            line = "count = 0"
            replaced = True
        out.append(line)
    if not replaced:
        if "[related]" in (l.strip() for l in lines):
            index = next(i for i, l in enumerate(out) if l.strip() == "[related]")
            out.insert(index + 1, "count = 0")
        else:
            out += ["", "[related]", "count = 0"]
    text = "\n".join(out) + "\n"
    if tomllib.loads(text).get("related", {}).get("count") != 0:
        raise SystemExit("compare.py: could not set [related] count = 0 in site.toml")
    return text


def ensure_norelated_site(site: Path) -> Path:
    """A sibling site folder: same content (a symlink), related articles off."""
    sibling = site.with_name(site.name + "-norelated")
    sibling.mkdir(exist_ok=True)
    (sibling / "site.toml").write_text(without_related((site / "site.toml").read_text()))
    link = sibling / "content"
    if not link.is_symlink():
        remove(link)
        link.symlink_to(site.resolve() / "content", target_is_directory=True)
    return sibling


# ---------------------------------------------------------------- builds


def build_command(variant: str, gazette: Path, sites: dict[str, Path], out: Path) -> tuple[list[str], Path]:
    """The command line and the folder to run it in."""
    tool, related = VARIANTS[variant]
    if tool == "gazette":
        site = sites["gazette"] if related else sites["gazette-norelated"]
        return [str(gazette), "build", "--root", str(site), "--output", str(out)], site
    config = [] if related else ["--config", "hugo.toml,norelated.toml"]
    return ["hugo", "--quiet", *config, "-d", str(out)], sites["hugo"]


def timed(cmd: list[str], cwd: Path, report: Path) -> tuple[Timing, str]:
    """Runs cmd under /usr/bin/time -v (report written to a file, so the tool's own stderr stays apart)."""
    settle()
    done = subprocess.run(["/usr/bin/time", "-v", "-o", str(report), *cmd], cwd=cwd,
                          capture_output=True, text=True)
    timing = parse_time_v(report.read_text() if report.exists() else "")
    if timing.status == -1:
        timing.status = done.returncode
    return timing, done.stdout + done.stderr


# gazette writes about 27.6 KB per generated article, Hugo about half that; every output
# of one size stays on disk until the size is done.
BYTES_PER_ARTICLE = 30_000


def check_room(work: Path, n: int, outputs_kept: int) -> None:
    """Refuses to start a size whose outputs would not fit on the disk: a copy failing
    halfway through would leave a full disk and no figures."""
    need = n * BYTES_PER_ARTICLE * outputs_kept
    free = shutil.disk_usage(work).free
    if free < need:
        raise SystemExit(f"compare.py: {n} articles need about {need / 1e9:.1f} GB free under {work} for "
                         f"{outputs_kept} outputs kept until the size is done, and {free / 1e9:.1f} GB are free; "
                         "pass fewer --runs or --variants, or free some space")


def outputs(work: Path, n: int) -> list[Path]:
    """Every output folder of size n: builds (`variant-n-label`) and floor copies."""
    folder = work / "out"
    return sorted(p for p in folder.glob(f"*-{n}-*") if p.is_dir()) if folder.is_dir() else []


def run_build(variant: str, n: int, label: str, gazette: Path, sites: dict[str, Path], work: Path,
              out: Path | None = None) -> Run:
    """One timed build into `out` (default: a folder of its own for this label)."""
    out = out or work / "out" / f"{variant}-{n}-{label}"
    cmd, cwd = build_command(variant, gazette, sites, out)
    load = os.getloadavg()[0]  # other processes on a shared machine skew a run; keep a trace
    t, output = timed(cmd, cwd, work / "logs" / f"{variant}-{n}-{label}.time")
    (work / "logs" / f"{variant}-{n}-{label}.out").write_text(output)
    run = Run(wall=t.wall, cpu=t.cpu, rss_mb=t.rss_mb, status=t.status, sys=t.sys, faults=t.faults, load=load,
              stages=parse_stages(output), tail=output[-2000:], out=str(out))
    state = "ok" if t.status == 0 else f"FAILED (exit {t.status})"
    log(f"  {variant:18} n={n} {label:7} wall {t.wall:7.2f} s  cpu {t.cpu:7.2f} s (sys {t.sys:6.2f})  "
        f"rss {t.rss_mb:7.0f} MB  faults {t.faults}  load {load:.1f}  {state}")
    if t.status != 0:
        print(output[-2000:], file=sys.stderr)
    return run


def check(out: Path, n: int, kit: Path) -> dict:
    done = subprocess.run([sys.executable, str(kit / "check_site.py"), str(out), "--expect", str(n), "--json"],
                          capture_output=True, text=True)
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        report = {"problems": [done.stderr.strip() or "check_site.py gave no report"]}
    report["ok"] = done.returncode == 0
    return report


# ---------------------------------------------------------------- floor


def read_all(site: Path) -> tuple[int, int]:
    """Reads every input file of a site: site.toml, content/ and themes/ (following
    symlinks), not what serve or a build left in it; returns files and bytes."""
    files = size = 0
    roots = [site / "site.toml", site / "content", site / "themes"]
    for path in (p for p in roots if p.is_file()):
        size += len(path.read_bytes())
        files += 1
    for folder in (p for p in roots if p.is_dir()):
        for dirpath, _, names in os.walk(folder, followlinks=True):
            for name in names:
                with open(os.path.join(dirpath, name), "rb") as f:
                    size += len(f.read())
                files += 1
    return files, size


def floor_once(n: int, source: Path, site: Path, work: Path, label: str) -> tuple[float, Timing]:
    """Reads every input file of `site` (seconds), then copies gazette's output `source`
    with `cp -r` into a fresh folder (its timing)."""
    settle()
    clock = time.perf_counter()
    read_all(site)
    elapsed = time.perf_counter() - clock
    copy = work / "out" / f"floor-{n}-{label}"
    t, _ = timed(["cp", "-r", str(source), str(copy)], work, work / "logs" / f"floor-{n}-{label}.time")
    if t.status != 0:
        raise SystemExit(f"compare.py: cp -r {source} failed")
    return elapsed, t


def measure_floor(n: int, runs: int, source: Path, sites: dict[str, Path], work: Path) -> dict:
    """Read every input file, and write gazette's output (`source`) again with `cp -r`
    into a fresh folder (medians over runs)."""
    reads: list[float] = []
    writes: list[float] = []
    write_sys: list[float] = []
    for r in range(runs + 1):  # the first of each is a warm-up
        elapsed, t = floor_once(n, source, sites["gazette"], work, f"copy{r}")
        if r:
            reads.append(elapsed)
            writes.append(t.wall)
            write_sys.append(t.sys)
    read_s, write_s = median(reads), median(writes)
    return {"read_s": read_s, "write_s": write_s, "write_sys_s": median(write_sys),
            "floor_s": (read_s or 0) + (write_s or 0)}


# ---------------------------------------------------------------- orchestration


def first_touch_s_per_gb(chunks: int = 12, chunk: int = 512 << 20) -> list[float]:
    """Seconds per GB to touch fresh memory, chunk by chunk (all held until the end, so
    none reuses another's pages). On this virtual machine, which hands freed memory back
    to its host, the first ~2 GB went at about 0.6 s per GB and every GB after them at
    about 4.4 s: 6 GB in all shows both rates. Every build pays them for each page of
    memory and of output it touches."""
    held, costs = [], []
    for _ in range(chunks):
        m = mmap.mmap(-1, chunk)
        clock = time.perf_counter()
        m[::mmap.PAGESIZE] = b"\x01" * (chunk // mmap.PAGESIZE)
        costs.append((time.perf_counter() - clock) * (1 << 30) / chunk)
        held.append(m)
    for m in held:
        m.close()
    return costs


def work_folders(work: Path) -> Path:
    """Creates the work folder's `sites/`, `logs/` and `out/`; returns `sites/`."""
    for name in ("sites", "logs", "out"):
        (work / name).mkdir(parents=True, exist_ok=True)
    return work / "sites"


def bench_n(n: int, args: argparse.Namespace, variants: list[str], work: Path) -> dict:
    sites_dir = work_folders(work)
    sites = {"gazette": ensure_corpus(sites_dir, n, "gazette", args.kit)}
    sites["gazette-norelated"] = ensure_norelated_site(sites["gazette"])
    if any(v.startswith("hugo") for v in variants):
        sites["hugo"] = ensure_corpus(sites_dir, n, "hugo", args.kit)

    for stale in outputs(work, n):  # left by an interrupted run
        remove(stale)
    # Each variant's warm-up and runs, and the floor's warm-up and runs.
    check_room(work, n, (len(variants) + 1) * (args.runs + 1))
    wait_for_removals(work / "out", args.settle)
    touch = first_touch_s_per_gb()
    log(f"n={n}: first touch of fresh memory: " + ", ".join(f"{c:.2f}" for c in touch) + " s per GB")
    log(f"n={n}: warm-up")
    for v in variants:
        run_build(v, n, "warmup", args.gazette, sites, work)
    runs: dict[str, list[Run]] = {v: [] for v in variants}
    for r in range(1, args.runs + 1):
        log(f"n={n}: round {r}/{args.runs}")
        for v in variants:
            runs[v].append(run_build(v, n, f"run{r}", args.gazette, sites, work))

    log(f"n={n}: checking outputs")
    checks = {v: check(Path(runs[v][-1].out), n, args.kit) for v in variants}
    log(f"n={n}: floor")
    floor = measure_floor(n, args.runs, Path(runs["gazette"][-1].out), sites, work)
    for out in outputs(work, n):
        remove(out)
    return {"n": n, "runs": runs, "checks": checks, "floor": floor, "touch": touch}


def bench_growth(args: argparse.Namespace, work: Path) -> dict:
    """Issue 7's growth target, measured side by side: gazette (related on) builds the
    smaller and the larger corpus back to back, `--runs` times, the smaller first in odd
    rounds and the larger first in even ones, and copies both outputs with `cp -r` in the
    same order. Each round gives one ratio of the two sizes, taken within a minute or two.

    Timing all of one size and then all of the other compares two stretches of time, and
    on this virtual machine the cost of memory and of writing files changes from one
    stretch to the next by more than the target's margin: the same 100,000-article build
    took 24 to 39 s within one hour."""
    small, large = sorted(args.n)
    sites_dir = work_folders(work)
    sites = {n: {"gazette": ensure_corpus(sites_dir, n, "gazette", args.kit)} for n in (small, large)}
    for n in (small, large):
        for stale in outputs(work, n):  # left by an interrupted run
            remove(stale)
    # Both sizes, all kept until the end: the warm-up build, and a build and a floor copy per round.
    check_room(work, small + large, 2 * args.runs + 1)
    wait_for_removals(work / "out", args.settle)
    touch = first_touch_s_per_gb()
    log("growth: first touch of fresh memory: " + ", ".join(f"{c:.2f}" for c in touch) + " s per GB")
    log("growth: warm-up")
    for n in (small, large):
        run_build("gazette", n, "warmup", args.gazette, sites[n], work)
    rounds: list[dict] = []
    for r in range(1, args.runs + 1):
        order = (small, large) if r % 2 else (large, small)
        log(f"growth: round {r}/{args.runs}, {order[0]:,} first")
        runs = {n: run_build("gazette", n, f"run{r}", args.gazette, sites[n], work) for n in order}
        copies = {n: floor_once(n, Path(runs[n].out), sites[n]["gazette"], work, f"copy{r}") for n in order}
        rounds.append({"round": r, "order": list(order), "runs": {str(n): vars(runs[n]) for n in order},
                       "floor": {str(n): {"read_s": copies[n][0], "write_s": copies[n][1].wall,
                                          "write_sys_s": copies[n][1].sys} for n in order}})
    log("growth: checking outputs")
    checks = {str(n): check(Path(rounds[-1]["runs"][str(n)]["out"]), n, args.kit) for n in (small, large)}
    for n in (small, large):
        for out in outputs(work, n):
            remove(out)
    return {"sizes": [small, large], "rounds": rounds, "checks": checks, "touch": touch}


def files_newer_than(folder: Path, since: float) -> int:
    """How many files under `folder` were modified at or after `since` (what a build wrote)."""
    return sum(1 for p in folder.rglob("*") if p.is_file() and p.stat().st_mtime >= since)


def bench_same_folder(n: int, args: argparse.Namespace, variants: list[str], work: Path) -> dict:
    """Issue 24: an editor's loop. Each variant builds `--runs` times into one folder of its
    own, alternating variant by variant, with nothing changed in between, after one
    untimed first build into it; every run also counts the files it wrote (modified
    during the build)."""
    sites_dir = work_folders(work)
    sites = {"gazette": ensure_corpus(sites_dir, n, "gazette", args.kit)}
    sites["gazette-norelated"] = ensure_norelated_site(sites["gazette"])
    if any(v.startswith("hugo") for v in variants):
        sites["hugo"] = ensure_corpus(sites_dir, n, "hugo", args.kit)
    folders = {v: work / "out" / f"{v}-{n}-same" for v in variants}
    for folder in folders.values():
        remove(folder)
    check_room(work, n, len(variants))
    wait_for_removals(work / "out", args.settle)
    log(f"n={n}: first builds into each folder")
    for v in variants:
        run_build(v, n, "first", args.gazette, sites, work, folders[v])
    runs: dict[str, list[Run]] = {v: [] for v in variants}
    written: dict[str, list[int]] = {v: [] for v in variants}
    for r in range(1, args.runs + 1):
        log(f"n={n}: round {r}/{args.runs}")
        for v in variants if r % 2 else variants[::-1]:
            start = time.time() - 1  # mtimes may be coarser than the clock
            runs[v].append(run_build(v, n, f"same{r}", args.gazette, sites, work, folders[v]))
            written[v].append(files_newer_than(folders[v], start))
            log(f"  {v:18} wrote {written[v][-1]} files")
    checks = {v: check(folders[v], n, args.kit) for v in variants}
    for folder in folders.values():
        remove(folder)
    return {"n": n, "runs": runs, "written": written, "checks": checks}


def same_folder_table(results: list[dict], variants: list[str], args: argparse.Namespace) -> str:
    lines = [f"# Builds into the same folder (median of {args.runs}, alternating; range in brackets)", ""]
    for r in results:
        n, runs = r["n"], r["runs"]
        lines += [f"## {n:,} articles", "", "| variant | wall s | user CPU s | system CPU s | peak RSS MB | files written |",
                  "| --- | --- | ---: | ---: | ---: | ---: |"]
        for v in variants:
            walls = [x.wall for x in runs[v]]
            user = median([x.cpu - x.sys for x in runs[v]])
            lines.append(f"| {LABELS[v]} | {fmt(median(walls))} ({fmt(min(walls))}–{fmt(max(walls))}) | {fmt(user)} | "
                         f"{fmt(median([x.sys for x in runs[v]]))} | {fmt(median([x.rss_mb for x in runs[v]]), 0)} | "
                         f"{fmt(median([float(w) for w in r['written'][v]]), 0)} |")
        wall = {v: median([x.wall for x in runs[v]]) for v in variants}
        for hugo in ("hugo-norelated", "hugo"):
            if hugo in wall and "gazette" in wall:
                lines.append(f"\ngazette, related on ÷ {LABELS[hugo]}: **{ratio(wall['gazette'], wall[hugo])}** (wall)")
        bad = [v for v, c in r["checks"].items() if not c.get("ok")]
        lines += ["", "outputs checked: " + ("all ok" if not bad else "FAILED: " + ", ".join(bad)), ""]
    lines += ["## Machine", "", *machine(args.gazette)]
    return "\n".join(lines) + "\n"


def summarise(runs: list[Run]) -> dict:
    good = [r for r in runs if r.status == 0]
    stages: dict[str, float | None] = {}
    for r in good:
        for name in r.stages:
            stages.setdefault(name, None)
    for name in stages:
        stages[name] = median([float(r.stages[name]) for r in good if name in r.stages])
    return {
        "ok": len(good),
        "failed": len(runs) - len(good),
        "wall": median([r.wall for r in good]),
        "cpu": median([r.cpu for r in good]),
        "user": median([r.cpu - r.sys for r in good]),
        "sys": median([r.sys for r in good]),
        "faults": median([float(r.faults) for r in good]),
        "rss": median([r.rss_mb for r in good]),
        "stages": stages,
    }


def machine(gazette: Path) -> list[str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, IndexError, ValueError):
        pass
    return [
        f"- CPUs (`nproc`): {command_output(['nproc'])}",
        f"- CPU: {model}; memory {mem}; {platform.system()} {platform.release()}",
        f"- Hugo: {command_output(['hugo', 'version'])}",
        f"- gazette: {command_output([str(gazette), '--version'])} ({gazette})",
    ]


def table(results: list[dict], variants: list[str], args: argparse.Namespace) -> str:
    lines = ["## Build times", ""]
    lines.append(f"Medians of {args.runs} runs after one warm-up, each build into a folder of its own "
                 "(none deleted while a size is timed: see `--settle`); "
                 "wall, CPU (user+sys) and its system (kernel) part in seconds, peak RSS in MB, "
                 "from `/usr/bin/time -v`. "
                 "Ratios are gazette ÷ Hugo with the same related setting.")
    lines.append("")
    lines.append("| articles | variant | wall s | CPU s | sys s | peak RSS MB | wall ÷ Hugo | RSS ÷ Hugo | files | output MB | check |")
    lines.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for res in results:
        n = res["n"]
        s = {v: summarise(res["runs"][v]) for v in variants}
        for v in variants:
            tool, related = VARIANTS[v]
            hugo = s.get("hugo" if related else "hugo-norelated") if tool == "gazette" else None
            c = res["checks"][v]
            state = "ok" if c.get("ok") else "FAIL: " + "; ".join(c.get("problems", []))[:120]
            if s[v]["failed"]:
                state += f" ({s[v]['failed']} runs failed)"
            lines.append(
                f"| {n:,} | {LABELS[v]} | {fmt(s[v]['wall'])} | {fmt(s[v]['cpu'])} | {fmt(s[v]['sys'])} | {fmt(s[v]['rss'], 0)} "
                f"| {ratio(s[v]['wall'], hugo['wall']) if hugo else ''} | {ratio(s[v]['rss'], hugo['rss']) if hugo else ''} "
                f"| {c.get('files', '–')} | {fmt(c['bytes'] / 1e6, 1) if 'bytes' in c else '–'} | {state} |"
            )
    targets = [r for r in results if "hugo-norelated" in r["runs"] or "hugo" in r["runs"]]
    if targets:
        lines += ["", "Issue 7 targets: gazette with related on ÷ Hugo with related off (≤ 0.2) and ÷ Hugo with "
                  "related on (≤ 0.05); peak RSS ÷ Hugo's (≤ 0.25):", ""]
        lines.append("| articles | ÷ Hugo related off (wall) | ÷ Hugo related on (wall) | RSS ÷ Hugo related off | RSS ÷ Hugo related on |")
        lines.append("| ---: | ---: | ---: | ---: | ---: |")
        for res in targets:
            g = summarise(res["runs"]["gazette"])
            ho = summarise(res["runs"]["hugo-norelated"]) if "hugo-norelated" in res["runs"] else {"wall": None, "rss": None}
            hr = summarise(res["runs"]["hugo"]) if "hugo" in res["runs"] else {"wall": None, "rss": None}
            lines.append(f"| {res['n']:,} | {ratio(g['wall'], ho['wall'])} | {ratio(g['wall'], hr['wall'])} "
                         f"| {ratio(g['rss'], ho['rss'])} | {ratio(g['rss'], hr['rss'])} |")
    if len(results) > 1:
        lines += ["", "Growth: gazette (related on) against the next smaller size (issue 7: 100,000 articles "
                  "in at most 2.2× the 50,000 time). User CPU is gazette's own work; system time and minor "
                  "page faults (memory touched for the first time) are what the kernel did for it:", ""]
        lines.append("| articles | articles ÷ previous | wall s | wall ÷ previous | user CPU ÷ previous "
                     "| sys ÷ previous | faults ÷ previous |")
        lines.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        ordered = sorted(results, key=lambda r: r["n"])
        for before, res in zip([None, *ordered], ordered):
            now = summarise(res["runs"]["gazette"])
            if before is None:
                lines.append(f"| {res['n']:,} | | {fmt(now['wall'])} | | | | |")
                continue
            prev = summarise(before["runs"]["gazette"])
            lines.append(f"| {res['n']:,} | {res['n'] / before['n']:.1f} | {fmt(now['wall'])} "
                         f"| {ratio(now['wall'], prev['wall'])} | {ratio(now['user'], prev['user'])} "
                         f"| {ratio(now['sys'], prev['sys'])} | {ratio(now['faults'], prev['faults'])} |")

    lines += ["", "## Floor (I/O only)", "",
              "Reading every input file (Python, warm cache) plus writing gazette's output again "
              "(`cp -r` of its output folder into a fresh one, and that copy's system time); medians of the "
              "same number of runs.", ""]
    lines.append("| articles | read inputs s | write output s | of which sys s | floor s | gazette build s "
                 "| build ÷ floor | related off ÷ floor |")
    lines.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for res in results:
        f = res["floor"]
        g = summarise(res["runs"]["gazette"])["wall"]
        gn = summarise(res["runs"]["gazette-norelated"])["wall"] if "gazette-norelated" in res["runs"] else None
        lines.append(f"| {res['n']:,} | {fmt(f['read_s'], 3)} | {fmt(f['write_s'], 3)} | {fmt(f.get('write_sys_s'), 3)} "
                     f"| {fmt(f['floor_s'], 3)} "
                     f"| {fmt(g)} | {ratio(g, f['floor_s'])} | {ratio(gn, f['floor_s'])} |")

    lines += ["", "## gazette stage times (median ms)", ""]
    names: list[str] = []
    for res in results:
        for v in variants:
            if VARIANTS[v][0] == "gazette":
                for name in summarise(res["runs"][v])["stages"]:
                    if name not in names:
                        names.append(name)
    lines.append("| articles | variant | " + " | ".join(names) + " |")
    lines.append("| ---: | --- | " + " | ".join("---:" for _ in names) + " |")
    for res in results:
        for v in variants:
            if VARIANTS[v][0] != "gazette":
                continue
            st = summarise(res["runs"][v])["stages"]
            lines.append(f"| {res['n']:,} | {LABELS[v]} | " + " | ".join(fmt(st.get(x), 0) for x in names) + " |")

    loads = [x.load for res in results for runs in res["runs"].values() for x in runs]
    lines += ["", "## Machine", "", *machine(args.gazette),
              f"- 1-minute load average before the counted runs: {min(loads):.1f} to {max(loads):.1f}",
              "- First touch of fresh memory, s per GB (twelve 512 MB chunks held together, before each size): "
              + "; ".join(f"{res['n']:,}: " + ", ".join(f"{c:.2f}" for c in res["touch"]) for res in results), "",
              "Command: `" + " ".join(["python3", "benches/compare.py", *sys.argv[1:]]) + "`"]
    return "\n".join(lines) + "\n"


def growth_table(g: dict, args: argparse.Namespace) -> str:
    small, large = g["sizes"]
    a, b = str(small), str(large)
    lines = ["## Growth, side by side", "",
             f"gazette (related on) builds {small:,} and {large:,} articles back to back in each round "
             f"({small:,} first in odd rounds, {large:,} first in even ones), after one warm-up build of each, "
             "and then copies both outputs with `cp -r` in the same order (the floor's write part). "
             "Issue 7: 100,000 articles in at most 2.2× the 50,000 time. Wall, user CPU and system "
             "time in seconds from `/usr/bin/time -v`.", ""]
    lines.append(f"| round | first | {small:,} wall | {large:,} wall | **wall ÷** | user CPU ÷ | sys ÷ "
                 f"| faults ÷ | `cp -r` {small:,} | `cp -r` {large:,} | `cp -r` ÷ |")
    lines.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    walls: list[float] = []
    copies: list[float] = []
    for rd in g["rounds"]:
        x, y = rd["runs"][a], rd["runs"][b]
        fx, fy = rd["floor"][a], rd["floor"][b]
        ok = x["status"] == 0 and y["status"] == 0
        if ok:
            walls.append(y["wall"] / x["wall"])
        copies.append(fy["write_s"] / fx["write_s"])
        lines.append(f"| {rd['round']} | {rd['order'][0]:,} | {fmt(x['wall'])} | {fmt(y['wall'])} "
                     f"| **{ratio(y['wall'], x['wall']) if ok else 'failed'}** "
                     f"| {ratio(y['cpu'] - y['sys'], x['cpu'] - x['sys'])} | {ratio(y['sys'], x['sys'])} "
                     f"| {ratio(y['faults'], x['faults'])} | {fmt(fx['write_s'])} | {fmt(fy['write_s'])} "
                     f"| {ratio(fy['write_s'], fx['write_s'])} |")
    med = lambda key, n: median([rd["runs"][n][key] for rd in g["rounds"] if rd["runs"][n]["status"] == 0])
    lines += ["", f"- Median of the rounds' wall ratios: **{fmt(median(walls), 3)}** "
              f"(each round's: {', '.join(f'{w:.3f}' for w in walls) or '–'}); ratio of the median walls: "
              f"{ratio(med('wall', b), med('wall', a))} ({fmt(med('wall', b))} s ÷ {fmt(med('wall', a))} s).",
              f"- `cp -r` of the outputs, median of the rounds' ratios: {fmt(median(copies), 3)}.",
              f"- Median peak RSS: {fmt(med('rss_mb', a), 0)} MB and {fmt(med('rss_mb', b), 0)} MB.",
              "- Checks (`check_site.py --expect N`, last round's outputs): "
              + "; ".join(f"{int(n):,}: " + ("ok" if c.get("ok") else "FAIL: " + "; ".join(c.get("problems", []))[:200])
                          for n, c in g["checks"].items())]
    names: list[str] = []
    for rd in g["rounds"]:
        for run in rd["runs"].values():
            names += [k for k in run["stages"] if k not in names]
    lines += ["", "Stage times, median ms:", "", "| articles | " + " | ".join(names) + " |",
              "| ---: | " + " | ".join("---:" for _ in names) + " |"]
    for n in (a, b):
        st = {k: median([float(rd["runs"][n]["stages"][k]) for rd in g["rounds"] if k in rd["runs"][n]["stages"]])
              for k in names}
        lines.append(f"| {int(n):,} | " + " | ".join(fmt(st[k], 0) for k in names) + " |")
    loads = [rd["runs"][n]["load"] for rd in g["rounds"] for n in (a, b)]
    lines += ["", "## Machine", "", *machine(args.gazette),
              f"- 1-minute load average before the counted runs: {min(loads):.1f} to {max(loads):.1f}",
              "- First touch of fresh memory, s per GB (twelve 512 MB chunks held together, before the warm-up): "
              + ", ".join(f"{c:.2f}" for c in g["touch"]), "",
              "Command: `" + " ".join(["python3", "benches/compare.py", *sys.argv[1:]]) + "`"]
    return "\n".join(lines) + "\n"


def stale_binary_warning(gazette: Path) -> None:
    """Warns when a file under src/ is newer than the binary: the figures would be for old code."""
    src = REPO / "src"
    if not (gazette.exists() and src.is_dir()):
        return
    built = gazette.stat().st_mtime
    newer = [p for p in src.rglob("*.rs") if p.stat().st_mtime > built]
    if newer:
        log(f"warning: {len(newer)} files under src/ are newer than {gazette} (e.g. {newer[0]})")


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[10000], help="article counts (default 10000)")
    ap.add_argument("--runs", type=int, default=3, help="counted runs per variant (default 3)")
    ap.add_argument("--gazette", type=Path, default=REPO / "target" / "release" / "gazette")
    ap.add_argument("--work", type=Path, default=REPO / "target" / "bench",
                    help="corpora, outputs, logs and results (default target/bench)")
    ap.add_argument("--no-hugo", action="store_true", help="gazette only")
    ap.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS),
                    help="which builds to time (default all four; at 50,000 articles Hugo with "
                         "related content takes hours: leave `hugo` out)")
    ap.add_argument("--settle", type=float, default=300,
                    help="seconds to wait after deleting the outputs of one size before timing the "
                         "next (default 300: how long ext4 without a journal avoids freed inodes)")
    ap.add_argument("--growth", action="store_true",
                    help="issue 7's growth target: with two sizes, build them in pairs back to back and "
                         "report each pair's ratio (gazette with related on only; no Hugo)")
    ap.add_argument("--same-folder", action="store_true",
                    help="issue 24's editor loop: each variant builds --runs times into one folder of its "
                         "own with nothing changed, alternating; reports files written too")
    ap.add_argument("--kit", type=Path, default=KIT, help="folder with gen_corpus.py and check_site.py")
    args = ap.parse_args()
    args.gazette = args.gazette if args.gazette.is_absolute() else (REPO / args.gazette)
    args.work = (args.work if args.work.is_absolute() else REPO / args.work).resolve()
    if args.runs < 1 or any(n < 1 for n in args.n):
        ap.error("--runs and --n must be positive")
    if args.growth and len(set(args.n)) != 2:
        ap.error("--growth needs two sizes, e.g. --n 50000 100000")
    if not args.gazette.is_file():
        ap.error(f"no gazette binary at {args.gazette} (cargo build --release first)")
    if not args.no_hugo and any(v.startswith("hugo") for v in args.variants) and shutil.which("hugo") is None:
        ap.error("hugo is not on PATH (install it, or pass --no-hugo)")
    if not Path("/usr/bin/time").exists():
        ap.error("/usr/bin/time is missing (apt-get install time)")
    return args


def main() -> int:
    args = parse_args()
    stale_binary_warning(args.gazette)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    if args.growth:
        g = bench_growth(args, args.work)
        report = growth_table(g, args)
        raw: object = g
        failed = any(not c.get("ok") for c in g["checks"].values())
        failed |= any(run["status"] != 0 for rd in g["rounds"] for run in rd["runs"].values())
    elif args.same_folder:
        variants = [v for v in VARIANTS if v in args.variants and not (args.no_hugo and VARIANTS[v][0] == "hugo")]
        results = [bench_same_folder(n, args, variants, args.work) for n in args.n]
        report = same_folder_table(results, variants, args)
        raw = [{**r, "runs": {v: [vars(x) for x in runs] for v, runs in r["runs"].items()}} for r in results]
        failed = any(not c.get("ok") for r in results for c in r["checks"].values())
        failed |= any(x.status != 0 for r in results for runs in r["runs"].values() for x in runs)
    else:
        variants = [v for v in VARIANTS if v in args.variants and not (args.no_hugo and VARIANTS[v][0] == "hugo")]
        if "gazette" not in variants:
            raise SystemExit("compare.py: --variants must include `gazette` (the floor and the targets compare with it)")
        results = [bench_n(n, args, variants, args.work) for n in args.n]
        report = table(results, variants, args)
        raw = [{**r, "runs": {v: [vars(x) for x in runs] for v, runs in r["runs"].items()}} for r in results]
        failed = any(not c.get("ok") for r in results for c in r["checks"].values())
        failed |= any(x.status != 0 for r in results for runs in r["runs"].values() for x in runs)
    (args.work / f"report-{stamp}.md").write_text(report)
    (args.work / f"results-{stamp}.json").write_text(json.dumps(raw, ensure_ascii=False, indent=1))
    print(report)
    log(f"report and raw results in {args.work}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
