"""Where a built report set's seconds went, read from its executed notebooks: the kernel's busy time of every cell
(nbclient's ``iopub.status.busy`` to ``iopub.status.idle``), split into chart cells (those calling ``present.show``),
language-free cells and the rest, and the time between cells (papermill's start of a cell to the kernel's busy, and
the kernel's idle to papermill's end: the round trip), against the seconds ``build.json`` gives each notebook.

    .venv/bin/python bench/cell_times.py REPORTS_DIR [REPORTS_DIR ...]

Each REPORTS_DIR is the ``--out`` of a ``report`` run with ``--formats`` including ipynb (the default); every story
set in it is read, in each language (``DIR/<year>/<slug>`` and ``DIR/<lang>/<year>/<slug>``).  A language that
continued from another (``--lang en,zh``) skipped its language-free cells, so they count in the first language only.
Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

#: The tag of the cells a continued language skips (``shanxi_analysis.publish.planning.LANGUAGE_FREE_TAG``).
LANGUAGE_FREE = "language-free"
KINDS = ("chart", "language-free", "other")


def _time(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _kind(cell: dict[str, Any]) -> str:
    source = "".join(cell.get("source", ""))
    if LANGUAGE_FREE in cell.get("metadata", {}).get("tags", []):
        return "language-free"
    return "chart" if "present.show(" in source else "other"


def set_times(folder: Path) -> dict[str, float]:
    """Seconds of one built set (one language): kernel busy by cell kind, round trips, and the builder's seconds."""
    build = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    out: dict[str, float] = defaultdict(float)
    for rec in build["notebooks"]:
        out["builder"] += float(rec.get("seconds") or 0)
        path = folder / rec["notebook"]
        if not path.exists():
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            timing = cell.get("metadata", {}).get("execution")
            pm = cell.get("metadata", {}).get("papermill") or {}
            if not timing or not pm.get("start_time") or not pm.get("end_time"):
                continue
            busy = (_time(timing["iopub.status.idle"]) - _time(timing["iopub.status.busy"])).total_seconds()
            whole = (_time(pm["end_time"]) - _time(pm["start_time"])).total_seconds()
            out[_kind(cell)] += busy
            out["round trips"] += max(whole - busy, 0.0)
            out["cells"] += 1
    return dict(out)


def sets_in(reports: Path) -> dict[str, list[Path]]:
    """The story sets of a reports folder by language (English at the top, others under ``<lang>/``)."""
    found: dict[str, list[Path]] = defaultdict(list)
    for build in sorted(reports.glob("**/build.json")):
        rel = build.parent.relative_to(reports).parts
        if "article-check" in rel or "_failed" in rel or any(p.startswith(".") for p in rel):
            continue
        lang = rel[0] if not rel[0].isdigit() else "en"
        found[lang].append(build.parent)
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("reports", nargs="+", type=Path, help="reports folders (a report run's --out)")
    args = ap.parse_args(argv)
    columns = (*KINDS, "round trips", "builder", "cells")
    print(f"{'folder':<24} {'lang':<5} {'sets':>4}  " + "  ".join(f"{c:>13}" for c in columns))
    for reports in args.reports:
        if not reports.is_dir():
            print(f"{reports}: not a folder", file=sys.stderr)
            return 2
        for lang, folders in sorted(sets_in(reports).items()):
            rows = [set_times(f) for f in folders]
            means = {c: statistics.mean(r.get(c, 0.0) for r in rows) for c in columns}
            print(
                f"{str(reports)[-24:]:<24} {lang:<5} {len(rows):>4}  "
                + "  ".join(f"{means[c]:>13.0f}" if c == "cells" else f"{means[c]:>12.3f}s" for c in columns)
            )
    print("(means per set; kernel busy seconds by cell kind, round trips between cells, the builder's seconds)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
