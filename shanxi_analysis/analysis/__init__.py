"""Stage 2, analysis: pure functions on the tidy tables of :mod:`shanxi_analysis.data`.

``indicators`` (a province's growth and rank), ``national`` (China's growth, monthly paths), ``structure``
(breakdowns, scale, evidence for a claim), ``periods`` (year-to-date period names, year spans), ``story`` (the
computations behind the notebooks' narrative: cycles, the year, the pandemic, peers) and ``economy`` (investment
against the economy: shares, real growth, what the data cannot say about it). Functions take
frames and return frames or small named tuples; they read no files and format no text.

May import: ``data`` and the top-level modules. Nothing from ``claims``, ``present`` or ``publish``
(``tests/test_layout.py`` checks this).

``shanxi_analysis.analysis.<name>`` reaches every name of ``indicators``, ``national`` and ``structure`` (the names
the flat ``analysis`` module had).
"""

from __future__ import annotations

from typing import Any

from ..lazy import submodules
from . import indicators, national, structure


def _name(name: str) -> Any:
    """``analysis.<name>`` -> the name in ``indicators``, ``national`` or ``structure``."""
    for module in (indicators, national, structure):
        if hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(f"module 'shanxi_analysis.analysis' has no attribute {name!r}")


# analysis.<module> (story, economy, periods, ...) imports the module on first use; any other name is looked up in
# indicators, national and structure
__getattr__ = submodules(__name__, _name)
