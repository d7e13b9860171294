"""Layout: the report model drawn with reportlab (the only package that imports reportlab)."""

from ..lazyre import REPORTLAB, deferred

with deferred(REPORTLAB):  # patterns reportlab compiles at import and the layout never uses
    import reportlab.platypus  # noqa: F401

from reportlab import rl_config  # noqa: E402

# Write PDF streams as binary: reportlab's pure-Python ASCII85 pass costs about 0.1 s a
# build and makes the file 6 % larger, for a 7-bit safety no reader needs.
rl_config.useA85 = 0
