"""The model of a report: the pydantic classes analysts write against (entries, styles),
the plain records generated from them (records), and the assembled report (report).

Nothing is imported here: the layout imports `records` and `report`, which load without
pydantic, so that a build whose report comes from the snapshot never imports it."""
