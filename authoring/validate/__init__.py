"""Validation: every file checked against its model, then the week as a whole (references,
images, keys), every problem reported at its file:line:col, all at once."""
