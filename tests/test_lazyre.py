"""Deferred third-party patterns: hit when the libraries import, and identical in use."""

import json
import re
import subprocess
import sys

import pytest

from authoring.lazyre import PYYAML, REPORTLAB, Deferred, _caches, deferred

PROBE = """
import json
import authoring.layout, authoring.source.load, re
import reportlab.platypus.paragraph as paragraph, reportlab.lib.textsplit as textsplit, yaml.reader
from authoring.lazyre import Deferred
left = [k[1][:20] for c in (getattr(re, "_cache", {}), getattr(re, "_cache2", {})) for k, v in c.items()
        if isinstance(v, Deferred)]
print(json.dumps({"uri": type(paragraph.uri_pat).__name__, "cjk": type(textsplit.rx).__name__,
                  "yaml": type(yaml.reader.Reader.NON_PRINTABLE).__name__, "left": left}))
"""


def test_the_libraries_patterns_are_still_the_seeded_ones():
    """Fails when reportlab or PyYAML change a pattern: then update authoring/lazyre.py."""
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout)
    assert got == {"uri": "Deferred", "cjk": "Deferred", "yaml": "Deferred", "left": []}


SAMPLES = ["https://www.example.com/path?q=1", "ftp://user:pw@10.0.0.1:21/x", "http://例子.测试/页面",
           "HTTPS://EXAMPLE.ORG", "mailto:someone", "not a url", "http://-bad-.com", "http://[::1]:8080/",
           "中文English混排", "", "\x00\x07 tab\tok", "\ud800", "表\u3000格"]


@pytest.mark.parametrize("pattern,flags", [*REPORTLAB, *PYYAML])
def test_a_deferred_pattern_answers_like_the_compiled_one(pattern, flags):
    real = re.compile(pattern, flags)
    lazy = Deferred(pattern, int(flags))
    for s in SAMPLES:
        m1, m2 = real.match(s), lazy.match(s)
        assert (m1 and m1.span()) == (m2 and m2.span())
        assert real.findall(s) == lazy.findall(s)
        assert real.sub("#", s) == lazy.sub("#", s)
    assert lazy.pattern == real.pattern and lazy.flags == int(flags)
    assert lazy.groups == real.groups


def test_inside_the_block_compile_answers_with_the_seed_and_nothing_is_left_after():
    pattern = "(?:lazyre-test-[\u4e00-\u9fff]+)"  # not used anywhere else
    with deferred([(pattern, re.I)]):
        got = re.compile(pattern, re.I)
        assert isinstance(got, Deferred)
        assert got.search("x lazyre-test-中文 y").group() == "lazyre-test-中文"  # compiles inside the block
    with deferred([(pattern + "?", 0)]):
        unused = re.compile(pattern + "?")
    assert isinstance(unused, Deferred)
    assert not any(isinstance(v, Deferred) for c in _caches() for v in c.values())
    assert isinstance(re.compile(pattern, re.I), re.Pattern)
    assert isinstance(re.compile(pattern + "?"), re.Pattern)


def test_an_already_compiled_pattern_is_not_replaced():
    pattern = "lazyre-test-already-[0-9]+"
    real = re.compile(pattern)
    with deferred([(pattern, 0)]):
        assert re.compile(pattern) is real
