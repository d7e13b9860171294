"""Builds in one process: a later build with new characters must not reuse an older font subset."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber

from authoring.build import build_week

REPO = Path(__file__).resolve().parent.parent


def test_second_build_with_new_characters_draws_them(tmp_path: Path, seed_weeks):
    for d in ("entries", "styles"):
        shutil.copytree(REPO / d, tmp_path / d)
    seed_weeks.build("20250505")  # the first build in this process (the same week)
    entry = tmp_path / "entries" / "20250505" / "01-qwen3.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace(
        "title: 通义千问发布 Qwen-3 模型", "title: 通义千问发布 Qwen-3 模型（龘）"), encoding="utf-8")
    second = build_week(tmp_path, "20250505", out_dir=tmp_path / "second")
    with pdfplumber.open(second.pdf) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "（龘）" in text
    assert "\x00" not in text


def test_stale_temporary_files_of_a_killed_build_are_removed(tmp_path: Path):
    import os
    import time

    from authoring.atomic import STALE_SECONDS, write_bytes

    target = tmp_path / "report.pdf"
    old = tmp_path / ".report.pdf.abc123.tmp"
    fresh = tmp_path / ".report.pdf.def456.tmp"  # perhaps a build running right now
    old.write_bytes(b"%PDF-partial")
    fresh.write_bytes(b"%PDF-partial")
    past = time.time() - STALE_SECONDS - 60
    os.utime(old, (past, past))
    write_bytes(target, b"%PDF-1.4 whole")
    assert target.read_bytes() == b"%PDF-1.4 whole"
    assert not old.exists()
    assert fresh.exists()


def test_one_shot_commands_turn_the_collector_off_and_main_restores_it(monkeypatch):
    """build/validate run without the collector (cli.run explains why); `watch` keeps it;
    main() called in-process gives the process back with the collector on."""
    import gc

    from authoring import cli

    seen = {}

    def fake(args):
        seen[args.command] = gc.isenabled()
        return 0

    assert gc.isenabled()
    parser = cli.make_parser

    def patched():
        p = parser()
        for sp in p.subcommands.choices.values():
            sp.set_defaults(func=fake)
        return p

    monkeypatch.setattr(cli, "make_parser", patched)
    assert cli.main(["validate"]) == 0
    assert cli.main(["watch", "20250505"]) == 0
    assert seen == {"validate": False, "watch": True}
    assert gc.isenabled()
