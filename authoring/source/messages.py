"""Plain-words messages for YAML syntax errors: PyYAML's complaint turned into the line,
column and wording an analyst can act on (where the mistake is, not where the parser gave
up: an unclosed quote at the quote, an unclosed bracket at the bracket)."""

from __future__ import annotations

import re

from ..lazyre import PYYAML, deferred

with deferred(PYYAML):
    import yaml


def text_lines(text: str) -> list[str]:
    """The lines of `text` as an editor numbers them: split at "\\n" only (str.splitlines
    also splits at U+0085, U+2028, form feeds and more, which editors show inside a line)."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Line, column and a plain-words message for a YAML syntax error."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    pm, cm = exc.problem_mark, exc.context_mark
    lines = text_lines(text)
    runaway = _runaway_quote(text, lines)
    if runaway is not None and not ("quoted scalar" in context and cm):
        return runaway

    def at(mark):
        return (mark.line + 1, mark.column + 1) if mark else (1, 1)

    def line_text(mark) -> str:
        return lines[mark.line] if mark and mark.line < len(lines) else ""

    if "found character '\\t'" in problem or (pm and "\t" in line_text(pm)[: pm.column + 1]):
        tab = line_text(pm).find("\t")
        line, col = at(pm)
        return line, (tab + 1 if tab >= 0 else col), ("tab character; YAML indents with spaces "
                                                      "only: replace the tab with spaces")
    if "quoted scalar" in context and cm:
        if "unknown escape character" in problem:
            ch = problem.rsplit(" ", 1)[-1]
            line, col = at(pm)
            return (line, max(1, col - 1), f"unknown escape \\{ch.strip(chr(39))} in a double-quoted text; write "
                    "'\\\\' for a backslash or use single quotes")
        return (*at(cm), "this quoted text is never closed; add the closing quote "
                         "(or write a quote inside it twice in single quotes: 'it''s')")
    if "could not find expected ':'" in problem:
        mark = cm or pm
        shown = line_text(mark).strip()
        return (*at(mark), f"'{_clip(shown)}' is not a 'key: value' line; a ':' after the key is "
                           "missing (or a quote on an earlier line is not closed)")
    if "mapping values are not allowed" in problem:
        return (*at(pm), "a ': ' inside a plain value; put the whole value in quotes "
                         "(\"...\") or remove the colon")
    if "cannot start any token" in problem:
        ch = problem.split("'")[1] if "'" in problem else "?"
        return (*at(pm), f"a plain value cannot start with '{ch}'; put the value in quotes")
    if "found undefined alias" in problem:
        return (*at(pm), f"{problem.removeprefix('found ')}; aliases (*name) must refer to an "
                         "anchor (&name) written earlier in the file")
    if "duplicate anchor" in context:
        return (*at(pm), f"the anchor {context.split()[3].rstrip(';')} is defined twice; "
                         "give each anchor its own name")
    if "expected a single document" in context:
        return (*at(pm), "a second document ('---') in the file; one file holds one mapping")
    if "flow node" in context and "<stream end>" in problem:
        found = _last_open_bracket(lines)
        if found is not None:
            line, col, ch = found
            close = "]" if ch == "[" else "}"
            return (line, col, f"this '{ch}' is never closed: the file ends before its '{close}'")
    if "flow sequence" in context or "flow mapping" in context:
        close = "]" if "sequence" in context else "}"
        return (*at(cm), f"this '{'[' if close == ']' else '{'}' is not closed with '{close}' "
                         "(or a ',' is missing between items)")
    if "expected <block end>" in problem or "bad indentation" in problem:
        found = problem.split("found", 1)[-1].strip(" '<>")
        if found == "scalar" and pm and cm and pm.line == cm.line:
            return (*at(pm), "unexpected text after a quoted value; put the whole value in "
                             "quotes")
        if found == "-":
            return (*at(pm), "a list item ('- ') where a 'key: value' line was expected; indent "
                             "it under its key or give it a key")
        return (*at(pm), "this line's indentation does not match the lines above it; align it "
                         "with the other items at its level (spaces only)")
    if "did not find expected" in problem:
        return (*at(pm), f"malformed YAML: {problem}; check the indentation and the '- ' of "
                         "list items")
    return (*at(pm or cm), f"malformed YAML: {problem}{' (' + context + ')' if context else ''}")


_KEY_LINE = re.compile(r"^\s*(?:- )?[\w.-]+:(?: |$)")


def _runaway_quote(text: str, lines: list[str]) -> tuple[int, int, str] | None:
    """A quoted value that runs on over lines that look like 'key: value' lines: its
    closing quote is missing, and the parser's complaint (often an indentation error many
    lines later, where the next quote closes it) is a consequence.  Line, column and
    message at the opening quote, else None."""
    if "'" not in text and '"' not in text:
        return None
    found = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"') \
                    and token.end_mark.line > token.start_mark.line:
                inner = lines[token.start_mark.line + 1: token.end_mark.line + 1]
                if any(_KEY_LINE.match(line) for line in inner):
                    found = token
    except yaml.YAMLError:
        pass
    if found is None:
        return None
    m, q = found.start_mark, found.style
    return (m.line + 1, m.column + 1,
            f"this quoted text (opened with {q}) is not closed on its line: it runs on to line "
            f"{found.end_mark.line + 1}, taking the lines between as its text; add the closing {q} "
            + ("(a ' inside it is written '')" if q == "'" else '(a " inside it is written \\")'))


def _last_open_bracket(lines: list[str]) -> tuple[int, int, str] | None:
    """Line, column and character of the last '[' or '{' that no bracket on the lines
    after it closes (quotes and comments are not tracked: a hint for a message only)."""
    depth = 0
    for n in range(len(lines) - 1, -1, -1):
        text = lines[n].split(" #", 1)[0]
        for col in range(len(text) - 1, -1, -1):
            ch = text[col]
            if ch in "]}":
                depth += 1
            elif ch in "[{":
                if depth == 0:
                    return n + 1, col + 1, ch
                depth -= 1
    return None


def _clip(s: str, n: int = 40) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
