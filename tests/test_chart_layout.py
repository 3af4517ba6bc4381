"""Every chart of the province story, drawn by its notebooks' own cells on real data (Shanxi 2020, English and
Chinese), lies inside its figure and is laid out for good: the page draws each chart at the page's width, so a
picture wider than the figure draws all of its text below the theme's smallest size on a phone, and a layout that
moves on every pass (a legend wider than the room beside the axes) gives a picture that depends on how many
passes ran."""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _inspect(fig) -> dict:
    """What the page shows of ``fig`` (show() takes the titles and the source line off the picture): the tight
    box's horizontal extent and the figure's width, in points, and how far a second layout pass moves an axes."""
    from shanxi_analysis.present import theme

    theme.page_picture(fig)
    fig.draw_without_rendering()  # the layout a page's SVG gets, as savefig lays it out
    first = [ax.get_position().bounds for ax in fig.axes]
    renderer = fig.canvas.get_renderer()
    tight = fig.get_tightbbox(renderer)
    fig.draw_without_rendering()
    second = [ax.get_position().bounds for ax in fig.axes]
    w, h = fig.get_figwidth() * 72, fig.get_figheight() * 72
    moved = max(
        abs(a - b) * s for p, q in zip(first, second, strict=True) for a, b, s in zip(p, q, (w, h, w, h), strict=True)
    )
    legend = next((ax.get_legend() for ax in fig.axes if ax.get_legend() is not None), None)
    return {
        "x0": tight.x0 * 72,
        "x1": tight.x1 * 72,
        "width": w,
        "moved": moved,
        "legend": None if legend is None else [t.get_text() for t in legend.get_texts()],
    }


@pytest.fixture(scope="module")
def story_charts():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import profile_charts
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from shanxi_analysis import present
    from shanxi_analysis.present import theme

    seen: list[tuple[str, int, dict]] = []
    shown = theme.show

    def inspect_then_show(fig, **kw):
        seen.append((lang, len(seen), _inspect(fig)))
        plt.close(fig)

    present.show = inspect_then_show
    try:
        for lang in ("en", "zh"):
            profile_charts.run_sets([("Shanxi", 2020, lang)], quiet=True)
    finally:
        present.show = shown
    return seen


def test_every_story_chart_is_drawn_inside_its_figure(story_charts):
    assert len(story_charts) >= 16  # ten charts a language, the pandemic's monthly chart in 2020 among them
    wider = [
        (lang, n, round(c["x0"], 1), round(c["x1"], 1), c["legend"])
        for lang, n, c in story_charts
        if c["x0"] < -0.01 or c["x1"] > c["width"] + 0.01
    ]
    assert not wider, f"charts whose picture is wider than the figure ({story_charts[0][2]['width']} pt): {wider}"


def test_every_story_chart_has_a_layout_that_a_second_pass_leaves_in_place(story_charts):
    # a legend sticking out beside the axes made every pass narrow them by about 23 pt; value labels beyond the
    # bars still move them by about 0.1 pt a pass
    moving = [(lang, n, round(c["moved"], 2), c["legend"]) for lang, n, c in story_charts if c["moved"] > 0.25]
    assert not moving, f"charts whose axes move on a second layout pass (points): {moving}"
