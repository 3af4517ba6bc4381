"""Strict parsing of one raw CSV file against its manifest entry: the encoding (UTF-8 without BOM), the records,
each value's type, and the file's shape (rows and key coverage), each refusal naming the file and what to do.
Used by :func:`shanxi_analysis.data.sources.read_raw` and :func:`~shanxi_analysis.data.sources.refresh_manifest`."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import DataError

if TYPE_CHECKING:
    from .sources import Resource

_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)", re.ASCII)
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?", re.ASCII)
_BOOLEAN = {"true": True, "false": False}


def _convert(value: str, kind: str) -> Any:
    if value == "":
        return None
    if kind == "integer":
        if not _INTEGER.fullmatch(value):
            raise ValueError(value)
        return int(value)
    if kind == "number":
        if not _NUMBER.fullmatch(value):
            raise ValueError(value)
        return float(value)
    if kind == "boolean":
        if value not in _BOOLEAN:
            raise ValueError(value)
        return _BOOLEAN[value]
    return value.strip()


def _text(res: Resource, data: bytes) -> str:
    """The file as text, refusing anything but UTF-8 without a byte-order mark, with the file named."""
    rel = f"data/raw/{res.path.name}"
    if data.startswith(codecs.BOM_UTF8):
        raise DataError(
            f"{rel} starts with a UTF-8 byte-order mark (as Excel writes it). Save it as UTF-8 "
            "without BOM, then record its checksum with `python scripts/update_manifest.py`."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{rel} is not UTF-8 text: byte 0x{data[exc.start]:02x} on line {line} cannot be decoded "
            "(the file may be GBK/GB18030-encoded, as Chinese Excel saves it). Convert it, e.g. "
            f"`iconv -f GBK -t UTF-8`, or restore it with `git checkout -- {rel}`."
        ) from None
    if "\x00" in text:
        raise DataError(
            f"{rel} contains NUL bytes, so it is not a CSV text file. Restore it with `git checkout -- {rel}`."
        )
    return text


def _records(res: Resource, data: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and records of a CSV resource (quoted line breaks kept inside their cell)."""
    rel = f"data/raw/{res.path.name}"
    try:
        reader = csv.reader(io.StringIO(_text(res, data), newline=""))
        header = next(reader, [])
        return header, list(reader)
    except csv.Error as exc:
        raise DataError(f"{rel} is not a valid CSV file ({exc}). Restore it with `git checkout -- {rel}`.") from None


def _shape(
    fields: Sequence[tuple[str, str]], header: list[str], records: list[list[str]], keys: Sequence[str]
) -> tuple[int, dict[str, dict[str, Any]]]:
    """Row count and key coverage of a table: per key column the number of distinct values, and for integer
    columns the smallest and largest value."""
    kinds = dict(fields)
    cover = {}
    for key in keys:
        if key not in header:
            continue
        i = header.index(key)
        values = {r[i].strip() for r in records if len(r) > i and r[i].strip() != ""}
        entry: dict[str, Any] = {"distinct": len(values)}
        if kinds.get(key) == "integer":
            ints = [int(v) for v in values if _INTEGER.fullmatch(v)]
            if ints:
                entry["min"], entry["max"] = min(ints), max(ints)
        cover[key] = entry
    return len(records), cover


def _default_keys(fields: Sequence[tuple[str, str]]) -> list[str]:
    names = [f for f, _ in fields]
    return list(dict.fromkeys(names[:1] + [n for n in names if n == "year"]))


_FIX_SHAPE = (
    "If the change is deliberate, record the table's new shape with "
    "`python scripts/update_manifest.py --accept-shape`; otherwise restore it with "
    "`git checkout -- {rel}`."
)


def _check_shape(res: Resource, header: list[str], records: list[list[str]]) -> None:
    rel = f"data/raw/{res.path.name}"
    if not records:
        raise DataError(f"{rel} has a header but no data rows. Restore it with `git checkout -- {rel}`.")
    if res.rows is None:
        raise DataError(
            f"The data manifest records no row count for {rel}, so a truncated file could not be "
            "told from a complete one. Record it with `python scripts/update_manifest.py "
            "--accept-shape` after checking the file."
        )
    recorded = {k: dict(v) for k, v in res.coverage}
    rows, cover = _shape(res.fields, header, records, list(recorded))
    problems = []
    if rows != res.rows:
        problems.append(f"it has {rows} data rows, the manifest records {res.rows}")
    for key, want in recorded.items():
        got = cover.get(key, {})
        if got != want:
            said = ", ".join(f"{k} {v}" for k, v in sorted(got.items())) or "nothing"
            problems.append(
                f"column {key} covers {said}, the manifest records "
                + ", ".join(f"{k} {v}" for k, v in sorted(want.items()))
            )
    if problems:
        raise DataError(
            f"{rel} does not have the shape the manifest records: {'; '.join(problems)}. Rows may "
            "have been cut or lost. " + _FIX_SHAPE.format(rel=rel)
        )
