"""Stage 1, data: raw files -> validated, sourced, tidy tables.

``sources`` (the manifest and the raw-file reader), ``rawcsv`` (one raw CSV parsed
against its manifest entry), ``schemas`` (validation and its messages), ``models`` (the
pandera models, imported with pandera only when a table is validated), ``cache`` (the Parquet cache of built
tables), ``provinces`` (names, aliases, codes), ``loaders`` (the registry of dataset functions), ``datasets`` (one
function per published table), ``panels`` (yearbook and Wind panels) and ``shapes`` (the province outlines,
parsed once).

May import: the top-level ``config`` and ``errors`` modules and each other. Nothing from ``analysis``,
``claims``, ``present`` or ``publish`` (``tests/test_layout.py`` checks this).
"""

from ..lazy import submodules

__getattr__ = submodules(__name__)  # sa.data.<module> imports the module on first use
