"""Refresh ``bytes`` and ``hash`` of every resource in ``data/datapackage.json`` after a raw file changed.

Run by a maintainer after editing a raw file on purpose::

    python scripts/update_manifest.py [DATA_DIR]                 # new checksums; refuses if a table's shape changed
    python scripts/update_manifest.py --accept-shape [DATA_DIR]  # also record new row counts and key coverage

The checksum check in :mod:`shanxi_analysis.data.raw` then accepts the new file.  It refuses to record a CSV whose
header no longer matches the schema fields in the manifest, or that is not UTF-8 text.  For every CSV the manifest
also records ``rows`` and ``keyCoverage`` (distinct values, and range of integer keys, of the columns named in
``keyCoverage``), checked on every load: a table that lost rows is refused even with a refreshed checksum.  When
rows were removed or added on purpose, pass ``--accept-shape`` to record the new shape.
Exit codes: 0 recorded, 1 refused (the message says why and what to do), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import shanxi_analysis as sa
from shanxi_analysis.errors import DataError  # noqa: E402


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="update_manifest.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", nargs="?", type=Path, help="data folder (default: the project's data/)")
    ap.add_argument(
        "--accept-shape",
        action="store_true",
        help="record new row counts and key coverage (after removing or adding rows on purpose)",
    )
    args = ap.parse_args(argv[1:])
    try:
        for name, changed in sa.data.refresh_manifest(args.data_dir, accept_shape=args.accept_shape):
            print(f"{'updated' if changed else 'unchanged'}: {name}")
    except DataError as exc:
        print(f"update_manifest.py: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
