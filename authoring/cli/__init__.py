"""Command line: `authoring validate|schema|build|new|lint|preview|watch|completion`.

Every command reports problems as `file:line:col: message`, all at once, and
exits with 2 on bad input; it never shows a traceback for a user's mistake.
Exit codes: 0 ok, 1 lint findings under --strict (or stale schemas, a failing
disk), 2 bad input, 64 a mistake in the command line, 70 a bug in authoring.
Output never fails on a terminal that cannot show Chinese: what it cannot
encode is printed as \\uXXXX escapes.
"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
from pathlib import Path

from ..diagnostics import Failed

EXIT_FINDINGS = 1      # lint findings under --strict, stale schemas
EXIT_BAD_INPUT = 2
EXIT_USAGE = 64        # EX_USAGE: the command line itself is wrong
EXIT_ENVIRONMENT = 1   # the disk, permissions, a missing tool: not the entries
EXIT_INTERNAL = 70     # EX_SOFTWARE: a bug in authoring
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class Terminated(BaseException):
    """SIGTERM, raised like KeyboardInterrupt so that temporary files are removed on the way out."""


def project_root() -> Path:
    """Commands run in the project folder (the one holding entries/ and styles/)."""
    return Path.cwd()


def cmd_validate(args) -> int:
    from ..check import validate_paths

    entries = project_root() / "entries"
    if args.changed:
        from ..check import changed_weeks

        paths = [Path(p) for p in args.paths] + changed_weeks(project_root())
        if not paths:
            print("ok: no entries changed")
            return 0
    else:
        paths = [Path(p) for p in args.paths] or [entries]
    diags = validate_paths(paths, entries)  # lays each week out too: the cover's fit included
    for d in diags:
        print(d, file=sys.stderr)
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        print(f"{len(errors)} error(s)", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.quiet:
        print(f"ok: {', '.join(str(p) for p in paths)}")
    return 0


def cmd_schema(args) -> int:
    from ..model import generate, schema

    folder = Path(args.out)
    if args.check:
        stale = [folder / name for name in schema.stale(folder)]
        stale += [generate.RECORDS_FILE] if generate.stale() else []
        for path in stale:
            print(f"{path}: stale; run `authoring schema`", file=sys.stderr)
        return EXIT_FINDINGS if stale else 0
    for path in schema.write(folder) + ([generate.RECORDS_FILE] if generate.write() else []):
        print(f"wrote {path}")
    return 0


def cmd_build(args) -> int:
    out = Path(args.out) if args.out else None
    fmt = getattr(args, "format", "pdf")
    paths = []
    if fmt in ("pdf", "all"):
        from ..build import build_week

        result = build_week(project_root(), args.week, out_dir=out)
        for w in result.warnings:
            print(w, file=sys.stderr)
        print(result.summary_line())
        paths.append(result.pdf)
    if fmt in ("html", "email", "all"):
        from ..web import build_editions

        for edition in build_editions(project_root(), args.week, ["html", "email"] if fmt == "all" else [fmt], out_dir=out):
            print(edition.summary_line())
            paths.append(edition.path)
    for path in paths:
        print(path)
    return 0


class Parser(argparse.ArgumentParser):
    """argparse with -q/-v on every command and exit code 64 (not 2) for usage errors."""

    def __init__(self, *args, **kw):
        self.options: list[str] = []  # every option string, for shell completion
        self.subcommands = None
        super().__init__(*args, **kw)
        self.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                          help="print only problems")
        self.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                          help="say more; show the traceback of an internal error")

    def add_argument(self, *args, **kw):
        self.options.extend(a for a in args if isinstance(a, str) and a.startswith("-"))
        return super().add_argument(*args, **kw)

    def add_subparsers(self, **kw):
        self.subcommands = super().add_subparsers(**kw)
        return self.subcommands

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def make_parser() -> argparse.ArgumentParser:
    from .. import __version__

    p = Parser(
        prog="authoring",
        description="Build the weekly AI news report (金工周报) from YAML entries. "
                    "Run from the project folder (the one holding entries/ and styles/).")
    p.add_argument("--version", action="version", version=f"authoring {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="check entries against the schema and each other",
                       description="Check YAML files or week folders (default: all of entries/). "
                                   "Prints file:line:col: message for every problem; exit code 2 on errors.")
    v.add_argument("paths", nargs="*", help="files or week folders")
    v.add_argument("--changed", action="store_true",
                   help="the weeks that git shows changed, added or deleted files in (for pre-commit)")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("schema", help="write JSON Schema files to schemas/ (and the model's records)")
    s.add_argument("--out", default="schemas")
    s.add_argument("--check", action="store_true", help="exit 1 if a schema file is stale")
    s.set_defaults(func=cmd_schema)

    b = sub.add_parser("build", help="build a week's PDF under build/<WEEK>/",
                       description="Validate, assemble and lay out one week; prints the written files' paths last.")
    b.add_argument("week", help="the week folder's name, e.g. 20250505")
    b.add_argument("--out", help="output folder (default build/<WEEK>)")
    b.add_argument("--format", choices=("pdf", "html", "email", "all"), default="pdf",
                   help="pdf (default); html: one self-contained web page; email: a MIME message "
                        "(.eml) with inline styles; all: every one of them")
    b.set_defaults(func=cmd_build)

    c = sub.add_parser("completion", help="print a shell completion script (bash, zsh or fish)",
                       description="Prints a completion script: eval \"$(authoring completion bash)\" "
                                   "in ~/.bashrc, or authoring completion fish > "
                                   "~/.config/fish/completions/authoring.fish.")
    c.add_argument("shell", choices=["bash", "zsh", "fish"])
    c.set_defaults(func=cmd_completion)

    from . import analyst  # new, lint, preview, watch

    analyst.register(sub)
    return p


def cmd_completion(args) -> int:
    from .completion import script

    print(script(make_parser(), args.shell), end="")
    return 0


def _safe_streams() -> None:
    """Never fail on output: what the terminal's encoding lacks is printed as an escape."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass


