"""Flowables a watch keeps between builds, which wrap and draw again from what they recorded.

A table built in an earlier build of a watch (authoring.memo.LayoutMemo) is the same
object in the next one, with the same cells.  `Recorded` makes such a flowable cheap:

- wrapping it with the width and height of its last wrap returns what that wrap returned
  (its state is still what that wrap left: nothing else changes it);
- drawing it after such a wrap writes the operators its last drawing wrote (they are in
  the flowable's own coordinates), with that drawing's effects on the document, in the
  same order: the fonts it named (`record_fonts`, then those of the texts it drew) and
  the glyphs it recorded for the subsets (authoring.layout.glyphs.Drawn).

Only a flowable marked `recordable` (all its text drawn through `Drawn`: no links, no
bullets, no images) is recorded; drawing anything else while recording spoils the record.
"""

from __future__ import annotations

from . import glyphs, rlcompat


class Recorded:
    """Mixin for a reportlab flowable (before the flowable's class in the bases)."""

    recordable = False
    record_fonts: tuple[str, ...] = ()  # fonts its own drawing sets before its contents
    _wrapped = None   # ((width, height) asked, what wrap returned)
    _record = None    # (the wrap it was drawn after, the texts drawn, the operators)

    def wrap(self, aw, ah):
        if self._wrapped is not None and self._wrapped[0] == (aw, ah):
            return self._wrapped[1]
        got = super().wrap(aw, ah)
        self._wrapped = ((aw, ah), got)
        return got

    def draw(self):
        canv = self.canv
        rec = self._record
        if rec is not None and rec[0] == self._wrapped:
            glyphs.name_fonts(canv, self.record_fonts)
            for drawn in rec[1]:
                drawn.effects(canv)
            rlcompat.add_code(canv, rec[2])
            return
        if not self.recordable:
            super().draw()
            return
        mark = rlcompat.code_mark(canv)
        with glyphs.recording(canv) as texts:
            super().draw()
        if None not in texts:  # None: something was drawn some other way
            self._record = (self._wrapped, tuple(texts), rlcompat.code_since(canv, mark))
