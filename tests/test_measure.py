"""Unit tests of shanxi_analysis.present.measure: a text's layout served from the cache is the layout matplotlib
computes itself, for every property the layout depends on, and a chart drawn with the cache is the same SVG, byte
for byte, as without it."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.font_manager  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_svg import RendererSVG  # noqa: E402

from shanxi_analysis import present  # noqa: E402
from shanxi_analysis.present import measure  # LAYOUT_CACHE_SIZE, patched to test the bound


@pytest.fixture(autouse=True)
def _fresh_cache():
    with matplotlib.rc_context():
        present.set_theme()  # the reports' fonts: Latin, then Chinese
        present.uncache_text_layouts()
        present.cache_text_layouts()
        yield
        plt.close("all")
    present.uncache_text_layouts()
    present.cache_text_layouts()  # as the rest of the suite has it after set_theme()


def _agg(fig):
    return fig.canvas.get_renderer()


def _svg(fig):
    return RendererSVG(fig.get_figwidth() * 72, fig.get_figheight() * 72, io.StringIO())


def _extent(text, renderer):
    return tuple(round(v, 9) for v in text.get_window_extent(renderer).bounds)


def _uncached_extent(text, renderer):
    present.uncache_text_layouts()
    try:
        return _extent(text, renderer)
    finally:
        present.cache_text_layouts()


#: Each change of a property the layout depends on: (what, change of the text, renderer kind); the text starts
#: as "Shanxi, 10.6%\nfixed assets" at 11 pt, rotated by 40 degrees for the change of rotation mode.
CHANGES = [
    ("the string", lambda t: t.set_text("Inner Mongolia 内蒙古"), _agg),
    ("the string's second line", lambda t: t.set_text("Shanxi, 10.6%\nfixed assets, every sector"), _agg),
    ("font size", lambda t: t.set_fontsize(17), _agg),
    ("font weight", lambda t: t.set_fontweight("bold"), _agg),
    ("font family", lambda t: t.set_family("DejaVu Serif"), _agg),
    ("rotation", lambda t: t.set_rotation(40), _agg),
    ("rotation mode", lambda t: t.set_rotation_mode("anchor"), _agg),
    ("horizontal alignment", lambda t: t.set_horizontalalignment("right"), _agg),
    ("vertical alignment", lambda t: t.set_verticalalignment("top"), _agg),
    ("line spacing", lambda t: t.set_linespacing(2.0), _agg),
    ("multi-line alignment", lambda t: t.set_multialignment("right"), _agg),
    ("figure dpi", lambda t: t.get_figure(root=True).set_dpi(72), _agg),
    ("figure dpi, SVG renderer", lambda t: t.get_figure(root=True).set_dpi(72), _svg),
    ("renderer kind", lambda t: None, _svg),
]
#: How a case's text starts, where not as above: Agg at 72 dpi, the dpi of an SVG, so that only the renderer's kind
#: tells the two apart; lines aligned left, so that the box's alignment is not also the lines'.
START = {"renderer kind": {"dpi": 72}, "rotation mode": {"rotation": 40}, "horizontal alignment": {"ma": "left"}}


@pytest.mark.parametrize("what,change,renderer_of", CHANGES, ids=[c[0] for c in CHANGES])
def test_a_cached_layout_is_matplotlibs_after_each_change_it_depends_on(what, change, renderer_of):
    start = dict(START.get(what, {}))
    fig = plt.figure(figsize=(4, 3), dpi=start.pop("dpi", 100))
    text = fig.text(0.5, 0.5, "Shanxi, 10.6%\nfixed assets", fontsize=11, **start)
    first = _svg if what.endswith("SVG renderer") else _agg
    before = _extent(text, first(fig))  # cached under the text's first properties
    change(text)
    renderer = renderer_of(fig)
    after = _extent(text, renderer)
    assert after == _uncached_extent(text, renderer), what
    if what != "multi-line alignment":  # the box keeps its size; the lines move inside it (checked below)
        assert after != before, f"changing the {what} should change the layout: the test would show nothing"


def test_the_lines_of_a_text_move_with_its_multi_line_alignment():
    fig = plt.figure(figsize=(4, 3), dpi=100)
    text = fig.text(0.5, 0.5, "Shanxi, 10.6%\nfixed assets", fontsize=11)
    renderer = _agg(fig)
    text.get_window_extent(renderer)
    text.set_multialignment("right")
    text.draw(renderer)  # the draw reads each line's position from the layout
    cached = text._get_layout(renderer)[1]
    present.uncache_text_layouts()
    assert cached == text._get_layout(renderer)[1]


def test_properties_that_do_not_change_this_font_s_widths_are_still_part_of_the_key():
    """DejaVu Sans Oblique has the upright font's advances, there is no small-caps or condensed DejaVu Sans, a font
    file named outright is the one the family gives, and the theme's hinting gives the same box: a font or settings
    where they differ must not be served the other's layout."""
    fig = plt.figure(figsize=(4, 3), dpi=100)
    text = fig.text(0.5, 0.5, "Shanxi 10.6%", fontsize=11)
    renderer = _agg(fig)
    key = present.layout_key(text, renderer)
    for prop, changed, back in [
        ("style", "italic", "normal"),
        ("variant", "small-caps", "normal"),
        ("stretch", "condensed", "normal"),
        ("file", matplotlib.font_manager.findfont("DejaVu Sans"), None),
    ]:
        getattr(text.get_fontproperties(), f"set_{prop}")(changed)
        assert present.layout_key(text, renderer) != key, prop
        getattr(text.get_fontproperties(), f"set_{prop}")(back)
        assert present.layout_key(text, renderer) == key, prop
    with matplotlib.rc_context({"text.hinting": "no_hinting"}):
        assert present.layout_key(text, renderer) != key
        assert _extent(text, renderer) == _uncached_extent(text, renderer)


