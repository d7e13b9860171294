"""authoring: YAML news entries in, the institute's branded weekly report PDF out.

Pipeline (one package per stage, plain typed objects between them; docs/architecture.md):
    source/     -> read YAML safely, keep line/column of every value
    model/      -> pydantic classes of entries and styles, the plain records generated from
                   them, the assembled report
    validate/   -> map schema errors to file:line:col, cross-file checks, lint
    assemble/   -> the report model: order, numbering, cross-references, boilerplate
    fonts/, typeset/, layout/ -> shaping, line breaking, reportlab (the only reportlab user)
    build       -> the whole build in one function, atomic write
    cli/        -> the command line
"""

__version__ = "0.1.0"
