"""authoring: YAML news entries in, the institute's branded weekly report PDF out.

Pipeline (one module per stage, plain typed objects between them):
    yamlsource  -> read YAML safely, keep line/column of every value
    models      -> pydantic schema of entries, weeks, people, catalogue
    validate    -> map schema errors to file:line:col, cross-file checks
    assemble    -> the report model: order, numbering, cross-references
    layout/     -> reportlab flowables and page templates (the only reportlab user)
    build       -> the whole build in one function, atomic write
"""

__version__ = "0.1.0"
