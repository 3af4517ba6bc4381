"""Tile-grid maps of China's provincial-level divisions: one equal square per division, placed roughly by
geography (as newsrooms draw the US states), coloured by a value.

A tile grid is a diagram, not a map: it draws no boundary, so it needs no standard base map (审图号), and every
province gets the same ink whatever its area (a geographic map gives most of it to Xinjiang, Tibet and Inner
Mongolia).  The positions are the reviewed table :data:`TILES`; Hong Kong, Macao and Taiwan, which NBS's
provincial statistics do not cover, have squares of their own (:data:`NOT_COVERED`), drawn grey and without a
value.  The province boundaries (``sa.data.province_shapes()``) are not drawn here: they stay in the data layer,
where :func:`shanxi_analysis.analysis.neighbours` reads them.

Only numpy and matplotlib are used.  The words on the tiles and around them come from the caller (the message
catalog): this module draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import matplotlib as mpl
import matplotlib.cm
import matplotlib.colors as mcolors
import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from .. import numbers as fmt
from .theme import LABEL_FONT, MIN_FONT, lay_out

#: Where each provincial-level division's square goes: English name as in ``sa.data.provinces()`` -> (column,
#: row), column 0 in the west, row 0 in the north.  Reviewed against the shared boundaries of
#: ``sa.data.province_shapes()``: every pair of provinces that share a border sits side by side or corner to
#: corner, except the ones a single square cannot reach: Inner Mongolia (drawn north of Shanxi, next to Ningxia
#: and Hebei) is away from Gansu, Shaanxi, Liaoning, Jilin and Heilongjiang, Xinjiang from Tibet.  Hainan, an
#: island, sits south of Guangxi and Guangdong.
TILES: dict[str, tuple[int, int]] = {
    # the north-east
    "Heilongjiang": (6, 0),
    "Jilin": (6, 1),
    "Liaoning": (5, 1),
    # the north
    "Inner Mongolia": (3, 1),
    "Beijing": (4, 1),
    "Tianjin": (5, 2),
    "Hebei": (4, 2),
    "Shanxi": (3, 2),
    # the north-west
    "Xinjiang": (0, 2),
    "Ningxia": (2, 2),
    "Qinghai": (0, 3),
    "Gansu": (1, 3),
    "Shaanxi": (2, 3),
    # the centre and the east
    "Henan": (3, 3),
    "Shandong": (4, 3),
    "Tibet": (0, 4),
    "Sichuan": (1, 4),
    "Chongqing": (2, 4),
    "Hubei": (3, 4),
    "Anhui": (4, 4),
    "Jiangsu": (5, 4),
    "Shanghai": (6, 4),
    # the south
    "Yunnan": (1, 5),
    "Guizhou": (2, 5),
    "Hunan": (3, 5),
    "Jiangxi": (4, 5),
    "Zhejiang": (5, 5),
    "Guangxi": (2, 6),
    "Guangdong": (3, 6),
    "Fujian": (4, 6),
    "Hainan": (2, 7),
}
#: The provincial-level divisions NBS's provincial statistics do not cover, placed the same way: English name ->
#: (column, row).  Their names in the page's language come from the catalog's terms, never from
#: ``sa.data.provinces()``, which does not list them.
NOT_COVERED: dict[str, tuple[int, int]] = {
    "Hong Kong": (4, 7),
    "Macao": (3, 7),
    "Taiwan": (5, 6),
}
#: The short labels of the English tiles: the ISO 3166-2:CN subdivision codes (the letters after ``CN-``), by
#: English name.  Full names do not fit a square at a phone's width; the chart's data file gives name and code.
TILE_CODES: dict[str, str] = {
    "Beijing": "BJ", "Tianjin": "TJ", "Hebei": "HE", "Shanxi": "SX", "Inner Mongolia": "NM", "Liaoning": "LN",
    "Jilin": "JL", "Heilongjiang": "HL", "Shanghai": "SH", "Jiangsu": "JS", "Zhejiang": "ZJ", "Anhui": "AH",
    "Fujian": "FJ", "Jiangxi": "JX", "Shandong": "SD", "Henan": "HA", "Hubei": "HB", "Hunan": "HN",
    "Guangdong": "GD", "Guangxi": "GX", "Hainan": "HI", "Chongqing": "CQ", "Sichuan": "SC", "Guizhou": "GZ",
    "Yunnan": "YN", "Tibet": "XZ", "Shaanxi": "SN", "Gansu": "GS", "Qinghai": "QH", "Ningxia": "NX",
    "Xinjiang": "XJ", "Hong Kong": "HK", "Macao": "MO", "Taiwan": "TW",
}  # fmt: skip
#: Where the colour bar goes, in grid units (x, y, width, height; y grows southward): the empty north-west corner
#: of :data:`TILES`, its label above the bar in the empty first row.
COLORBAR_BOX = (0.1, 0.95, 2.6, 0.22)

#: Side of a square, in grid units (the rest of each cell is the white gap between squares).
TILE_SIZE = 0.92
#: Hatch pattern laid over provinces without data.
MISSING_HATCH = "////"
#: Colour of that hatching.
MISSING_HATCH_COLOR = "#9a9a9a"
#: Fill of the squares of the divisions the statistics do not cover (no hatching: they have no figure to miss).
NOT_COVERED_COLOR = "#ececec"
#: Colour of their labels and dashed outline.
NOT_COVERED_INK = "#6b6b6b"
#: Font sizes (points) of a square's name and of its value: the theme's MIN_FONT and LABEL_FONT, the least that
#: reads on a phone.
NAME_FONT, VALUE_FONT = MIN_FONT, LABEL_FONT


def _square(col: int, row: int) -> np.ndarray:
    """The four corners of the square of grid cell (col, row), in data units (y grows southward)."""
    pad = (1 - TILE_SIZE) / 2
    x0, y0 = col + pad, row + pad
    return np.array([[x0, y0], [x0 + TILE_SIZE, y0], [x0 + TILE_SIZE, y0 + TILE_SIZE], [x0, y0 + TILE_SIZE]])


def _ink(face: tuple[float, float, float, float]) -> str:
    """Dark text on a light square, white on a dark one (relative luminance, WCAG)."""
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in face[:3])
    return "#1a1a1a" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.22 else "white"


def _tile_value(value: float) -> str:
    """A square's value: one decimal and a true minus, without the unit, which the colour bar's label gives
    ("−18.8%" in the smallest chart font is wider than a square at a phone's width; "−18.8" is not)."""
    return fmt.number(value, 1).replace("-", "\u2212")


def _finite(v: object) -> float:
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return x if math.isfinite(x) else math.nan


def draw_tile_map(
    ax,
    values: Mapping[str, float],
    labels: Mapping[str, str],
    *,
    cmap="viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    highlight: str | None = None,
    highlight_color="#d62728",
    missing_color="#dddddd",
    colorbar_label: str | None = None,
    value_text: Callable[[float], str] = _tile_value,
    tiles: Mapping[str, tuple[int, int]] = TILES,
    not_covered: Mapping[str, tuple[int, int]] = NOT_COVERED,
    key_labels: tuple[str, str] | None = None,
) -> matplotlib.cm.ScalarMappable:
    """Draw one square per province, filled by its value, on a matplotlib Axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    values : Mapping[str, float]
        ``English name -> value``. A province of `tiles` absent from `values`, or whose value is NaN/None/inf, is
        filled with `missing_color` under grey hatching (:data:`MISSING_HATCH`), so "no data" is never read as a
        low value.  Names not in `tiles` are ignored.
    labels : Mapping[str, str]
        ``English name -> the text on its square`` (a short name in the page's language), for every name of
        `tiles` and `not_covered`.
    cmap : str or matplotlib.colors.Colormap, default "viridis"
        Colormap of the values (the caller's object is not modified).  Values beyond `vmin`/`vmax` take the
        end colours.
    vmin, vmax : float, optional
        Colour-scale limits; default to the min/max of the finite values (0 and 1 when there are none).
    highlight : str, optional
        English name of the province to outline (thick, `highlight_color`); ignored if not in `tiles`.
    missing_color : color, default "#dddddd"
        Fill of provinces without data.
    colorbar_label : str, optional
        Label of the colour bar (drawn in :data:`COLORBAR_BOX`, above the bar).
    value_text : callable, optional
        Writes a value under the name on its square; by default with one decimal and a true minus, without the
        unit (the colour bar's label gives it).
    tiles, not_covered : Mapping[str, tuple[int, int]]
        Positions (column, row) of the provinces and of the divisions the statistics do not cover (grey,
        :data:`NOT_COVERED_COLOR`, no value).
    key_labels : (str, str), optional
        Legend labels of a hatched square ("no figure") and of a grey one ("not covered by the statistics"): the
        hatched one is labelled only when a province lacks data, so :func:`~shanxi_analysis.present.set_legend`
        lists only what is drawn.

    Returns
    -------
    matplotlib.cm.ScalarMappable
        The fill: a :class:`~matplotlib.collections.PolyCollection`, one square per name of `tiles` in that
        order, its array the values (masked where missing).

    Notes
    -----
    Artists added to `ax`, by ``gid``: ``tile-fill`` (the coloured squares), ``tile-missing`` (the hatching of the
    provinces without data), ``tile-not-covered`` (the grey squares), ``tile-highlight`` (the outline), text
    ``tile-name`` and ``tile-value`` at the centre of each square (a value only where there is one), and the
    colour bar's Axes.  The axes get an equal aspect, row 0 at the top, no ticks, grid or frame.
    """
    names = list(tiles)
    data = np.array([_finite(values.get(n)) for n in names], dtype=float)
    finite = data[np.isfinite(data)]
    lo = vmin if vmin is not None else (float(finite.min()) if finite.size else 0.0)
    hi = vmax if vmax is not None else (float(finite.max()) if finite.size else 1.0)
    colormap = (mpl.colormaps[cmap] if isinstance(cmap, str) else cmap).with_extremes(bad=missing_color)
    norm = mcolors.Normalize(vmin=lo, vmax=hi)

    fill = PolyCollection(
        [_square(*tiles[n]) for n in names],
        array=np.ma.masked_invalid(data),
        cmap=colormap,
        norm=norm,
        edgecolors="none",
        zorder=1,
        gid="tile-fill",
    )
    ax.add_collection(fill)
    missing = [n for n, v in zip(names, data, strict=True) if not np.isfinite(v)]
    if missing:
        ax.add_collection(
            PolyCollection(
                [_square(*tiles[n]) for n in missing],
                facecolors="none",
                edgecolors=MISSING_HATCH_COLOR,
                linewidths=0.0,
                hatch=MISSING_HATCH,
                zorder=1.5,
                gid="tile-missing",
                label=key_labels[0] if key_labels else None,
            )
        )
    if not_covered:
        ax.add_collection(
            PolyCollection(
                [_square(*not_covered[n]) for n in not_covered],
                facecolors=NOT_COVERED_COLOR,
                edgecolors=NOT_COVERED_INK,
                linestyles=(0, (2, 2)),
                linewidths=0.8,
                zorder=1,
                gid="tile-not-covered",
                label=key_labels[1] if key_labels else None,
            )
        )
    if highlight is not None and highlight in tiles:
        col, row = tiles[highlight]
        ax.add_patch(
            Rectangle(
                tuple(_square(col, row)[0]),
                TILE_SIZE,
                TILE_SIZE,
                facecolor="none",
                edgecolor=highlight_color,
                linewidth=2.6,
                zorder=3,
                gid="tile-highlight",
            )
        )

    faces = colormap(norm(np.ma.masked_invalid(data)))
    for name, v, face in zip(names, data, faces, strict=True):
        col, row = tiles[name]
        ink = _ink(tuple(face)) if np.isfinite(v) else "#1a1a1a"
        has_value = bool(np.isfinite(v))
        ax.text(col + 0.5, row + (0.36 if has_value else 0.5), labels[name], ha="center", va="center",
                fontsize=NAME_FONT, fontweight="bold", color=ink, zorder=4, gid="tile-name")  # fmt: skip
        if has_value:
            ax.text(col + 0.5, row + 0.7, value_text(float(v)), ha="center", va="center", fontsize=VALUE_FONT,
                    color=ink, zorder=4, gid="tile-value")  # fmt: skip
    for name, (col, row) in not_covered.items():
        ax.text(col + 0.5, row + 0.5, labels[name], ha="center", va="center", fontsize=NAME_FONT,
                color=NOT_COVERED_INK, zorder=4, gid="tile-name")  # fmt: skip

    cols = [c for c, _ in [*tiles.values(), *not_covered.values()]]
    rows = [r for _, r in [*tiles.values(), *not_covered.values()]]
    ax.set_xlim(min(cols) - 0.02, max(cols) + 1.02)
    ax.set_ylim(max(rows) + 1.02, min(rows) - 0.02)  # row 0 at the top
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)

    bar_ax = ax.inset_axes(COLORBAR_BOX, transform=ax.transData)
    bar = ax.figure.colorbar(fill, cax=bar_ax, orientation="horizontal")
    bar.ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    bar.outline.set_visible(False)
    bar.ax.xaxis.set_label_position("top")
    if colorbar_label is not None:
        bar.set_label(colorbar_label, loc="left")
    return fill


def fit_tile_labels(ax) -> list[str]:
    """Hide each value that is wider than its square (the chart's data file and alt text still give it), once the
    figure has its final size and layout; returns the hidden texts."""
    renderer = lay_out(ax.figure)
    side = abs(ax.transData.transform((TILE_SIZE, 0))[0] - ax.transData.transform((0, 0))[0])
    hidden = []
    for t in ax.texts:
        if t.get_gid() == "tile-value" and t.get_window_extent(renderer).width > side - 4:
            t.set_visible(False)
            hidden.append(t.get_text())
    return hidden
