"""Stage 1, data: raw files -> validated, sourced, tidy tables.

``sources`` (the manifest and the raw-file reader), ``schemas`` (pandera models), ``cache`` (the Parquet cache
of built tables), ``provinces`` (names, aliases, codes), ``datasets`` (one function per published table) and
``shapes`` (the province outlines, parsed once).

May import: the top-level ``config`` and ``errors`` modules and each other. Nothing from ``analysis``,
``claims``, ``present`` or ``publish`` (``tests/test_layout.py`` checks this).
"""
