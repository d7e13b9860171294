"""The report's fonts: find the faces, shape text with HarfBuzz, subset and embed them.

The theme (styles/theme.yaml, section ``fonts``) gives each role (serif, serif-bold, sans,
sans-bold) a list of faces, each found by families and weight (fontconfig) or named by
``file``/``index``.  The first face must be installed; the others are the fallback chain
(a character the first lacks comes from the next that has it) and are skipped when not
installed.

- finding faces: `authoring.fonts.find` (fontconfig, cached answers);
- a face and the shaping of one run: `authoring.fonts.face` (``hb.shape``);
- the fallback chain and its shaped texts: `authoring.fonts.shaping`, `authoring.fonts.shaped`;
- subsetting: `authoring.fonts.subset` (``hb.subset``, cached programs);
- embedding in the PDF: `authoring.fonts.embed` (Type0 / CID fonts; reportlab);
- the shaping of a week kept between builds: `authoring.fonts.memo`.

Charts read the source font file of the sans role's first face.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Iterable

from ..cache.folder import cache_dir  # re-exported: build and tools call fonts.cache_dir()
from .errors import FontsMissing

__all__ = ["FontsMissing", "cache_dir", "prepare_fonts", "missing_chars", "chain_entries"]


_FACES: dict[tuple, object] = {}
_CHAINS: dict[tuple, object] = {}


def load_face(path: Path, index: int):
    """The HarfBuzz face of a file (kept for the process while the file is unchanged)."""
    from .face import Face

    st = path.stat()
    key = (str(path), index, st.st_size, st.st_mtime_ns)
    face = _FACES.get(key)
    if face is None:
        face = _FACES[key] = Face(path, index)
    return face


def chain_entries(entry) -> list[dict]:
    """A role's entries: a list of faces, or one face given as a mapping."""
    if isinstance(entry, dict):
        return [entry]
    if isinstance(entry, (list, tuple)):
        return [e._asdict() if hasattr(e, "_asdict") else e for e in entry]
    if hasattr(entry, "_asdict"):
        return [entry._asdict()]
    raise FontsMissing("a font role must be a list of faces (families and weight, or file)")


def prepare_fonts(spec: dict, cache: Path | None, *, base_dir: Path | None = None) -> dict:
    """role -> `Chain` of its faces, for every role of `spec` (theme.yaml's ``fonts``).

    `base_dir` resolves a relative ``file`` (the theme's directory); `cache` keeps
    fontconfig's answers.  Raises FontsMissing with a message for the user.
    """
    from .find import locate
    from .shaping import Chain

    store = Path(cache) / "fonts" if cache is not None else None
    if store is not None:
        store.mkdir(parents=True, exist_ok=True)
    chains = {}
    for role, entry in spec.items():
        faces = []
        for k, item in enumerate(chain_entries(entry)):
            label = role if k == 0 else f"{role}[{k}]"
            try:
                if k == 0:
                    path, index = locate(label, item, base_dir, store)
                else:  # a fallback: the nearest weight will do, silently
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        path, index = locate(label, item, base_dir, store)
            except FontsMissing:
                if k == 0:
                    raise
                continue  # a fallback face that is not installed
            face = load_face(path, index)
            if face not in faces:
                faces.append(face)
        key = (role, tuple(faces))
        chain = _CHAINS.get(key)
        if chain is None:  # kept for the process: its shaping memo serves the next build
            chain = _CHAINS[key] = Chain(role, tuple(faces))
        chain.memo_reset()
        chains[role] = chain
    return chains


def missing_chars(chain, chars: Iterable[str]) -> set[str]:
    """The characters of `chars` that no face of the chain has (undrawn ones ignored)."""
    return chain.missing(chars)
