"""Layout: the report model drawn with reportlab (the only package that imports reportlab)."""
