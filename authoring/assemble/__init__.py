"""Assembling the report: order, numbering, cross-references and boilerplate, from
validated sources into the plain records of `authoring.model.report`."""
