#!/usr/bin/env python3
"""Benchmark of the weekly build (`make bench`).  Not a test: it prints a table.

Every figure is the median of several runs, and every run is a fresh process
(`python -m authoring ...`, started with subprocess), so imports are paid each time
as they are for an analyst:

  cold build        20250505 with an empty cache (a new AUTHORING_CACHE folder per run):
                    fonts converted, charts drawn, everything laid out
  warm build        20250505 with the caches filled by an earlier build
  edit + rebuild    a copy of the project; before each run one sentence of one entry is
                    changed (a different sentence each run), then the week is built with
                    a warm cache
  validate seeds    `authoring validate` on entries/20250505 and entries/20250310
  validate 1,000    a generated week of 1,000 valid entries (copies of the 22 real ones,
                    with unique entry and figure ids)
  archive           52 generated weeks (copies of the seed weeks with new week tags), built
                    by one process per core (ProcessPoolExecutor), warm caches; total wall time

Peak memory is ru_maxrss of the build process (with its font workers), read with
os.wait4; CPU is user + system time of the same.  Python caches bytecode as it does on an
analyst's machine (PYTHONDONTWRITEBYTECODE is dropped; the cache goes to a temporary
PYTHONPYCACHEPREFIX so the work tree stays clean); --no-pyc keeps the environment as it is.

  .venv/bin/python tools/bench.py [--runs N] [--quick] [--archive-weeks N] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WEEK = "20250505"
SEEDS = ("20250505", "20250310")
MIB = 1024 * 1024

#: Targets of issue 7 (2-core machine).
TARGETS = {"cold": 4.0, "warm": 0.6, "validate1000": 1.5, "peak_mib": 250.0, "pdf_mb": 1.5}

#: Sentences the edit benchmark appends to the first paragraph of an entry, one per run
#: (written for this benchmark; they state no facts or figures).
EDITS = (
    "我们将在后续周报中继续跟踪这一系列模型的落地进展。",
    "该系列模型采用宽松的开源许可，便于开发者在本地部署与二次开发。",
    "业内普遍关注其在代码与数学推理场景中的实际表现。",
    "相关技术细节可参阅官方博客与开源仓库中的说明文档。",
    "对于算力有限的团队而言，小尺寸模型提供了更具性价比的选择。",
    "后续版本能否延续这一优势，仍有待更多第三方评测验证。",
    "这一动向也折射出开源社区与闭源厂商之间日趋激烈的竞争。",
)


# ---------------------------------------------------------------- running things

@dataclass
class Run:
    wall: float
    cpu: float
    maxrss_kib: int
    rc: int


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    def add(self, run: Run) -> None:
        self.runs.append(run)

    @property
    def wall(self) -> list[float]:
        return [r.wall for r in self.runs]

    def median(self) -> float:
        return statistics.median(self.wall)

    def cpu_median(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    def peak_mib(self) -> float:
        return max(r.maxrss_kib for r in self.runs) / 1024


def child_env(args, cache: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    if not args.no_pyc:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(args.tmp / "pycache")
    if cache is not None:
        env["AUTHORING_CACHE"] = str(cache)
    return env


def run(cmd: list[str], *, cwd: Path, env: dict[str, str], check: bool = True) -> Run:
    """Run `cmd`, return its wall time, CPU time and peak memory (with its children)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)  # rusage of this child and its workers
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if check and proc.returncode != 0:
            err.seek(0)
            sys.stderr.write(f"bench: {' '.join(cmd)} failed in {cwd} (exit {proc.returncode}):\n"
                             f"{err.read().decode('utf-8', 'replace')[-3000:]}\n")
            raise SystemExit(1)
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode)


def authoring(*argv: str) -> list[str]:
    return [sys.executable, "-m", "authoring", *argv]


# ---------------------------------------------------------------- test data

