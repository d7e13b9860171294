"""Layout: the report model drawn with reportlab (the only package that imports reportlab)."""

from ..lazyre import REPORTLAB, deferred

with deferred(REPORTLAB):  # patterns reportlab compiles at import and the layout never uses
    import reportlab.platypus  # noqa: F401
