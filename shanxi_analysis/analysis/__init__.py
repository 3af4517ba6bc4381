"""Stage 2, analysis: pure functions on the tidy tables of :mod:`shanxi_analysis.data`.

``indicators`` (ranks, national growth, monthly paths, breakdowns, scale, evidence) and ``story`` (the
computations behind the notebooks' narrative: cycles, peers, the economy around investment). Functions take
frames and return frames or small named tuples; they read no files and format no text.

May import: ``data`` and the top-level modules. Nothing from ``claims``, ``present`` or ``publish``
(``tests/test_layout.py`` checks this).

``shanxi_analysis.analysis.<name>`` keeps working for every public name of ``indicators``.
"""

from __future__ import annotations

from typing import Any

from . import indicators


def __getattr__(name: str) -> Any:
    """``analysis.<name>`` -> ``analysis.indicators.<name>`` (the names this module had before the split)."""
    try:
        return getattr(indicators, name)
    except AttributeError:
        raise AttributeError(f"module 'shanxi_analysis.analysis' has no attribute {name!r}") from None
