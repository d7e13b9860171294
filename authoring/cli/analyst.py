"""The analyst's commands: new, lint, preview, watch (registered by cli.make_parser).

Thin wrappers: the work is done in scaffold/, validate/lint.py, preview.py and watch.py.
Problems in the input raise `Failed`, which cli.main prints as file:line:col
messages with exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..diagnostics import display_path
from . import EXIT_BAD_INPUT, EXIT_FINDINGS, project_root


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; expected YYYY-MM-DD") from None


# ------------------------------------------------------------------------ new

def cmd_new_week(args) -> int:
    from ..scaffold.week import new_week

    done = new_week(project_root(), args.week, date=args.date, copy_from=args.copy_from)
    for path in done.created:
        print(f"wrote {display_path(path)}")
    for path, line in done.appended:
        print(f"appended to {display_path(path)}: {line.strip()}")
    for note in done.notes:
        print(note)
    print(f"next: write headline and key_points in {display_path(done.created[0])}, then "
          f"`authoring new entry {args.week} <slug> --section <key>` for each item")
    return 0


def cmd_new_entry(args) -> int:
    from ..scaffold.entry import new_entry

    path = new_entry(project_root(), args.week, args.slug, args.section, title=args.title)
    print(f"wrote {display_path(path)}")
    print("next: fill in title, date and body (see the comments in the file), then "
          f"`authoring validate entries/{args.week}`")
    return 0


# ----------------------------------------------------------------------- lint

def cmd_lint(args) -> int:
    from ..validate.lint import all_weeks, lint_weeks

    root = project_root()
    weeks = args.weeks or all_weeks(root)
    warnings, errors = lint_weeks(root, weeks)
    for d in warnings:
        print(d)
    if errors:
        for d in errors:
            print(d, file=sys.stderr)
        print(f"{len(errors)} error(s): fix them first (`authoring validate`); lint checks valid "
              "weeks only", file=sys.stderr)
        return EXIT_BAD_INPUT
    if warnings:
        print(f"{len(warnings)} warning(s) in {', '.join(weeks)}", file=sys.stderr)
        return EXIT_FINDINGS if args.strict else 0
    if not args.quiet:
        print(f"ok: no findings in {', '.join(weeks)}")
    return 0


# -------------------------------------------------------------- preview, watch

def cmd_preview(args) -> int:
    from ..preview import preview

    result = preview(project_root(), args.week, out_dir=Path(args.out) if args.out else None,
                     dpi=args.dpi, rebuild=args.rebuild)
    if result.built is not None:
        print(result.built.summary_line())
    else:
        print(f"up to date: {display_path(result.pdf)}")
    pages = result.pages
    print(f"wrote {len(pages)} page images: {display_path(pages[0])} … {display_path(pages[-1])}")
    print(display_path(result.contact_sheet))
    return 0


def cmd_watch(args) -> int:
    from ..watch import watch

    return watch(project_root(), args.week, max_builds=args.max_builds, open_pdf=args.open)


# ------------------------------------------------------------------- register

NEW_HELP = """\
new week WEEK    copies series, authors, sections and report type from the latest earlier
                 week into entries/WEEK/week.yaml, dated WEEK (or --date), and appends that
                 earlier week's report to entries/catalogue.yaml (近期研究报告).  headline
                 and key_points are left as comments: validate says 'field required'
                 until you write them.
new entry WEEK SLUG --section KEY
                 writes entries/WEEK/NN-SLUG.yaml (next number) from a template that
                 explains every field and shows every block and figure kind.
