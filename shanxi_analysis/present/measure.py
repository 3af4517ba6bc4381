"""Text measured once per process: the layout of a chart's text (its lines' widths, ascents and descents, rotated
and aligned) computed once for each string, font, alignment and kind of renderer, and reused by every later
layout pass, tight box and draw.

Why: matplotlib lays out a text (``Text._get_layout``) every time something asks for its extent: constrained
layout, the legend and label placement (:func:`~shanxi_analysis.present.theme.lay_out`), savefig's tight box and
the draw of the page's SVG.  One report set asks about 4,000 times, and 95% of the asks are for a string, font
and renderer kind already measured (the same tick labels, province names and numbers, on every chart of every
set a warm kernel draws).  matplotlib's own cache of text metrics is kept per renderer *instance*, and every
savefig makes new renderers; even where it hits, ``_get_layout`` looks the fonts up and reads their tables again
on each call.  Measured in `bench/README.md` ("Issue 24, sixth step"): the CPU time of a set's chart calls fell
by 30% (the whole grid from 40.6 to 27.1 minutes), with every SVG byte-identical.

What the layout depends on, and so the key: the renderer's kind (its class, the class of the renderer it wraps
and its dpi: Agg measures hinted pixels at the figure's dpi, the SVG renderer unhinted outlines at 72 dpi), the
figure's dpi, the string, every font property, the rotation and rotation mode, the alignments, the line spacing,
and the rcParams the measurement reads (hinting, kerning, the generic font families).  A text laid out another
way is not cached: wrapped text (it depends on where the text is), LaTeX, mathtext, and a rotation that follows
its transform.  The layout is relative to the text's anchor, so a text moved or redrawn elsewhere reuses it.

:func:`cache_text_layouts` is called by :func:`~shanxi_analysis.present.theme.set_theme`;
:func:`uncache_text_layouts` restores matplotlib's own method (the tests compare the two), and
:func:`text_layout_cache` counts hits and misses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import matplotlib as mpl
from matplotlib.text import Text

#: The most layouts kept; the cache is emptied when it is full.  An entry takes about 1 KB; eight report sets keep
#: about 1,500 (one per distinct string, font and renderer kind), and each further set about 75: 23 MB at most.
LAYOUT_CACHE_SIZE = 20_000
#: The rcParams a text's measurement reads beyond its font properties.
LAYOUT_RC: tuple[Any, ...] = (  # typed Any: matplotlib's stubs index rcParams by literal keys only
    "text.hinting",
    "text.hinting_factor",
    "text.kerning_factor",
    "font.serif",
    "font.sans-serif",
    "font.cursive",
    "font.fantasy",
    "font.monospace",
)

_cache: dict[tuple, tuple] = {}
_parts: dict[tuple, tuple] = {}  # the shared parts of the keys (_shared)
_counts = {"hits": 0, "misses": 0}
_original: Callable[[Text, Any], tuple] | None = None


class LayoutCacheInfo(NamedTuple):
    hits: int
    misses: int
    size: int


def _shared(value: tuple) -> tuple:
    """One tuple for equal tuples (the rcParams and the font families are the same for nearly every key)."""
    return _parts.setdefault(value, value)


def _rc_key() -> tuple:
    return _shared(tuple(tuple(v) if isinstance(v, list) else v for v in (mpl.rcParams[k] for k in LAYOUT_RC)))


def layout_key(text: Text, renderer: Any) -> tuple | None:
    """What ``text``'s layout on ``renderer`` depends on, as a hashable key; None for a text laid out in a way the
    cache leaves to matplotlib (wrapped, LaTeX, mathtext, rotated with its transform, on no figure)."""
    fig = text.get_figure(root=True)
    if fig is None or text.get_usetex() or text.get_wrap() or text.get_transform_rotates_text():
        return None
    s = text.get_text()
    if text.get_parse_math() and "$" in s:
        return None
    fp = text.get_fontproperties()
    return (
        type(renderer),
        type(getattr(renderer, "_renderer", None)),
        getattr(renderer, "dpi", None),
        fig.dpi,
        s,
        _shared(tuple(fp.get_family())),
        fp.get_style(),
        fp.get_variant(),
        fp.get_weight(),
        fp.get_stretch(),
        fp.get_size_in_points(),
        fp.get_file(),
        text.get_rotation(),
        text.get_rotation_mode(),
        text.get_horizontalalignment(),
        text.get_verticalalignment(),
        text._get_multialignment(),  # type: ignore[attr-defined]  # what _get_layout reads (None: the alignment)
        text.get_linespacing(),
        _rc_key(),
    )


def _cached_layout(self: Text, renderer: Any) -> tuple:
    assert _original is not None
    key = layout_key(self, renderer)
    if key is None:
        return _original(self, renderer)
    hit = _cache.get(key)
    if hit is None:
        _counts["misses"] += 1
        bbox, info, descent = _original(self, renderer)
        if len(_cache) >= LAYOUT_CACHE_SIZE:
            _cache.clear()
            _parts.clear()
        _cache[key] = (bbox.frozen(), tuple(info), descent)
        return bbox, info, descent
    _counts["hits"] += 1
    bbox, info, descent = hit
    return bbox.frozen(), list(info), descent  # copies: a caller may change the box or the list


def cache_text_layouts() -> None:
    """Measure every text once per process (see the module's docstring); calling it again changes nothing."""
    global _original
    if _original is None:
        _original = Text._get_layout  # type: ignore[attr-defined]
        Text._get_layout = _cached_layout  # type: ignore[attr-defined]


def uncache_text_layouts() -> None:
    """matplotlib's own text layout again, and the cache emptied."""
    global _original
    if _original is not None:
        Text._get_layout = _original  # type: ignore[attr-defined]
        _original = None
    _cache.clear()
    _parts.clear()
    _counts.update(hits=0, misses=0)


def text_layout_cache() -> LayoutCacheInfo:
    """Layouts served from the cache, computed, and kept since :func:`cache_text_layouts` (or the last
    :func:`uncache_text_layouts`)."""
    return LayoutCacheInfo(_counts["hits"], _counts["misses"], len(_cache))
