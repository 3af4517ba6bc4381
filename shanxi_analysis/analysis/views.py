"""The parts of a dataset a report page reads, each with a key: what lets a corrected value rebuild only the pages
that show it (incremental builds, :mod:`shanxi_analysis.publish.incremental`).

A raw file's checksum is a coarse key: a correction to one value of the FAI panel changes the file that every
page of every province and year reads.  A notebook may therefore declare, in its metadata, that it reads a dataset
only through some of its parts, given its parameters (``"shanxi_analysis": {"reads": {"fai_growth": ["province",
"year", "usable"]}}``):

====================  =================================================================================
``province``          the province's rows, every year (its figures, flags, ranks and scope notes)
``year``              the year's rows, every province (the year's table, its ranks, the peers)
``usable``            which province-years have a usable figure (published, unflagged): how many
                      provinces are ranked in each year
``region``            whether the province grew faster than the median of the rest of its region, each
                      year (:func:`~shanxi_analysis.analysis.region_record`)
``medians``           the median province's growth and how many provinces it is of, each year
                      (:func:`~shanxi_analysis.analysis.yearly_medians`)
====================  =================================================================================

Each part is named ``dataset[part=value]`` (``fai_growth[province=Hubei]``, ``fai_growth[usable]``) and keyed by
:func:`view_key`: the sha256 of the part (every column, as text) and of the dataset's ``attrs`` (title, sources,
processing: the words a page cites), the raw files' checksums left out.

A declaration is a claim about the notebook's code: ``tests/test_views.py`` changes the FAI panel everywhere
outside a page's parts and checks that the page is the same, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .. import data
from ..errors import DataError
from .indicators import is_flagged
from .province import region_record, yearly_medians

#: Each part a notebook may declare, with what it is (``{value}``: the part's value), for ``report --explain``.
VIEW_PARTS = {
    "province": "{value}'s rows, every year",
    "year": "the rows of {value}, every province",
    "usable": "which province-years have a usable figure",
    "region": "whether {value} grew faster than the rest of its region, each year",
    "medians": "the median province's growth, each year",
}
#: The datasets a notebook may declare parts of, each with its figure's column (what makes a row usable).
VIEWED_DATASETS = {"fai_growth": "fai_growth_pct"}

_NAME = re.compile(r"^(?P<dataset>\w+)\[(?P<part>\w+)(?:=(?P<value>[^\]]+))?\]$")


def view_names(reads: Mapping[str, Iterable[str]], province: Any, year: Any) -> list[str]:
    """The names of the parts that a notebook with parameters ``province`` and ``year`` declares it reads
    (``reads``: dataset -> parts, its metadata's ``shanxi_analysis.reads``), in the declared order.

    Raises
    ------
    DataError
        A dataset not in :data:`VIEWED_DATASETS` or a part not in :data:`VIEW_PARTS`, naming both and what may be
        declared.
    """
    out = []
    for dataset, parts in reads.items():
        if dataset not in VIEWED_DATASETS:
            raise DataError(
                f"A notebook declares it reads parts of {dataset!r}; only {', '.join(VIEWED_DATASETS)} can be read "
                "by parts."
            )
        for part in parts:
            if part not in VIEW_PARTS:
                raise DataError(
                    f"A notebook declares it reads part {part!r} of {dataset}; the parts are {', '.join(VIEW_PARTS)}."
                )
            if part in ("usable", "medians"):
                out.append(f"{dataset}[{part}]")
            elif part == "year":
                out.append(f"{dataset}[year={int(year)}]")
            else:
                out.append(f"{dataset}[{part}={data.normalize(province)}]")
    return out


def _part(df: pd.DataFrame, dataset: str, part: str, value: str | None, provinces: pd.DataFrame) -> pd.DataFrame:
    """The rows (or the derived table) of one part."""
    if part == "province":
        rows = df[df["province"] == value]
    elif part == "year":
        rows = df[df["year"] == int(str(value))]
    elif part == "usable":
        rows = df[["province", "year"]].assign(usable=df[VIEWED_DATASETS[dataset]].notna() & ~is_flagged(df))
    elif part == "medians":
        return yearly_medians(df)
    else:  # region: what region_record makes of the rest of the region (the province's own rows are its part)
        record = region_record(df, provinces, str(value))
        rows = record.table[["year", "above"]].assign(region=record.region)
        return rows.assign(artefacts=" ".join(map(str, record.skipped_artefacts)))
    return rows.sort_values(["province", "year"], kind="stable")


def _attrs_text(attrs: Mapping[Any, Any]) -> str:
    """The dataset's ``attrs`` as text, each source's checksum left out (a page cites a source's words; a corrected
    value changes the checksum of its file, and the parts it is in say so)."""
    plain = dict(attrs)
    if isinstance(plain.get("sources"), list):
        plain["sources"] = [
            {k: v for k, v in s.items() if k != "sha256"} if isinstance(s, Mapping) else s for s in plain["sources"]
        ]
    return json.dumps(plain, sort_keys=True, ensure_ascii=False, default=str)


def view_key(name: str, frames: Mapping[str, pd.DataFrame]) -> str:
    """The key of the part ``name`` (``fai_growth[province=Hubei]``) of ``frames[dataset]``: sha256 of the part and
    of the dataset's words (see the module docstring).  ``frames`` also holds ``provinces``
    (:func:`shanxi_analysis.data.provinces`), for the regions.

    Raises
    ------
    DataError
        A name that is not a part of a dataset of :data:`VIEWED_DATASETS`.
    """
    m = _NAME.match(name)
    if m is None or m["dataset"] not in VIEWED_DATASETS or m["part"] not in VIEW_PARTS:
        raise DataError(f"{name!r} is not a part of a dataset (dataset[part=value], parts: {', '.join(VIEW_PARTS)}).")
    dataset, part, value = m["dataset"], m["part"], m["value"]
    df = frames[dataset]
    h = hashlib.sha256(_attrs_text(df.attrs).encode())
    h.update(b"\0" + _part(df, dataset, part, value, frames["provinces"]).to_csv(index=False).encode())
    return h.hexdigest()


def describe_view(name: str) -> str:
    """``fai_growth[year=2020]`` in words, for ``report --explain`` (the name itself if it is not a part)."""
    m = _NAME.match(name)
    if m is None or m["part"] not in VIEW_PARTS:
        return name
    return f"{m['dataset']} ({VIEW_PARTS[m['part']].format(value=m['value'])})"