def copy_project(dest: Path) -> Path:
    """entries/ and styles/ of this checkout in `dest` (what a build reads)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("entries", "styles"):
        shutil.copytree(REPO / name, dest / name)
    return dest


def edit_entry(path: Path, original: str, k: int) -> None:
    """Append sentence k to the first one-line paragraph of the entry."""
    lines = original.splitlines(keepends=True)
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*- paragraph: )(?![>|'\"])(.*\S)\s*$", line)
        if m:
            lines[i] = m.group(1) + m.group(2) + EDITS[k % len(EDITS)] + "\n"
            path.write_text("".join(lines), encoding="utf-8")
            return
    raise SystemExit(f"bench: {path} has no one-line '- paragraph:' to edit")


_ID = re.compile(r"^(\s*(?:- )?id:\s*)([\"']?)([a-z0-9][a-z0-9-]*)\2\s*$", re.M)


def renamed_entry(text: str, n: int) -> tuple[str, str]:
    """An entry's YAML with `-nNNNN` added to its id and its figures' ids (and the
    [[references]] to them); returns (text, new entry id)."""
    ids = [m.group(3) for m in _ID.finditer(text)]
    suffix = f"-n{n:04d}"
    for old in sorted(set(ids), key=len, reverse=True):
        new = old + suffix
        text = re.sub(rf"^(\s*(?:- )?id:\s*)([\"']?){re.escape(old)}\2\s*$",
                      lambda m: f"{m.group(1)}{new}", text, flags=re.M)
        text = text.replace(f"[[{old}]]", f"[[{new}]]")
    return text, ids[0] + suffix


def generate_entries_week(entries: Path, folder_name: str, count: int) -> Path:
    """A week folder of `count` valid entries derived from the real ones of both seeds."""
    sources = sorted(p for s in SEEDS for p in (REPO / "entries" / s).glob("[0-9][0-9]-*.yaml"))
    folder = entries / folder_name
    folder.mkdir(parents=True)
    key_ids: list[str] = []
    seed_week = (REPO / "entries" / WEEK / "week.yaml").read_text(encoding="utf-8")
    key_points = re.search(r"^key_points: \[(.*)\]$", seed_week, re.M).group(1).split(", ")
    for n in range(count):
        src = sources[n % len(sources)]
        text, new_id = renamed_entry(src.read_text(encoding="utf-8"), n)
        if n < len(sources) and src.parent.name == WEEK and new_id.rsplit("-n", 1)[0] in key_points:
            key_ids.append(new_id)
        slug = src.stem.split("-", 1)[1]
        (folder / f"{n % 100:02d}-{slug}-n{n:04d}.yaml").write_text(text, encoding="utf-8")
    week = retagged_week(seed_week, folder_name)
    week = re.sub(r"^key_points: \[.*\]$", f"key_points: [{', '.join(key_ids)}]", week, flags=re.M)
    (folder / "week.yaml").write_text(week, encoding="utf-8")
    return folder


def retagged_week(text: str, tag: str) -> str:
    day = dt.date(int(tag[:4]), int(tag[4:6]), int(tag[6:]))
    text = re.sub(r'^week: "?\d{8}"?$', f'week: "{tag}"', text, flags=re.M)
    return re.sub(r"^date: \d{4}-\d{2}-\d{2}$", f"date: {day.isoformat()}", text, flags=re.M)


def generate_archive(entries: Path, weeks: int) -> list[str]:
    """`weeks` week folders, copies of the seed weeks with new week tags (Mondays of 2024)."""
    tags = []
    day = dt.date(2024, 1, 1)
    for k in range(weeks):
        tag = (day + dt.timedelta(weeks=k)).strftime("%Y%m%d")
        seed = REPO / "entries" / SEEDS[k % len(SEEDS)]
        shutil.copytree(seed, entries / tag)
        week_yaml = entries / tag / "week.yaml"
        week_yaml.write_text(retagged_week(week_yaml.read_text(encoding="utf-8"), tag), encoding="utf-8")
        tags.append(tag)
    return tags


ARCHIVE_CHILD = """
import os, sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from authoring.build import build_week

