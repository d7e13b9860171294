"""What `authoring validate` checks for the paths it is given: week folders, files of a
week, the registries, lone files; and which weeks a commit changed (pre-commit).

A week of the project is checked as a build checks it (`build.lay_out`: styles, fonts and
the layout too), so that whatever fails a build fails validation; that is why this sits
beside build.py and not in validate/, which knows nothing of the later stages."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Collector, Diagnostic, Failed, display_path
from .model import entries as models
from .validate.files import load_checked, outside
from .validate.week import no_week, validate_week


def validate_paths(paths: list[Path], entries_root: Path) -> list[Diagnostic]:
    """What `authoring validate` does.

    A week folder is validated as a whole.  A file inside a week folder
    (what pre-commit passes) validates its whole week, since ids, sections,
    key points and references are checked across files; entries/people.yaml
    or entries/catalogue.yaml validate every week.  Any other YAML file gets
    the schema checks of its kind (week.yaml, people.yaml, catalogue.yaml,
    else an entry).
    """
    diags: list[Diagnostic] = []
    weeks: set[Path] = set()
    root = entries_root.resolve()

    def all_weeks() -> set[Path]:
        return {d for d in entries_root.iterdir() if d.is_dir() and not d.name.startswith(".")} \
            if entries_root.is_dir() else set()

    for p in map(Path, paths):
        if not p.exists():
            if p.suffix in (".yaml", ".yml"):
                diags.append(Diagnostic(display_path(p), 0, 0, "does not exist; expected a YAML file"))
            elif p.parent.resolve() == root:
                diags.append(no_week(p, entries_root))
            else:
                diags.append(Diagnostic(display_path(p), 0, 0, "does not exist; expected a week folder "
                                        "or a YAML file"))
        elif p.is_dir():
            if p.resolve() == root:
                weeks.update(all_weeks())
                for name in ("people.yaml", "catalogue.yaml"):  # also when there is no week yet
                    if (p / name).exists() and not outside(p / name, entries_root.parent):
                        diags.extend(validate_file(p / name))
            elif p.resolve().parent == root and not p.name.startswith("."):
                weeks.add(p)
            else:
                diags.append(Diagnostic(display_path(p), 0, 0, "is not a week: a week is a folder in "
                                        f"{display_path(entries_root)}/ (or give YAML files)"))
        elif p.suffix not in (".yaml", ".yml"):
            diags.append(Diagnostic(display_path(p), 0, 0, "is not a YAML file or week folder"))
        elif p.resolve().parent.parent == root or p.name == "week.yaml":
            weeks.add(p.parent)  # a file of a week: the whole week
        elif outside(p, entries_root.parent):
            diags.append(Diagnostic(display_path(p), 0, 0, "is a link to a file outside the project; "
                                    "copy the file into the project instead"))
        elif p.resolve().parent == root:
            weeks.update(all_weeks())  # people.yaml, catalogue.yaml: every week uses them
            diags.extend(validate_file(p))
        else:
            diags.extend(validate_file(p))
    project = entries_root.parent
    for w in sorted(weeks, key=lambda d: d.resolve()):
        try:
            if w.resolve().parent == root and (project / "styles").is_dir():
                from .build import lay_out  # what a build checks: styles, fonts, the layout too

                lay_out(project, w.name)
            else:  # entries without styles (a folder of entries only): what they alone can say
                validate_week(w, entries_root if w.resolve().parent == root else w.parent)
        except Failed as f:
            diags.extend(f.diagnostics)
    return sorted(set(diags), key=lambda d: (d.file, d.line, d.col, d.message))


def validate_file(path: Path) -> list[Diagnostic]:
    """A lone file outside a week (e.g. a test case): schema checks only."""
    out = Collector()
    model = {"week.yaml": models.Week, "people.yaml": models.People,
             "catalogue.yaml": models.Catalogue}.get(path.name, models.Entry)
    load_checked(path, model, out)
    return out.items


def changed_weeks(root: Path) -> list[Path]:
    """What a commit must validate: every week with a staged change (added, changed, renamed
    away or deleted file), or all of entries/ when people.yaml or catalogue.yaml changed."""
    import subprocess

    try:
        out = subprocess.run(["git", "diff", "--cached", "--name-only", "--no-renames", "-z"],
                             cwd=root, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        why = (getattr(exc, "stderr", "") or str(exc)).strip().splitlines()
        raise Failed([Diagnostic("--changed", 0, 0, "needs git and a git repository here"
                                 + (f" ({why[0]})" if why else ""))]) from None
    weeks: set[Path] = set()
    for name in filter(None, out.split("\0")):
        parts = Path(name).parts
        if len(parts) == 2 and parts[0] == "entries" and parts[1].endswith((".yaml", ".yml")):
            return [Path("entries")]
        if len(parts) >= 3 and parts[0] == "entries" and (root / "entries" / parts[1]).is_dir():
            weeks.add(Path("entries") / parts[1])
    return sorted(weeks)
