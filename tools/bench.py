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
  new characters    the same copy; before each run a sentence with five characters the
                    report never drew (a different five each run) is appended, then rebuilt
  validate seeds    `authoring validate` on entries/20250505 and entries/20250310
  validate 1,000    a generated week of 1,000 valid entries (copies of the 22 real ones,
                    with unique entry and figure ids)
  archive           52 generated weeks (copies of the seed weeks with new week tags), built
                    by one process per core (ProcessPoolExecutor), warm caches; total wall time
  watch             `authoring watch 20250505` in a copy of the project, ten edits to one
                    paragraph (five adding new characters): save -> PDF renamed into place,
                    median and max; and save -> error shown (tools/bench_watch.py)

Peak memory is ru_maxrss of the build process (with its font workers), read with
os.wait4; CPU is user + system time of the same.  Python caches bytecode as it does on an
analyst's machine (PYTHONDONTWRITEBYTECODE is dropped; the cache goes to a temporary
PYTHONPYCACHEPREFIX so the work tree stays clean); --no-pyc keeps the environment as it is.

`--against DIR` measures another checkout of the project too (e.g. `git archive OLD | tar -x
-C DIR`), alternating the runs of the two (A B A B ...) so that both see the same load of a
shared machine, and prints both columns: before/after figures taken this way are comparable
(the order alternates too: A B, B A, ...).

  .venv/bin/python tools/bench.py [--runs N] [--quick] [--archive-weeks N] [--against DIR] [--keep]
                                  [--builds-only] [--no-watch]
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

#: Targets (2-core machine).
TARGETS = {"cold": 1.5, "warm": 0.6, "newchars": 0.8, "validate1000": 1.5, "peak_mib": 250.0,
           "pdf_mb": 1.2}

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

#: Five characters the report has never drawn, a different five each run of the
#: new-characters benchmark (rare but real characters, in a sentence that says so).
NEW_CHARS = ("鼹鼷鼯鼱鼩", "魑魅魍魉夔", "饕餮耄耋龃", "龉黾鼋鼍蟊", "螭蠡蠹蠼蠲", "麋麂麇麈麝", "鹧鸪鹁鹂鹕")


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