def run() -> None:
    """The command line as a process of its own (`python -m authoring`, the `authoring`
    script): `main` without the collector, ended with `os._exit`.

    A one-shot command allocates a few million objects that live until it ends; Python's
    collector would walk them again and again for the few cycles a build makes, and at exit
    the interpreter frees every object and module one by one.  Together that was about a
    fifth of a warm build.  So the collector stays off (`main(exiting=True)`; `watch` runs
    for hours and keeps it), and once every exit handler registered later has run (they
    run last-registered first), the process ends with `os._exit`, its output flushed."""
    import atexit

    code = [EXIT_INTERNAL]  # what an exception escaping `main` ends with

    def end() -> None:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code[0])

    atexit.register(end)
    code[0] = main(exiting=True)
    sys.exit(code[0])


def main(argv: list[str] | None = None, *, exiting: bool = False) -> int:
    """Run one command; the exit code.  In-process callers (tests, an editor) get the
    process back as it was; `exiting` (`run`): the process ends after this."""
    _safe_streams()
    try:
        args = make_parser().parse_args(argv)
    except SystemExit as done:  # --help, --version (0) or a usage error (64)
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    args.quiet = getattr(args, "quiet", False)
    args.verbose = getattr(args, "verbose", False)
    # what -q and -v change is put back on the way out: main may be called again in the
    # same process (tests, an editor's integration)
    stdout, debug = sys.stdout, os.environ.get("AUTHORING_DEBUG")
    if args.verbose:
        os.environ["AUTHORING_DEBUG"] = debug or "1"
    if args.quiet:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
    previous = _on_sigterm()
    # a one-shot command allocates a few million objects, most of them for good (modules,
    # the report), and exits: the collector is off meanwhile (see `run`); `watch` runs for
    # hours and keeps it
    collecting = gc.isenabled()
    if getattr(args, "command", None) != "watch":
        gc.disable()
    try:
        return args.func(args)
    except Failed as failed:
        for d in failed.diagnostics:
            print(d, file=sys.stderr)
        print(f"{len(failed.diagnostics)} error(s); nothing was written", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("terminated; nothing was written", file=sys.stderr)
        return EXIT_TERMINATED
    except OSError as exc:  # disk full, permission denied, ...: say what and where, no traceback
        if _debug():
            raise
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}; nothing was written", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except Exception as exc:  # noqa: BLE001 - the last resort: a bug, reported without a traceback
        if _debug():
            raise
        print(f"internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in authoring, not a mistake in your entries. "
              "Please report it with the command you ran (AUTHORING_DEBUG=1 shows the traceback).",
              file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        _restore_sigterm(previous)
        if collecting and not exiting:  # re-enabled at the end of a process would
            gc.enable()                  # collect everything once more for nothing
        if sys.stdout is not stdout:
            sys.stdout.close()
            sys.stdout = stdout
        if debug is None:
            os.environ.pop("AUTHORING_DEBUG", None)
        else:
            os.environ["AUTHORING_DEBUG"] = debug


def _debug() -> bool:
    return os.environ.get("AUTHORING_DEBUG", "") not in ("", "0")


def _on_sigterm():
    """Turn SIGTERM into `Terminated` (Python's default would exit without cleaning up)."""
    def handler(signum, frame):
        raise Terminated()

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (e.g. called from a test runner's worker)
        return None


def _restore_sigterm(previous) -> None:
    if previous is not None:
        try:
            signal.signal(signal.SIGTERM, previous)
        except ValueError:
            pass


if __name__ == "__main__":
    sys.exit(main())
