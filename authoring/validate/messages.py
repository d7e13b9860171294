"""pydantic's errors in words an analyst reads, each at the line and column of the value
(or key) it is about."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

from ..diagnostics import Diagnostic
from ..model import entries as models
from ..source.load import Source, shown
from ..source.paths import dotted
from .locate import FIGURE_KINDS, KIND_HINTS, VOCABULARY, model_at, node_at, yaml_path


_FRIENDLY = {
    "string_pattern_mismatch": {
        r"^[a-z0-9][a-z0-9-]{0,63}$": "expected an id of lowercase letters, digits and '-', "
                                      "starting with a letter or digit (e.g. 'qwen3-bench')",
        r"^S\d{13}$": "expected a SAC registration number: 'S' and 13 digits (e.g. S1340524090001)",
        r"^\d{8}$": "expected the week as YYYYMMDD, e.g. 20250505",
        r"^https?://\S+$": "expected a web address starting with http:// or https:// (no spaces)",
        r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$": "expected an e-mail address such as name@cnpsec.com",
        r"^#[0-9A-Fa-f]{6}$": "expected a colour written #RRGGBB ('#' and six hexadecimal digits, "
                              "e.g. #0B6E4F)",
    },
}

_DATE = "a date written YYYY-MM-DD (e.g. 2025-04-30)"
_MAPPING = "a mapping of 'key: value' fields"
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "float_parsing": "a number", "finite_number": "a finite number",
    "bool_type": "true or false", "bool_parsing": "true or false",
    "list_type": "a list ('- ' items, or [a, b])",
    "dict_type": _MAPPING, "model_type": _MAPPING, "model_attributes_type": _MAPPING,
    "date_type": _DATE, "date_parsing": _DATE, "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
}


# ------------------------------------------------------------- messages

_SUBPATH = re.compile(r"^((?:[a-z_]+\[\d+\]\.?)+) ")


def _show(value: Any) -> str:
    s = repr(value)
    return s if len(s) <= 60 else s[:56] + "...'"


def describe(value: Any) -> str:
    """What the analyst wrote, in words."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"text {_show(value)}"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "a mapping (key: value)"
    return _show(value)


def _type_hint(expected: list[str], value: Any) -> str:
    if "text" in expected and isinstance(value, (bool, int, float)):
        return "; put it in quotes to keep it as text"
    if "text" in expected and isinstance(value, (list, dict)):
        return "; text that starts with '[' or '{' or holds ': ' must be put in quotes"
    if any(e.startswith("a list") for e in expected) and isinstance(value, str):
        return "; write one '- ' item per line"
    if "a number" in expected and isinstance(value, str) and _is_number(value):
        return "; write the number without quotes"
    if "true or false" in expected and isinstance(value, str) and value.lower() in _YAML11_BOOLS:
        return "; write true or false (editors read yes, no, on and off as text)"
    return ""


_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _refine(message: str, node: Any) -> tuple[tuple, str, bool]:
    """Point a model-level error at the field it is about.

    Returns (extra path, message, point at the key rather than the value).
    """
    m = re.match(r"give either '(\w+)' or '(\w+)'", message)
    if m and isinstance(node, dict):
        a, b = m.groups()
        if a in node and b in node:
            return (b,), f"{message} (this one has both)", True
        return (), f"{message} (this one has neither)", False
    if message.startswith("header_groups spans") and isinstance(node, dict) and "header_groups" in node:
        return ("header_groups",), message, True
    if re.match(r"a '\w+' chart takes one series", message) and isinstance(node, dict) and "chart" in node:
        return ("chart",), message, False
    m = re.match(r"section keys must be unique; repeated: (.+)", message)
    if m and isinstance(node, list):
        first = m.group(1).split(", ")[0]
        keys = [s.get("key") if isinstance(s, dict) else None for s in node]
        if keys.count(first) > 1:
            i = keys.index(first, keys.index(first) + 1)
            return (i, "key"), f"section key '{first}' is used twice; each section needs its own key", False
    if message.startswith(f"{models.RISK_TITLE} is added") and isinstance(node, list):
        for i, s in enumerate(node):
            if isinstance(s, dict) and str(s.get("title", "")).strip() == models.RISK_TITLE:
                return (i,), message, False
    return (), message, False