Neither command ever overwrites a file: when the file exists it exits with 2."""

LINT_HELP = """\
Editorial checks on valid weeks (all weeks when none is given).  Each finding is printed
as  file:line:col: warning: message.  Checks: entry dates outside the 14 days ending on the
week's date; a figure without a real source or never referred to as [[id]]; a doubled
character (将将); half-width , . ; : ! ? ( ) between Chinese characters; names spelled off
styles/names.yaml (Openai -> OpenAI); "6B" next to "6亿" (6B is 60亿); an empty 风险提示.
Exit code 0 (1 with --strict when there are findings; 2 when a week does not validate)."""

PREVIEW_HELP = """\
Builds the week when its PDF is missing or older than its inputs, then writes a PNG of
every page to build/WEEK/preview/page-NN.png and all pages as thumbnails in
build/WEEK/preview/contact-sheet.png (pypdfium2, or pdftoppm when it is missing)."""

WATCH_HELP = """\
Builds the week, then rebuilds whenever a file in entries/WEEK/, entries/*.yaml or
styles/ is saved (file system events; polling every 0.3 s on network file systems or with
WATCHFILES_FORCE_POLLING set, which the first line says).  Rebuilds run in the same process
and reuse everything unchanged: the PDF is the one `authoring build` writes.  One line per
build: time, pages, what changed.  Bad input prints file:line:col messages and keeps
watching; the last good PDF stays.  --open opens the PDF once (xdg-open).  Ctrl-C stops
(exit 0)."""


def register(sub) -> None:
    raw = argparse.RawDescriptionHelpFormatter

    n = sub.add_parser("new", help="start a week or an entry from a template (never overwrites)",
                       description=NEW_HELP, formatter_class=raw)
    nsub = n.add_subparsers(dest="what", required=True, metavar="week|entry")
    nw = nsub.add_parser("week", help="entries/WEEK/week.yaml from the previous week",
                         description=NEW_HELP, formatter_class=raw)
    nw.add_argument("week", help="the new week's tag, YYYYMMDD, e.g. 20250512")
    nw.add_argument("--date", type=_date, help="publication date if not the tag's (YYYY-MM-DD)")
    nw.add_argument("--from", dest="copy_from", metavar="WEEK",
                    help="copy from this week instead of the latest earlier one")
    nw.set_defaults(func=cmd_new_week)
    ne = nsub.add_parser("entry", help="entries/WEEK/NN-SLUG.yaml from the template",
                         description=NEW_HELP, formatter_class=raw)
    ne.add_argument("week", help="the week folder, e.g. 20250512")
    ne.add_argument("slug", help="the entry's id: lowercase letters, digits, '-' (e.g. qwen3)")
    ne.add_argument("--section", required=True, help="a section key from the week's week.yaml")
    ne.add_argument("--title", help="the item's title (otherwise left to fill in)")
    ne.set_defaults(func=cmd_new_entry)

    lt = sub.add_parser("lint", help="editorial checks: dates, figures, typos, punctuation, names",
                        description=LINT_HELP, formatter_class=raw)
    lt.add_argument("weeks", nargs="*", metavar="WEEK", help="week folders (default: all)")
    lt.add_argument("--strict", action="store_true", help="exit code 1 when there are findings")
    lt.set_defaults(func=cmd_lint)

    pv = sub.add_parser("preview", help="PNG of every page and a contact sheet",
                        description=PREVIEW_HELP, formatter_class=raw)
    pv.add_argument("week", help="the week folder's name, e.g. 20250505")
    pv.add_argument("--out", help="build folder (default build/<WEEK>)")
    pv.add_argument("--dpi", type=int, default=110, help="page image resolution (default 110)")
    pv.add_argument("--rebuild", action="store_true", help="build even when the PDF is up to date")
    pv.set_defaults(func=cmd_preview)

    wt = sub.add_parser("watch", help="rebuild on every change, print the time taken",
                        description=WATCH_HELP, formatter_class=raw)
    wt.add_argument("week", help="the week folder's name, e.g. 20250505")
    wt.add_argument("--open", action="store_true", help="open the PDF once in the system's viewer (xdg-open)")
    wt.add_argument("--max-builds", type=int, metavar="N",
                    help="stop after N builds (for scripts and tests)")
    wt.set_defaults(func=cmd_watch)
