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

A text written in several languages (:class:`~shanxi_analysis.messages.Words`) is measured in each, and its box is
the union of theirs (:func:`layout_in_every_language`): a chart laid out once has room for the words of every
language and is drawn in each without being laid out again (:mod:`~shanxi_analysis.present.wording`).

:func:`cache_text_layouts` is called by :func:`~shanxi_analysis.present.theme.set_theme`;
:func:`uncache_text_layouts` returns to matplotlib's own measurement of each text (the tests compare the two; a text
in several languages is still measured in each), and :func:`text_layout_cache` counts hits and misses.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import matplotlib as mpl
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from ..messages import Words

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
_unions: dict[tuple, tuple] = {}  # the layouts of texts in several languages (their boxes' union)
_parts: dict[tuple, tuple] = {}  # the shared parts of the keys (_shared)
_counts = {"hits": 0, "misses": 0}
_matplotlib: Callable[[Text, Any], tuple] | None = None  # matplotlib's own Text._get_layout, once replaced
_caching = False


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


def _layout(self: Text, renderer: Any) -> tuple:
    """The text's layout (from the cache while it is on); for a text written in several languages
    (:class:`~shanxi_analysis.messages.Words`), its lines in its own language in a box that holds it in every
    language (:func:`layout_in_every_language`)."""
    one = _cached_layout if _caching else _matplotlib
    assert one is not None
    s = self._text  # type: ignore[attr-defined]
    if not isinstance(s, Words):
        return one(self, renderer)
    key = layout_key(self, renderer) if _caching else None
    if key is None:
        return layout_in_every_language(self, renderer, one)
    # the union of the languages' boxes, kept as each text's layout is: by the text's key and its other words
    whole = (key, tuple(_written(s, lang) for lang in _languages() if lang != s.lang))
    hit = _unions.get(whole)
    if hit is None:
        bbox, info, descent = layout_in_every_language(self, renderer, one)
        if len(_unions) >= LAYOUT_CACHE_SIZE:
            _unions.clear()
        hit = _unions[whole] = (bbox.frozen(), tuple(info), descent)
    bbox, info, descent = hit
    return bbox.frozen(), list(info), descent


def _written(words: Words, lang: str) -> str | None:
    try:
        return str(words.to(lang))
    except KeyError:  # a name with no rendering in that language (a made-up province)
        return None


def layout_in_every_language(text: Text, renderer: Any, layout: Callable[[Text, Any], tuple]) -> tuple:
    """``layout(text, renderer)`` with its box widened to the union of the boxes of the text's words in every
    language of the catalogs: whatever measures the text (constrained layout, a legend, the label placement, the
    tight box) leaves the same room in each language, so a chart laid out once serves them all
    (:mod:`~shanxi_analysis.present.wording`).  The lines drawn are the text's own."""
    s = text._text  # type: ignore[attr-defined]
    bbox, info, descent = layout(text, renderer)
    boxes = [bbox]
    try:
        for lang in _languages():
            if lang == s.lang:
                continue
            try:
                text._text = s.to(lang)  # type: ignore[attr-defined]
            except KeyError:  # a name with no rendering in that language (a made-up province): no room for it
                continue
            with warnings.catch_warnings():  # (a language the chart's fonts do not cover is measured as drawn)
                warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
                boxes.append(layout(text, renderer)[0])
    finally:
        text._text = s  # type: ignore[attr-defined]
    if len(boxes) > 1:  # (Bbox.union, in plain arithmetic: numpy's reductions cost more than the layout)
        bbox = Bbox.from_extents(
            min(b.xmin for b in boxes),
            min(b.ymin for b in boxes),
            max(b.xmax for b in boxes),
            max(b.ymax for b in boxes),
        )
    return bbox, info, descent


@functools.cache
def _languages() -> tuple[str, ...]:
    from ..messages import languages

    return tuple(languages())


def _cached_layout(self: Text, renderer: Any) -> tuple:
    assert _matplotlib is not None
    key = layout_key(self, renderer)
    if key is None:
        return _matplotlib(self, renderer)
    hit = _cache.get(key)
    if hit is None:
        _counts["misses"] += 1
        bbox, info, descent = _matplotlib(self, renderer)
        if len(_cache) >= LAYOUT_CACHE_SIZE:
            _cache.clear()
            _parts.clear()
        _cache[key] = (bbox.frozen(), tuple(info), descent)
        return bbox, info, descent
    _counts["hits"] += 1
    bbox, info, descent = hit
    return bbox.frozen(), list(info), descent  # copies: a caller may change the box or the list


def cache_text_layouts() -> None:
    """Measure every text once per process (see the module's docstring), and a text written in several languages
    in each (:func:`layout_in_every_language`); calling it again changes nothing."""
    global _matplotlib, _caching
    if _matplotlib is None:
        _matplotlib = Text._get_layout  # type: ignore[attr-defined]
        Text._get_layout = _layout  # type: ignore[attr-defined]
    _caching = True


def uncache_text_layouts() -> None:
    """matplotlib's own measurement of each text again (a text written in several languages still measured in
    each), and the cache emptied."""
    global _caching
    _caching = False
    _cache.clear()
    _unions.clear()
    _parts.clear()
    _counts.update(hits=0, misses=0)


def text_layout_cache() -> LayoutCacheInfo:
    """Layouts served from the cache, computed, and kept since :func:`cache_text_layouts` (or the last
    :func:`uncache_text_layouts`)."""
    return LayoutCacheInfo(_counts["hits"], _counts["misses"], len(_cache))
