"""`authoring new week` and `authoring new entry`: files to start from, never overwriting."""
