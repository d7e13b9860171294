"""Reading the analysts' YAML: text bounded in size and depth, every value with the line
and column it was written at (`load.Source`), so that each later stage can say where."""
