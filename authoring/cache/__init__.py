"""The build's caches: where they live (folder.py), what their keys are made of (keys.py),
the one store every cache writes through (store.py), the files a week is made from
(inputs.py) and the assembled report of an unchanged week (snapshot.py).

A cache saves time and never checks: every key holds all of a result's inputs, and a
missing, damaged or foreign entry is a miss.  Nothing is imported here, so that reading a
key costs none of the imports a hit saves.
"""
