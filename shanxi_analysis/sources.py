"""Where every number comes from: the data manifest, checksum checks and raw-file reading.

The manifest (``data/datapackage.json``, frictionless style) describes each raw file: publisher, title, URL,
licence, dates, what it holds, its sha256 and its columns with their types.  :func:`read_raw` is the only way
the package reads a raw table, and it refuses a file that is missing, altered, or whose columns or values do not
match the manifest, with a message that names the file and says what to do.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from . import config
from .errors import DataError

_FIX_CHECKSUM = (
    "If you changed it on purpose, record the new checksum with `python scripts/update_manifest.py`; "
    "otherwise restore it with `git checkout -- data/raw/{name}`."
)


@dataclass(frozen=True)
class Resource:
    """One raw file as the manifest describes it."""

    name: str
    path: Path
    title: str
    description: str
    sources: tuple[dict, ...]
    licence: str
    published: str
    accessed: str
    sha256: str
    fields: tuple[tuple[str, str], ...]

    def citation(self) -> str:
        """A one-line citation: publisher, title, URL."""
        src = self.sources[0] if self.sources else {}
        url = src.get("path", "")
        return f"{src.get('title', '')}: {self.title}" + (f" <{url}>" if url else "")

    def as_dict(self) -> dict[str, Any]:
        """The provenance record attached to datasets (``DataFrame.attrs['sources']``)."""
        return {"resource": self.name, "file": f"raw/{self.path.name}", "title": self.title,
                "publisher": "; ".join(s.get("title", "") for s in self.sources),
                "url": next((s["path"] for s in self.sources if s.get("path")), ""),
                "licence": self.licence, "published": self.published, "accessed": self.accessed,
                "sha256": self.sha256}


def _load_manifest(path: Path) -> dict:
    if not path.exists():
        raise DataError(f"The data manifest {path} is missing. Restore it with `git checkout -- data/datapackage.json`.")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"The data manifest {path} is not valid JSON ({exc}). Restore it from git.") from exc


@lru_cache(maxsize=8)
def _manifest(data_dir: Path) -> dict[str, Resource]:
    pkg = _load_manifest(data_dir / "datapackage.json")
    out = {}
    for r in pkg.get("resources", []):
        out[r["name"]] = Resource(
            name=r["name"], path=data_dir / r["path"], title=r.get("title", ""),
            description=r.get("description", ""), sources=tuple(r.get("sources", [])),
            licence="; ".join(x.get("title", x.get("name", "")) for x in r.get("licenses", [])),
            published=r.get("published", ""), accessed=r.get("accessed", ""),
            sha256=r.get("hash", "").removeprefix("sha256:"),
            fields=tuple((f["name"], f.get("type", "string")) for f in r.get("schema", {}).get("fields", [])),
        )
    return out


def manifest() -> dict[str, Resource]:
    """Every resource in the manifest of the data folder in use, by name."""
    return _manifest(config.data_dir())


def resource(name: str) -> Resource:
    """The manifest entry for one raw file (``name`` without ``.csv``)."""
    res = manifest()
    if name not in res:
        raise DataError(f"No resource named {name!r} in {config.manifest_path()}; known: {', '.join(sorted(res))}.")
    return res[name]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_READ_LOG: list[list[str]] = []


class track_reads:
    """Context manager recording the names of the raw files read inside it (used by the on-disk cache)."""

    def __enter__(self) -> list[str]:
        self.names: list[str] = []
        _READ_LOG.append(self.names)
        return self.names

    def __exit__(self, *exc: object) -> None:
        _READ_LOG.remove(self.names)


def read_bytes(name: str) -> bytes:
    """The bytes of a raw file after checking that it exists and matches its manifest checksum."""
    res = resource(name)
    for log in _READ_LOG:
        log.append(name)
    rel = f"data/raw/{res.path.name}"
    if not res.path.exists():
        raise DataError(f"Raw data file {rel} is missing (expected at {res.path}). "
                        f"Restore it with `git checkout -- {rel}`.")
    data = res.path.read_bytes()
    actual = _sha256(data)
    if actual != res.sha256:
        raise DataError(f"Checksum mismatch for {rel}: the manifest records sha256 {res.sha256[:12]}..., "
                        f"the file has {actual[:12]}.... " + _FIX_CHECKSUM.format(name=res.path.name))
    return data


def _convert(value: str, kind: str) -> Any:
    if value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ValueError(value)
    return value


def read_raw(name: str) -> list[dict[str, Any]]:
    """Rows of a raw CSV as dicts, typed by the manifest schema.

    Raises :class:`DataError` naming the file when it is missing, its checksum differs, a column is renamed,
    missing or extra, or values cannot be read as their declared type (all bad cells reported together).
    """
    res = resource(name)
    rel = f"data/raw/{res.path.name}"
    text = read_bytes(name).decode("utf-8")
    reader = csv.reader(text.splitlines())
    header = next(reader, [])
    expected = [f for f, _ in res.fields]
    if header != expected:
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if extra:
            parts.append(f"unexpected column(s) {', '.join(extra)}")
        if not parts:
            parts.append(f"columns in a different order ({', '.join(header)})")
        raise DataError(f"{rel}: {'; '.join(parts)}. The manifest (data/datapackage.json) expects "
                        f"{', '.join(expected)}. Rename the columns back, or update the schema in the manifest "
                        f"and the loader together.")
    rows, bad = [], []
    for lineno, cells in enumerate(reader, start=2):
        if len(cells) != len(expected):
            bad.append(f"line {lineno}: {len(cells)} cells, expected {len(expected)}")
            continue
        row = {}
        for (col, kind), value in zip(res.fields, cells):
            try:
                row[col] = _convert(value.strip(), kind)
            except ValueError:
                bad.append(f"line {lineno}, column {col}: {value!r} is not a valid {kind}")
        rows.append(row)
    if bad:
        shown = "; ".join(bad[:10]) + (f"; and {len(bad) - 10} more" if len(bad) > 10 else "")
        raise DataError(f"{rel}: {len(bad)} value(s) cannot be read: {shown}. Correct the file (numbers use a "
                        f"'.' decimal point and no thousands separator; empty means not published).")
    return rows


def refresh_manifest(data_dir: Path | None = None, *, check_headers: bool = True,
                     skip_missing: bool = False) -> Iterator[tuple[str, bool]]:
    """Recompute ``bytes`` and ``hash`` for every resource (used by ``scripts/update_manifest.py``).

    ``check_headers=False`` records a CSV whose header no longer matches the schema and ``skip_missing=True``
    passes over absent files (the tests use both to build broken data on purpose).
    """
    data_dir = Path(data_dir) if data_dir else config.data_dir()
    path = data_dir / "datapackage.json"
    pkg = _load_manifest(path)
    for r in pkg["resources"]:
        file = data_dir / r["path"]
        if skip_missing and not file.exists():
            continue
        data = file.read_bytes()
        if check_headers and r.get("format") == "csv":
            header = next(csv.reader(data.decode("utf-8").splitlines()))
            expected = [f["name"] for f in r["schema"]["fields"]]
            if header != expected:
                raise DataError(f"{r['path']}: header {header} does not match the manifest fields {expected}; "
                                "edit the schema in data/datapackage.json first.")
        new = "sha256:" + _sha256(data)
        changed = new != r.get("hash") or len(data) != r.get("bytes")
        r["hash"], r["bytes"] = new, len(data)
        yield r["name"], changed
    path.write_text(json.dumps(pkg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _manifest.cache_clear()