def test_a_text_measured_again_on_a_new_renderer_is_served_from_the_cache():
    fig = plt.figure(figsize=(4, 3), dpi=100)
    fig.text(0.5, 0.5, "Shanxi 10.6%")
    fig.savefig(io.BytesIO(), format="svg")
    first = present.text_layout_cache()
    fig.savefig(io.BytesIO(), format="svg")  # new renderers, same texts
    second = present.text_layout_cache()
    assert second.misses == first.misses
    assert second.hits > first.hits


@pytest.mark.parametrize(
    "make",
    [
        lambda fig: fig.text(0.1, 0.1, "a long label that wraps " * 4, wrap=True),
        lambda fig: fig.text(0.1, 0.1, r"$\alpha^2$", parse_math=True),
    ],
    ids=["wrapped", "mathtext"],
)
def test_texts_laid_out_another_way_are_left_to_matplotlib(make):
    fig = plt.figure(figsize=(4, 3), dpi=100)
    text = make(fig)
    assert present.layout_key(text, _agg(fig)) is None
    text.get_window_extent(_agg(fig))
    assert present.text_layout_cache().size == 0


def test_the_cache_is_emptied_when_full(monkeypatch):
    monkeypatch.setattr(measure, "LAYOUT_CACHE_SIZE", 3)
    fig = plt.figure(figsize=(4, 3), dpi=100)
    renderer = _agg(fig)
    for k in range(10):
        fig.text(0.5, 0.5, f"label {k}").get_window_extent(renderer)
        assert present.text_layout_cache().size <= 3


def _chart_svg() -> bytes:
    fig, ax = present.figure(size=(4.8, 3.6))
    ax.bar(["Shanxi", "Shaanxi", "Inner Mongolia", "Hebei"], [10.6, 4.1, -1.2, 3.2], label="2020 增速")
    ax.plot([0, 3], [3.0, 3.0], color=present.NATIONAL, label="National 全国")
    ax.tick_params(axis="x", labelrotation=30)
    present.set_title(ax, "Fixed-asset investment growth, 2020 (%)")
    present.set_legend(ax)
    present.add_source(ax, note="Source line of the chart")
    out = io.BytesIO()
    present.save(fig, out, format="svg")
    plt.close(fig)
    return out.getvalue()


def test_a_chart_is_the_same_svg_with_and_without_the_cache():
    present.uncache_text_layouts()
    without = _chart_svg()
    assert present.text_layout_cache() == (0, 0, 0)
    present.cache_text_layouts()
    first = _chart_svg()  # fills the cache (and uses it for the texts measured twice)
    cached = _chart_svg()  # every text served from the cache
    info = present.text_layout_cache()
    assert info.hits > info.misses
    assert first == without
    assert cached == without