def schema_errors(source: Source, exc: ValidationError,
                  model: type[BaseModel] | None = None) -> list[Diagnostic]:
    """pydantic errors as file:line:col diagnostics, in words an analyst reads."""
    out: list[Diagnostic] = []
    seen_types: dict[tuple, int] = {}  # a union's members fail at one place: report it once
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        etype = err["type"]
        msg = err["msg"]
        value = err.get("input")
        key_pos = False
        if etype in ("value_error", "assertion_error"):
            msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
            m = _SUBPATH.match(msg)
            if m:  # "rows[3] has 2 cells" -> point at that row
                for part in m.group(1).rstrip(".").split("."):
                    name, _, idx = part.partition("[")
                    loc += (name, int(idx.rstrip("]")))
                msg = msg[m.end():]
        path, parts = yaml_path(source.data, loc)
        if source.is_poisoned(path):
            continue  # the reader already reported this place
        where = ".".join(parts) or "(file)"
        if etype == "extra_forbidden":
            key = path[-1] if path else loc[-1]
            line, col = source.key_where(path)
            known = sorted(model_at(model, source.data, path[:-1]).model_fields) if model and \
                model_at(model, source.data, path[:-1]) else []
            # suggest only fields valid at this place: 'autor' is not 'author' of a quote
            hint = close_matches(str(key), known, n=1, cutoff=0.6)
            text = f"{where}: unknown field '{shown(key)}'"
            if hint:
                text += f"; did you mean '{hint[0]}'?"
            elif known and key in VOCABULARY:
                text = f"{where}: '{key}' does not belong here; expected one of: {', '.join(known)}"
            elif known:
                text += f"; expected one of: {', '.join(known)}"
            else:
                text += "; remove it or check the spelling"
            out.append(Diagnostic(source.file, line, col, text))
            continue
        if etype in _EXPECTED:
            key = path  # members of a union (text | number) fail at the same place
            if key in seen_types:  # str | int | float: merge into one message
                d = out[seen_types[key]]
                exp = _EXPECTED[etype]
                if exp not in d.message:
                    head, _, rest = d.message.partition("; got ")
                    head = f"{head} or {exp}".replace("a whole number or a number", "a number")
                    out[seen_types[key]] = Diagnostic(d.file, d.line, d.col, f"{head}; got {rest}")
                continue
            expected = [_EXPECTED[etype]]
            text = f"{where}: expected {expected[0]}; got {describe(value)}"
            reason = (err.get("ctx") or {}).get("error")
            if etype.startswith("date") and isinstance(reason, str) and "outside expected range" in reason:
                text += f" ({reason})"
            text += _type_hint(expected, value)
            key_pos = value is None
            seen_types[key] = len(out)
        elif etype == "missing":
            text = f"{where}: field required"
        elif etype == "string_pattern_mismatch":
            pattern = (err.get("ctx") or {}).get("pattern", "")
            friendly = _FRIENDLY["string_pattern_mismatch"].get(pattern, f"expected text matching {pattern}")
            text = f"{where}: {friendly}; got {_show(value)}"
        elif etype == "string_too_short":
            text = f"{where}: is empty; expected text"
        elif etype == "string_too_long":
            limit = (err.get("ctx") or {}).get("max_length")
            size = len(value) if isinstance(value, str) else "?"
            text = f"{where}: is too long ({size} characters); at most {limit} are allowed"
            text += ("; split it into several paragraphs" if isinstance(limit, int) and limit >= 1000
                     else "; shorten it")
        elif etype in ("too_short", "too_long"):
            ctx = err.get("ctx") or {}
            n = ctx.get("actual_length", len(value) if isinstance(value, (list, dict)) else "?")
            if etype == "too_short":
                least = ctx.get("min_length")
                text = (f"{where}: is an empty list; expected at least {least} item{'s' if least != 1 else ''}"
                        if n == 0 else f"{where}: has {n} item{'s' if n != 1 else ''}; expected at least {least}")
            else:
                text = f"{where}: has {n} items; at most {ctx.get('max_length')} are allowed"
        elif etype == "block_kind":
            line, col, text = _block_message(source, path, where, value)
            out.append(Diagnostic(source.file, line, col, text))
            continue
        elif etype == "union_tag_invalid":
            tag = (err.get("ctx") or {}).get("tag", value.get("kind") if isinstance(value, dict) else value)
            hint = close_matches(str(tag), FIGURE_KINDS, n=1)
            text = (f"{where}.kind: unknown figure kind {_show(tag)}; "
                    + (f"did you mean '{hint[0]}'?" if hint else f"expected one of {', '.join(FIGURE_KINDS)}"))
            path += ("kind",)
        elif etype == "union_tag_not_found":
            guess = next((KIND_HINTS[k] for k in (value or {}) if k in KIND_HINTS), None) \
                if isinstance(value, dict) else None
            text = (f"{where}: 'kind' is required; expected one of {', '.join(FIGURE_KINDS)}"
                    + (f" (this looks like 'kind: {guess}')" if guess else ""))
        elif etype in ("value_error", "assertion_error"):
            extra, msg, key_pos = _refine(msg, node_at(source.data, path))
            if extra:
                path += extra
                where = dotted(path)
            text = f"{where}: {msg}"
        elif etype in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
            text = f"{where}: expected a number {msg.removeprefix('Input should be ')}; got {describe(value)}"
        elif msg.startswith("Input should be "):
            text = f"{where}: expected {msg.removeprefix('Input should be ')}; got {describe(value)}"
        else:
            text = f"{where}: {msg[0].lower() + msg[1:] if msg else etype}"
            if "input" in err and not isinstance(value, (dict, list)):
                text += f"; got {_show(value)}"
        line, col = source.key_where(path) if key_pos else source.where(path)
        out.append(Diagnostic(source.file, line, col, text))
    return out


