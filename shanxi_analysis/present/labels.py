"""Text in charts never collides: point labels are placed by ``adjustText`` and then moved, if need be, to the
nearest free spot (:func:`place_labels`), with a thin leader line to their point."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.text  # noqa: F401  (mpl.text)
import matplotlib.transforms as mtransforms
import numpy as np
from matplotlib.axes import Axes

from .theme import figure_of, renderer_of

#: Iterations of ``adjustText``'s solver. adjustText stops after one second of wall-clock time unless told
#: otherwise, so where labels land would depend on how busy the machine is; a fixed number of iterations and no
#: time limit make placement the same everywhere. On the province scatter charts a one-second run managed
#: 270-640 iterations (2000-2023, on the project's 2-core machine) and often stopped with overlaps left, which
#: :func:`_repair` resolves either way; 500 keeps that quality at about a second per chart.
ADJUST_ITERATIONS = 500


def place_labels(ax: Axes, texts: Sequence[mpl.text.Text], x: np.ndarray, y: np.ndarray) -> None:
    """Move point labels so that none overlaps another, a point or the zero line (``adjustText``), with a thin
    leader line from a moved label to its point.

    Parameters
    ----------
    ax : Axes
    texts : list of Text
        Labels placed at their points.
    x, y : arrays
        The points (data coordinates), which labels keep clear of.
    """
    from adjustText import adjust_text

    if not texts:
        return
    lo, hi = ax.get_xlim()
    avoid_x, avoid_y = list(x), list(y)
    if any(line.get_gid() == "zero-line" for line in ax.lines):
        xs = np.geomspace(lo, hi, 120) if ax.get_xscale() == "log" else np.linspace(lo, hi, 120)
        avoid_x += list(xs)
        avoid_y += [0.0] * len(xs)
    # adjustText lays the figure out first (a draw without rendering) and works in display coordinates: no draw of
    # our own before it (a full draw here cost as much as the chart's SVG)
    adjust_text(
        list(texts),
        x=np.asarray(avoid_x),
        y=np.asarray(avoid_y),
        target_x=x,
        target_y=y,
        ax=ax,
        expand=(1.15, 1.4),
        force_text=(0.3, 0.5),
        force_static=(0.2, 0.4),
        ensure_inside_axes=True,
        min_arrow_len=1e9,
        time_lim=None,
        iter_lim=ADJUST_ITERATIONS,
    )  # leader lines are drawn by _repair, once labels are final
    _repair(
        ax,
        list(texts),
        np.asarray(x, float),
        np.asarray(y, float),
        zero=any(line.get_gid() == "zero-line" for line in ax.lines),
    )


def marker_boxes(ax: Axes) -> list[mtransforms.Bbox]:
    """Display-space boxes of every scatter marker on ``ax`` (from each collection's offsets and sizes)."""
    from matplotlib.collections import PathCollection

    out = []
    for coll in ax.collections:
        if not isinstance(coll, PathCollection):
            continue
        offsets = np.asarray(coll.get_offsets())
        if not len(offsets):
            continue
        sizes = np.asarray(coll.get_sizes())
        if not len(sizes):
            sizes = np.array([36.0])
        centres = coll.get_offset_transform().transform(offsets)
        for k, (cx, cy) in enumerate(centres):
            r = np.sqrt(sizes[k % len(sizes)]) / 2 * ax.figure.dpi / 72 + 1  # marker radius and its edge, px
            out.append(mtransforms.Bbox([[cx - r, cy - r], [cx + r, cy + r]]))
    return out


def _overlap(a: mtransforms.Bbox, b: mtransforms.Bbox) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0 and min(a.y1, b.y1) - max(a.y0, b.y0) > 0


def _repair(ax: Axes, texts: list[mpl.text.Text], x: np.ndarray, y: np.ndarray, zero: bool = False) -> None:
    """Finish what ``adjustText`` leaves, deterministically: a label that still overlaps another label, a marker
    or the zero line, or leaves the axes, moves to the nearest free spot around its own point (rings of growing
    radius, 16 directions); then every label set apart from its point gets a thin leader line."""
    renderer = renderer_of(figure_of(ax))
    obstacles = marker_boxes(ax)
    if zero:
        y0 = ax.transData.transform((1.0, 0.0))[1]
        obstacles.append(mtransforms.Bbox([[ax.bbox.x0, y0 - 1.5], [ax.bbox.x1, y0 + 1.5]]))
    frame = ax.bbox

    def free(box: mtransforms.Bbox, placed: list[mtransforms.Bbox]) -> bool:
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        return inside and not any(_overlap(box, o) for o in obstacles) and not any(_overlap(box, p) for p in placed)

    placed: list[mtransforms.Bbox] = []
    pending = []
    for k, t in enumerate(texts):
        box = t.get_window_extent(renderer)
        if free(box, placed):
            placed.append(box)
        else:
            pending.append(k)
    angles = np.deg2rad([0, 180, 90, 270, 30, 150, 210, 330, 60, 120, 240, 300, 15, 165, 195, 345])
    for k in pending:
        t = texts[k]
        box = t.get_window_extent(renderer)
        w, h = box.width, box.height
        cx, cy = ax.transData.transform((x[k], y[k]))
        spot = None
        for dist in np.arange(4.0, 260.0, 3.0):  # gap between the point and the label's edge, px
            for ang in angles:
                nx, ny = cx + (w / 2 + dist) * np.cos(ang), cy + (h / 2 + dist) * np.sin(ang)
                cand = mtransforms.Bbox.from_bounds(nx - w / 2, ny - h / 2, w, h)
                if free(cand, placed):
                    spot = (nx, ny, cand)
                    break
            if spot:
                break
        if spot is None:  # nowhere free within reach: leave it where adjustText put it
            placed.append(box)
            continue
        t.set_horizontalalignment("center")
        t.set_verticalalignment("center")
        lx, ly = ax.transData.inverted().transform((spot[0], spot[1]))
        t.set_position((float(lx), float(ly)))
        placed.append(spot[2])
    for t, px, py in zip(texts, x, y, strict=True):  # leader lines from a point to its label when they are apart
        box = t.get_window_extent(renderer)
        cx, cy = ax.transData.transform((px, py))
        ex, ey = min(max(cx, box.x0), box.x1), min(max(cy, box.y0), box.y1)
        if np.hypot(ex - cx, ey - cy) > 9:
            ax.plot(
                *ax.transData.inverted().transform([(cx, cy), (ex, ey)]).T,
                color="#999999",
                lw=0.5,
                zorder=4,
                gid="leader",
            )
