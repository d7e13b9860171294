"""Charts and CID checks done in a second process: the same PDF as in line, nothing started
when everything is cached, and a worker that dies does not fail the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from authoring import background
from authoring.build import build_week

REPO = Path(__file__).resolve().parent.parent
WEEK = "20250505"


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    for d in ("entries", "styles"):
        shutil.copytree(REPO / d, tmp_path / d)
    return tmp_path


def _no_worker(monkeypatch):
    def refuse():
        raise AssertionError("a worker process was asked for")

    monkeypatch.setattr(background, "can_fork", refuse)


@pytest.mark.skipif(not background.can_fork(), reason="needs fork and two cores")
def test_worker_and_in_line_give_the_same_pdf_and_a_warm_build_starts_no_worker(proj, tmp_path, monkeypatch):
    forked = build_week(proj, WEEK, out_dir=tmp_path / "a", cache=tmp_path / "cache-a")
    charts = sorted((tmp_path / "cache-a" / "charts").glob("*.png"))
    assert len(charts) == 2  # both charts of the week were drawn by the worker
    assert len(list((tmp_path / "cache-a" / "fonts").glob("*.cids"))) >= 4  # one per CJK face used

    monkeypatch.setattr(background, "can_fork", lambda: False)
    in_line = build_week(proj, WEEK, out_dir=tmp_path / "b", cache=tmp_path / "cache-b")
    assert forked.pdf.read_bytes() == in_line.pdf.read_bytes()

    _no_worker(monkeypatch)  # everything is cached now: asking for a worker fails the test
    warm = build_week(proj, WEEK, out_dir=tmp_path / "c", cache=tmp_path / "cache-a")
    assert warm.pdf.read_bytes() == forked.pdf.read_bytes()


def _dies_in_a_worker(parent: int) -> str:
    import os

    if os.getpid() != parent:
        os._exit(3)  # the worker ends as if killed
    return "done here"


@pytest.mark.skipif(not background.can_fork(), reason="needs fork and two cores")
def test_a_worker_that_dies_is_replaced_by_doing_the_work_here():
    import os

    with background.Background() as bg:
        assert bg.enabled
        assert bg.call(_dies_in_a_worker, os.getpid())() == "done here"


def test_without_a_worker_the_work_is_done_when_asked_for_and_once():
    calls = []

    def work(x):
        calls.append(x)
        return x * 2

    bg = background.Background(enabled=False)
    thunk = bg.call(work, 21)
    assert calls == []  # nothing done until asked
    assert thunk() == 42 and thunk() == 42
    assert calls == [21]