def one(week):
    r = build_week(Path(sys.argv[1]), week, out_dir=Path(sys.argv[2]) / week)
    return r.pages

if __name__ == "__main__":
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pages = list(pool.map(one, sys.argv[3:]))
    print(len(pages), "weeks", sum(pages), "pages")
"""


# ---------------------------------------------------------------- the benchmark

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    p.add_argument("--quick", action="store_true",
                   help="2 runs, 1 cold run, 1 archive run of 8 weeks: a smoke test of the benchmark")
    p.add_argument("--archive-weeks", type=int, default=52)
    p.add_argument("--archive-runs", type=int, default=None, help="default: 1 with --quick, else 3")
    p.add_argument("--no-pyc", action="store_true",
                   help="keep PYTHONDONTWRITEBYTECODE as it is (no bytecode cache)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = p.parse_args(argv)
    if args.quick:
        args.runs = min(args.runs, 2)
        args.archive_weeks = min(args.archive_weeks, 8)
    cold_runs = 1 if args.quick else max(3, min(args.runs, 5))
    archive_runs = args.archive_runs or (1 if args.quick else 3)
    args.tmp = Path(tempfile.mkdtemp(prefix="authoring-bench-"))
    try:
        return bench(args, cold_runs, archive_runs)
    finally:
        if args.keep:
            print(f"kept {args.tmp}")
        else:
            shutil.rmtree(args.tmp, ignore_errors=True)


def bench(args, cold_runs: int, archive_runs: int) -> int:
    tmp = args.tmp
    load0 = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    started = time.perf_counter()
    print(f"authoring benchmark: {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load {load0[0]:.2f}; {args.runs} runs per figure "
          f"(cold: {cold_runs}); bytecode cache {'off' if args.no_pyc else 'on'}", flush=True)

    results: dict[str, Series] = {}
    out = tmp / "out"

    # warm-up: fills the bytecode cache and the warm cache
    warm_cache = tmp / "cache-warm"
    run(authoring("build", WEEK, "--out", str(out)), cwd=REPO, env=child_env(args, warm_cache))

    # cold: an empty cache per run
    s = results["cold"] = Series()
    for k in range(cold_runs):
        cache = tmp / f"cache-cold-{k}"
        s.add(run(authoring("build", WEEK, "--out", str(out)), cwd=REPO, env=child_env(args, cache)))
        shutil.rmtree(cache, ignore_errors=True)
    progress("cold build", s)

    s = results["warm"] = Series()
    for _ in range(args.runs):
        s.add(run(authoring("build", WEEK, "--out", str(out)), cwd=REPO, env=child_env(args, warm_cache)))
    progress("warm build", s)
    pdf = next(out.glob("*.pdf"))
    pdf_bytes = pdf.stat().st_size

    # edit one entry, rebuild (a project copy; the warm cache of that copy)
    proj = copy_project(tmp / "edit")
    entry = sorted((proj / "entries" / WEEK).glob("01-*.yaml"))[0]
    original = entry.read_text(encoding="utf-8")
    edit_cache = tmp / "cache-edit"
    shutil.copytree(warm_cache, edit_cache)
    s = results["edit"] = Series()
    for k in range(args.runs):
        edit_entry(entry, original, k)
        s.add(run(authoring("build", WEEK, "--out", str(tmp / "out-edit")), cwd=proj,
                  env=child_env(args, edit_cache)))
    entry.write_text(original, encoding="utf-8")
    progress("edit + rebuild", s)

    # validate
    s = results["validate_seeds"] = Series()
    for _ in range(args.runs):
        s.add(run(authoring("validate", *(f"entries/{w}" for w in SEEDS)), cwd=REPO, env=child_env(args, None)))
    progress("validate seeds", s)

    gen = copy_project(tmp / "gen")
    folder = generate_entries_week(gen / "entries", "20991228", 1000)
    n_entries = len(list(folder.glob("[0-9][0-9]-*.yaml")))
    s = results["validate1000"] = Series()
    for _ in range(args.runs):
        s.add(run(authoring("validate", f"entries/{folder.name}"), cwd=gen, env=child_env(args, None)))
    progress(f"validate {n_entries:,} entries", s)

    # archive: N weeks over all cores, warm caches
    arch = copy_project(tmp / "archive")
    tags = generate_archive(arch / "entries", args.archive_weeks)
    script = tmp / "archive_child.py"
    script.write_text(ARCHIVE_CHILD, encoding="utf-8")
    s = results["archive"] = Series()
    for k in range(archive_runs):
        outk = tmp / f"out-archive-{k}"
        s.add(run([sys.executable, str(script), str(arch), str(outk), *tags], cwd=arch,
                  env=child_env(args, warm_cache)))
        shutil.rmtree(outk, ignore_errors=True)
    progress(f"archive of {len(tags)} weeks", s)

    load1 = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    print()
    table(results, pdf_bytes, n_entries, len(tags))
    print(f"\nload average {load0[0]:.2f} at the start, {load1[0]:.2f} at the end; "
          f"benchmark took {time.perf_counter() - started:.0f} s")
    return 0


def progress(what: str, s: Series) -> None:
    print(f"  {what}: " + ", ".join(f"{w:.2f}" for w in s.wall) + " s", flush=True)


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "MISSED"


def table(r: dict[str, Series], pdf_bytes: int, n_entries: int, n_weeks: int) -> None:
    rows = []

    def timed(label, key, target=None, unit_target="s"):
        s = r[key]
        med = s.median()
        rows.append((label, f"{med:.2f} s", f"{min(s.wall):.2f}-{max(s.wall):.2f}",
                     f"{s.cpu_median():.2f} s", f"{s.peak_mib():.0f} MiB",
                     f"≤ {target:g} {unit_target}" if target else "",
                     verdict(med, target) if target else ""))

    timed("cold build 20250505 (empty cache)", "cold", TARGETS["cold"])
    timed("warm build 20250505", "warm", TARGETS["warm"])
    timed("edit one entry + rebuild", "edit")
    timed("validate 2 seed weeks", "validate_seeds")
    timed(f"validate {n_entries:,} generated entries", "validate1000", TARGETS["validate1000"])
    a = r["archive"]
    rows.append((f"archive: {n_weeks} weeks, all cores (total)", f"{a.median():.2f} s",
                 f"{min(a.wall):.2f}-{max(a.wall):.2f}", f"{a.cpu_median():.2f} s",
                 f"{a.peak_mib():.0f} MiB", f"{a.median() / n_weeks:.3f} s/week", ""))
    peak = max(r["cold"].peak_mib(), r["warm"].peak_mib(), r["edit"].peak_mib())
    rows.append(("peak memory of a build (max of cold/warm/edit)", f"{peak:.0f} MiB", "", "", "",
                 f"≤ {TARGETS['peak_mib']:g} MiB", verdict(peak, TARGETS["peak_mib"])))
    mb = pdf_bytes / 1e6
    rows.append(("PDF size 20250505", f"{mb:.2f} MB", f"{pdf_bytes:,} B", "", "",
                 f"≤ {TARGETS['pdf_mb']:g} MB", verdict(mb, TARGETS["pdf_mb"])))
    head = ("measurement", "median", "range", "CPU", "peak RSS", "target", "")
    widths = [max(_w(row[i]) for row in rows + [head]) for i in range(len(head))]
    for k, row in enumerate([head] + rows):
        print("  ".join(_pad(cell, widths[i], right=0 < i < 5) for i, cell in enumerate(row)).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))


def _w(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int, right: bool) -> str:
    fill = " " * (width - _w(s))
    return fill + s if right else s + fill


if __name__ == "__main__":
    sys.exit(main())
