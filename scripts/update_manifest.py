"""Refresh ``bytes`` and ``hash`` of every resource in ``data/datapackage.json`` after a raw file changed.

Run by a maintainer after editing a raw file on purpose (``python scripts/update_manifest.py [DATA_DIR]``);
the checksum check in :mod:`shanxi_analysis.sources` then accepts the new file.  It refuses to record a CSV
whose header no longer matches the schema fields in the manifest.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shanxi_analysis import sources  # noqa: E402


def main(argv: list[str]) -> None:
    data_dir = Path(argv[1]) if len(argv) > 1 else None
    for name, changed in sources.refresh_manifest(data_dir):
        print(f"{'updated' if changed else 'unchanged'}: {name}")


if __name__ == "__main__":
    main(sys.argv)