def child_env(args, co: "Checkout", cache: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(co.root) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    if not args.no_pyc:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(co.tmp / "pycache")
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

def copy_project(repo: Path, dest: Path) -> Path:
    """entries/ and styles/ of a checkout in `dest` (what a build reads)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("entries", "styles"):
        shutil.copytree(repo / name, dest / name)
    return dest


def edit_entry(path: Path, original: str, k: int, sentence: str | None = None) -> None:
    """Append sentence k (or `sentence`) to the first one-line paragraph of the entry."""
    lines = original.splitlines(keepends=True)
    for i, line in enumerate(lines):
        m = re.match(r"^(\s*- paragraph: )(?![>|'\"])(.*\S)\s*$", line)
        if m:
            lines[i] = m.group(1) + m.group(2) + (sentence or EDITS[k % len(EDITS)]) + "\n"
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


def generate_entries_week(repo: Path, entries: Path, folder_name: str, count: int) -> Path:
    """A week folder of `count` valid entries derived from the real ones of both seeds."""
    sources = sorted(p for s in SEEDS for p in (repo / "entries" / s).glob("[0-9][0-9]-*.yaml"))
    folder = entries / folder_name
    folder.mkdir(parents=True)
    key_ids: list[str] = []
    seed_week = (repo / "entries" / WEEK / "week.yaml").read_text(encoding="utf-8")
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


def generate_archive(repo: Path, entries: Path, weeks: int) -> list[str]:
    """`weeks` week folders, copies of the seed weeks with new week tags (Mondays of 2024)."""
    tags = []
    day = dt.date(2024, 1, 1)
    for k in range(weeks):
        tag = (day + dt.timedelta(weeks=k)).strftime("%Y%m%d")
        seed = repo / "entries" / SEEDS[k % len(SEEDS)]
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

@dataclass
class Checkout:
    """A checkout of the project being measured, with its own temporary folder."""

    label: str
    root: Path
    tmp: Path
    results: dict[str, Series] = field(default_factory=dict)
    pdf_bytes: int = 0
    n_entries: int = 0
    tags: list[str] = field(default_factory=list)
    entry: Path | None = None      # the entry the edit benchmark changes, and its text
    original: str = ""
    gen_week: Path | None = None   # the generated week of 1,000 entries

    def series(self, key: str) -> Series:
        return self.results.setdefault(key, Series())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5, help="runs per measurement (default 5)")
    p.add_argument("--quick", action="store_true",
                   help="2 runs, 1 cold run, 1 archive run of 8 weeks: a smoke test of the benchmark")
    p.add_argument("--archive-weeks", type=int, default=52)
    p.add_argument("--archive-runs", type=int, default=None, help="default: 1 with --quick, else 3")
    p.add_argument("--against", type=Path, metavar="DIR",
                   help="another checkout to measure too, run for run (its figures come first)")
    p.add_argument("--no-pyc", action="store_true",
                   help="keep PYTHONDONTWRITEBYTECODE as it is (no bytecode cache)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder")
    p.add_argument("--builds-only", action="store_true",
                   help="only the build figures (cold, warm, edit, new characters, PDF size)")
    p.add_argument("--no-watch", action="store_true", help="leave out the watch scenario")
    args = p.parse_args(argv)
    if args.quick:
        args.runs = min(args.runs, 2)
        args.archive_weeks = min(args.archive_weeks, 8)
    cold_runs = 1 if args.quick else max(3, min(args.runs, 5))
    archive_runs = args.archive_runs or (1 if args.quick else 3)
    tmp = Path(tempfile.mkdtemp(prefix="authoring-bench-"))
    checkouts = [Checkout(REPO.name, REPO, tmp / "this")]
    if args.against:
        other = args.against.resolve()
        if not (other / "authoring" / "build.py").is_file():
            p.error(f"--against {other}: not a checkout of the project (no authoring/build.py)")
        checkouts.insert(0, Checkout(other.name, other, tmp / "other"))
    for co in checkouts:
        co.tmp.mkdir(parents=True)
    try:
        return bench(args, checkouts, cold_runs, archive_runs)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def bench(args, checkouts: list[Checkout], cold_runs: int, archive_runs: int) -> int:
    load0 = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    started = time.perf_counter()
    names = " against ".join(f"{c.label} ({c.root})" for c in reversed(checkouts))
    print(f"authoring benchmark of {names}: {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} CPUs, load {load0[0]:.2f}; {args.runs} runs "
          f"per figure (cold: {cold_runs}); bytecode cache {'off' if args.no_pyc else 'on'}", flush=True)

    def out(co: Checkout) -> Path:
        return co.tmp / "out"

    # set-up: warm-up builds (fill the bytecode cache and the warm cache), test data
    for co in checkouts:
        run(authoring("build", WEEK, "--out", str(out(co))), cwd=co.root,
            env=child_env(args, co, co.tmp / "cache-warm"))
        edit = copy_project(co.root, co.tmp / "edit")
        co.entry = sorted((edit / "entries" / WEEK).glob("01-*.yaml"))[0]
        co.original = co.entry.read_text(encoding="utf-8")
        shutil.copytree(co.tmp / "cache-warm", co.tmp / "cache-edit")
        if args.builds_only:
            continue
        gen = copy_project(co.root, co.tmp / "gen")
        co.gen_week = generate_entries_week(co.root, gen / "entries", "20991228", 1000)
        co.n_entries = len(list(co.gen_week.glob("[0-9][0-9]-*.yaml")))
        arch = copy_project(co.root, co.tmp / "archive")
        co.tags = generate_archive(co.root, arch / "entries", args.archive_weeks)
        (co.tmp / "archive_child.py").write_text(ARCHIVE_CHILD, encoding="utf-8")

    def each(what: str, key: str, runs: int, one) -> None:
        for k in range(runs):
            # A B, then B A: the second of two back-to-back runs is often slower on a
            # shared machine, and neither checkout should always be second
            for co in (checkouts if k % 2 == 0 else list(reversed(checkouts))):
                co.series(key).add(one(co, k))
        for co in checkouts:
            progress(f"{what} [{co.label}]" if len(checkouts) > 1 else what, co.series(key))

    def cold(co, k):
        cache = co.tmp / f"cache-cold-{k}"
        r = run(authoring("build", WEEK, "--out", str(out(co))), cwd=co.root, env=child_env(args, co, cache))
        shutil.rmtree(cache, ignore_errors=True)
        return r

    def warm(co, k):
        return run(authoring("build", WEEK, "--out", str(out(co))), cwd=co.root,
                   env=child_env(args, co, co.tmp / "cache-warm"))

    def edited(co, k):
        edit_entry(co.entry, co.original, k)
        return run(authoring("build", WEEK, "--out", str(co.tmp / "out-edit")), cwd=co.tmp / "edit",
                   env=child_env(args, co, co.tmp / "cache-edit"))

    def new_chars(co, k):
        chars = NEW_CHARS[k % len(NEW_CHARS)]
        edit_entry(co.entry, co.original, k, f"（本句只为测试新字符：{chars}。）")
        return run(authoring("build", WEEK, "--out", str(co.tmp / "out-edit")), cwd=co.tmp / "edit",
                   env=child_env(args, co, co.tmp / "cache-edit"))

    def validate_seeds(co, k):
        return run(authoring("validate", *(f"entries/{w}" for w in SEEDS)), cwd=co.root,
                   env=child_env(args, co, None))

    def validate_1000(co, k):
        return run(authoring("validate", f"entries/{co.gen_week.name}"), cwd=co.tmp / "gen",
                   env=child_env(args, co, None))

    def archive(co, k):
        outk = co.tmp / f"out-archive-{k}"
        r = run([sys.executable, str(co.tmp / "archive_child.py"), str(co.tmp / "archive"), str(outk),
                 *co.tags], cwd=co.tmp / "archive", env=child_env(args, co, co.tmp / "cache-warm"))
        shutil.rmtree(outk, ignore_errors=True)
        return r

    each("cold build", "cold", cold_runs, cold)
    each("warm build", "warm", args.runs, warm)
    for co in checkouts:
        co.pdf_bytes = next(out(co).glob("*.pdf")).stat().st_size
    each("edit + rebuild", "edit", args.runs, edited)
    each("five new characters + rebuild", "newchars", min(args.runs, len(NEW_CHARS)), new_chars)
    for co in checkouts:
        co.entry.write_text(co.original, encoding="utf-8")
    if args.builds_only:
        print()
        table(checkouts, builds_only=True)
        return 0
    each("validate seeds", "validate_seeds", args.runs, validate_seeds)
    each(f"validate {checkouts[-1].n_entries:,} entries", "validate1000", args.runs, validate_1000)
    each(f"archive of {len(checkouts[-1].tags)} weeks", "archive", archive_runs, archive)

    load1 = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    print()
    table(checkouts)
    if not args.no_watch:
        import bench_watch

        print()
        roots = [(co.label, co.root) for co in checkouts]
        for row in bench_watch.report(bench_watch.measure(roots, 4 if args.quick else 10, 1 if args.quick else 3,
                                                          checkouts[-1].tmp.parent / "watch")):
            print(row)
    print(f"\nload average {load0[0]:.2f} at the start, {load1[0]:.2f} at the end; "
          f"benchmark took {time.perf_counter() - started:.0f} s")
    return 0


def progress(what: str, s: Series) -> None:
    print(f"  {what}: " + ", ".join(f"{w:.2f}" for w in s.wall) + " s", flush=True)


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "MISSED"


def table(checkouts: list[Checkout], builds_only: bool = False) -> None:
    """One row per figure: median (range), CPU and peak RSS of each checkout, the target."""
    this = checkouts[-1]
    n_weeks = len(this.tags or ())
    rows: list[tuple] = []

    compare = len(checkouts) > 1

    def cells(co: Checkout, key: str, per: int = 0) -> list[str]:
        s = co.results[key]
        spread = f"{min(s.wall):.2f}-{max(s.wall):.2f}"
        if per:
            spread = f"{s.median() / per:.3f} s/week" if compare else f"{spread}, {s.median() / per:.3f} s/week"
        return [f"{s.median():.2f} s", spread, f"{s.cpu_median():.2f} s", f"{s.peak_mib():.0f} MiB"]

    def timed(label: str, key: str, target: float | None = None, per: int = 0) -> None:
        row = [label]
        for co in checkouts:
            row += cells(co, key, per)
        value = this.results[key].median()
        row += [f"≤ {target:g} s" if target else "", verdict(value, target) if target else ""]
        rows.append(tuple(row))

    timed("cold build 20250505 (empty cache)", "cold", TARGETS["cold"])
    timed("warm build 20250505", "warm", TARGETS["warm"])
    timed("edit one entry + rebuild", "edit")
    timed("five new characters + rebuild", "newchars", TARGETS["newchars"])
    if not builds_only:
        timed("validate 2 seed weeks", "validate_seeds")
        timed(f"validate {this.n_entries:,} generated entries", "validate1000", TARGETS["validate1000"])
        timed(f"archive: {n_weeks} weeks, all cores (total)", "archive", per=n_weeks)
    row = ["peak memory of a build (cold/warm/edit)"]
    for co in checkouts:
        peak = max(co.results[k].peak_mib() for k in ("cold", "warm", "edit"))
        row += [f"{peak:.0f} MiB", "", "", ""]
    peak = max(this.results[k].peak_mib() for k in ("cold", "warm", "edit"))
    rows.append(tuple(row + [f"≤ {TARGETS['peak_mib']:g} MiB", verdict(peak, TARGETS["peak_mib"])]))
    row = ["PDF size 20250505"]
    for co in checkouts:
        row += [f"{co.pdf_bytes / 1e6:.2f} MB", f"{co.pdf_bytes:,} B", "", ""]
    rows.append(tuple(row + [f"≤ {TARGETS['pdf_mb']:g} MB", verdict(this.pdf_bytes / 1e6, TARGETS["pdf_mb"])]))

    head = ["measurement"]
    for co in checkouts:
        tag = f" [{co.label}]" if compare else ""
        head += [f"median{tag}", "range", "CPU", "peak RSS"]
    head += ["target", ""]
    if compare:  # the ranges make the table too wide: left out
        keep = [i for i, h in enumerate(head) if h != "range"]
        head = [head[i] for i in keep]
        rows = [tuple(r[i] for i in keep) for r in rows]
    widths = [max(_w(r[i]) for r in rows + [tuple(head)]) for i in range(len(head))]
    for k, row in enumerate([tuple(head)] + rows):
        print("  ".join(_pad(cell, widths[i], right=0 < i < len(head) - 2)
                        for i, cell in enumerate(row)).rstrip())
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