def _block_message(source: Source, path: tuple, where: str, value: Any) -> tuple[int, int, str]:
    kinds = ", ".join(models.BLOCK_KINDS)
    line, col = source.where(path)
    if isinstance(value, str):
        return line, col, (f"{where}: is plain text; a body block names its kind, e.g. "
                           f"'- paragraph: {_clip(value.strip(), 12) or '...'}'")
    if not isinstance(value, dict):
        return line, col, f"{where}: expected a block (a mapping with one of the keys {kinds}); got {describe(value)}"
    if not value:
        return line, col, f"{where}: is empty; expected one of the keys {kinds}"
    known = [k for k in value if k in models.BLOCK_KINDS]
    if len(known) > 1 or (known and len(value) > 1):
        second = [k for k in value][1]
        line, col = source.key_where(path + (second,))
        names = " and ".join(f"'{k}'" for k in value)
        return line, col, (f"{where}: one block has the keys {names}; a block has exactly one "
                           "kind: start each block with its own '- '")
    unknown = next(k for k in value if k not in models.BLOCK_KINDS)
    line, col = source.key_where(path + (unknown,))
    hint = close_matches(str(unknown), models.BLOCK_KINDS, n=1, cutoff=0.6)
    return line, col, (f"{where}: unknown block kind '{unknown}'; "
                       + (f"did you mean '{hint[0]}'?" if hint else f"expected one of {kinds}"))


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[:n] + "…"


def close_matches(word: str, options, n: int = 1, cutoff: float = 0.6) -> list[str]:
    """difflib's near matches ("did you mean"), imported only when a mistake needs one."""
    import difflib

    return difflib.get_close_matches(word, options, n=n, cutoff=cutoff)
