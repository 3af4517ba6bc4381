"""Where every number comes from: the data manifest, and reading a raw file against it.

The manifest (``data/datapackage.json``, frictionless style) describes each raw file: publisher, title, URL,
licence, dates, what it holds, its sha256, its columns with their types, and its shape (rows and key coverage).
Publisher, title and date of publication are also given in Chinese (``sources[].title_zh``, ``title_zh``,
``published_zh``), for the references of the Chinese pages; a manifest without them still loads (the pages then
cite the English).
:func:`read_raw` is the only way the package reads a raw table: it checks the file's existence and checksum
(:func:`read_bytes`), its encoding (UTF-8 without BOM), its records, each value's type and the table's shape, and
refuses anything that does not match the manifest with a message that names the file and says what to do.
:func:`refresh_manifest` records a deliberate change.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import config
from ..errors import DataError

_FIX_CHECKSUM = (
    "If you changed it on purpose, record the new checksum with `python scripts/update_manifest.py`; "
    "otherwise restore it with `git checkout -- data/raw/{name}`."
)


class Record(dict):
    """A source's provenance record (:meth:`Resource.as_dict`), read-only so that every frame carrying it shares
    it: pandas deep-copies a frame's ``attrs`` into the result of every operation, and copying the records was
    about half of what the story's text helpers cost.  ``dict(record)`` is a copy that can be changed."""

    def __deepcopy__(self, memo: dict) -> Record:
        return self

    def __copy__(self) -> Record:
        return self

    def __reduce__(self) -> tuple:
        return (Record, (dict(self),))

    def _read_only(self, *args: Any, **kw: Any) -> Any:
        raise TypeError("a provenance record is read-only: change a copy, dict(record)")

    __setitem__ = __delitem__ = __ior__ = update = pop = popitem = clear = setdefault = _read_only


def records(attrs: dict) -> dict:
    """``attrs`` (a frame's, read back from a file) with its ``sources`` as :class:`Record`."""
    if isinstance(attrs.get("sources"), list):
        return {**attrs, "sources": [Record(s) if isinstance(s, dict) else s for s in attrs["sources"]]}
    return attrs


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
    format: str = "csv"
    rows: int | None = None
    coverage: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    #: The title and the date of publication in Chinese (``title_zh``, ``published_zh`` in the manifest), for the
    #: references of Chinese pages; "" where the manifest gives none (a page then cites the English).  The
    #: publishers' Chinese names are in each source's ``title_zh``.
    title_zh: str = ""
    published_zh: str = ""

    def citation(self) -> str:
        """A one-line citation: publisher, title, URL."""
        src = self.sources[0] if self.sources else {}
        url = src.get("path", "")
        return f"{src.get('title', '')}: {self.title}" + (f" <{url}>" if url else "")

    def as_dict(self) -> Record:
        """The provenance record attached to datasets (``DataFrame.attrs['sources']``), with the Chinese
        ``title_zh``, ``publisher_zh`` (every source's ``title_zh``; "" unless each source has one) and
        ``published_zh`` ("" where the manifest gives none)."""
        zh = [str(s.get("title_zh") or "") for s in self.sources]
        return Record(
            {
                "resource": self.name,
                "file": f"raw/{self.path.name}",
                "title": self.title,
                "title_zh": self.title_zh,
                "publisher": "; ".join(s.get("title", "") for s in self.sources),
                "publisher_zh": "；".join(zh) if zh and all(zh) else "",
                "url": next((s["path"] for s in self.sources if s.get("path")), ""),
                "licence": self.licence,
                "published": self.published,
                "published_zh": self.published_zh,
                "accessed": self.accessed,
                "sha256": self.sha256,
            }
        )


# ------------------------------------------------------------------------------- parsing one raw CSV file
# The only number formats the sources use: an optional leading minus, digits without leading zeros, and for
# numbers an optional '.' with digits.  No '+', no '_', no exponent, no spaces, no 'nan'/'inf' text: int() and
# float() would accept all of those.  An empty cell is the only way to write a gap.
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


# ------------------------------------------------------------------------------------------ bounded reads
MAX_RAW_BYTES = 64 * 2**20
"""The largest raw file or manifest read (the largest raw file is well under 1 MiB): a file that grew past it, or a
link to an endless device such as ``/dev/zero``, is refused instead of filling the memory."""


class NotARegularFile(ValueError):
    """A path that is not a regular file (FIFO, device, socket, folder) or is larger than the limit given."""


def read_regular(path: Path | str, limit: int = MAX_RAW_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file (after following symlinks) of at most ``limit`` bytes.

    The file is opened without blocking (a FIFO with no writer does not hang the read) and checked on the open
    descriptor (no race between the check and the read), and never more than ``limit + 1`` bytes are read.

    Raises
    ------
    NotARegularFile
        For a FIFO, device, socket or folder, or a file larger than ``limit`` (the message says which).
    OSError
        When the file cannot be opened or read (missing, permissions).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = (
                "a FIFO"
                if stat.S_ISFIFO(st.st_mode)
                else "a device"
                if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "a socket"
                if stat.S_ISSOCK(st.st_mode)
                else "a folder"
                if stat.S_ISDIR(st.st_mode)
                else "not a regular file"
            )
            raise NotARegularFile(f"is {kind}, not a regular file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise NotARegularFile(f"is larger than {limit:,} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


# ------------------------------------------------------------------------------------------------ the manifest
def _load_manifest(path: Path) -> dict:
    fix = "Restore it with `git checkout -- data/datapackage.json`."
    try:
        data = read_regular(path)
    except FileNotFoundError:
        raise DataError(f"The data manifest {path} is missing. {fix}") from None
    except NotARegularFile as exc:
        raise DataError(f"The data manifest {path} {exc}. {fix}") from None
    except OSError as exc:
        raise DataError(f"The data manifest {path} cannot be read ({exc.strerror or exc}). {fix}") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        raise DataError(
            f"The data manifest {path} starts with a byte-order mark (saved as UTF-16 or UTF-8 with BOM); save it "
            f"as UTF-8 without BOM, or {fix[0].lower()}{fix[1:]}"
        )
    if b"\x00" in data:
        raise DataError(
            f"The data manifest {path} is not UTF-8 text (it holds NUL bytes, as UTF-16 does); save it as UTF-8, "
            f"or {fix[0].lower()}{fix[1:]}"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"The data manifest {path} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            f"save it as UTF-8, or {fix[0].lower()}{fix[1:]}"
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"The data manifest {path} is not valid JSON ({exc}). Restore it from git.") from exc


def _inside(data_dir: Path, rel: Any, name: str) -> Path:
    """``data_dir / rel``, refusing a path that is absolute or leads outside the data folder."""
    root = data_dir.resolve()
    path = (data_dir / str(rel)).resolve() if isinstance(rel, str) and rel else None
    lexical = Path(os.path.normpath(root / str(rel))) if isinstance(rel, str) and rel else None
    if path is not None and lexical is not None and lexical.is_relative_to(root) and not path.is_relative_to(root):
        raise DataError(
            f"Raw data file {rel} is a link that leads outside the data folder {root} (to {path}). Remove it and "
            f"restore the file with `git checkout -- data/{rel}`."
        )
    if path is None or Path(str(rel)).is_absolute() or not path.is_relative_to(root) or path == root:
        raise DataError(
            f"The data manifest {data_dir / 'datapackage.json'} gives resource {name!r} the path "
            f"{rel!r}, which is not a file inside the data folder {root}. Paths must be relative and "
            f"stay inside it (e.g. raw/{name}.csv); restore the manifest with "
            f"`git checkout -- data/datapackage.json`."
        )
    return path


def _frozen_coverage(cov: Any) -> tuple:
    if not isinstance(cov, dict):
        return ()
    return tuple((str(k), tuple(sorted(v.items())) if isinstance(v, dict) else ()) for k, v in cov.items())


@lru_cache(maxsize=8)
def _manifest(data_dir: Path) -> dict[str, Resource]:
    where = data_dir / "datapackage.json"
    pkg = _load_manifest(where)
    out = {}
    try:
        for r in pkg.get("resources", []):
            out[r["name"]] = Resource(
                name=r["name"],
                path=_inside(data_dir, r["path"], r["name"]),
                title=r.get("title", ""),
                description=r.get("description", ""),
                sources=tuple(r.get("sources", [])),
                licence="; ".join(x.get("title", x.get("name", "")) for x in r.get("licenses", [])),
                published=r.get("published", ""),
                accessed=r.get("accessed", ""),
                sha256=r.get("hash", "").removeprefix("sha256:"),
                fields=tuple((f["name"], f.get("type", "string")) for f in r.get("schema", {}).get("fields", [])),
                format=r.get("format", "csv"),
                rows=r.get("rows"),
                coverage=_frozen_coverage(r.get("keyCoverage")),
                title_zh=str(r.get("title_zh") or ""),
                published_zh=str(r.get("published_zh") or ""),
            )
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataError(
            f"The data manifest {where} is malformed ({type(exc).__name__}: {exc}): every resource "
            "needs a name, a path and a schema. Restore it with `git checkout -- data/datapackage.json`."
        ) from None
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


def forget_manifest() -> None:
    """Forget the manifests read in this process (after editing ``data/datapackage.json`` in a running session)."""
    _manifest.cache_clear()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_READ_LOG: list[list[str]] = []
#: Every raw file read (or noted) in this process since :func:`forget_session_reads`, in order.
_SESSION_READS: dict[str, None] = {}
#: The raw files read (or noted) since :func:`forget_session_reads` outside every dataset's build: by the caller's
#: own code (a province's name looked up), not as a dataset's input.
_DIRECT_READS: dict[str, None] = {}
#: The datasets handed to the caller since :func:`forget_session_reads` (not those built inside another dataset),
#: each with the raw files it was built from.
_SESSION_DATASETS: dict[str, tuple[str, ...]] = {}


class track_reads:
    """Context manager recording the names of the raw files read inside it (used by the on-disk cache)."""

    def __enter__(self) -> list[str]:
        self.names: list[str] = []
        _READ_LOG.append(self.names)
        return self.names

    def __exit__(self, *exc: object) -> None:
        # by identity: nested logs may hold equal names, and list.remove would take the first equal one
        for i, log in enumerate(_READ_LOG):
            if log is self.names:
                del _READ_LOG[i]
                break


def note_reads(*names: str) -> None:
    """Record ``names`` as read by every :class:`track_reads` in progress, without reading them again (for
    lookups built once per process from raw files, whose every user depends on those files)."""
    _record(names)


def note_dataset(name: str, used: tuple[str, ...]) -> None:
    """Record that the dataset ``name``, built from the raw files ``used``, was handed to its caller: its files count
    as read by every :class:`track_reads` in progress (a dataset built from this one depends on them) and by the
    session; handed out outside every dataset's build, it is also one of :func:`session_datasets`."""
    for log in _READ_LOG:
        log.extend(used)
    _SESSION_READS.update(dict.fromkeys(used))
    if not _READ_LOG:
        _SESSION_DATASETS[name] = tuple(dict.fromkeys((*_SESSION_DATASETS.get(name, ()), *used)))


def _record(names: Iterable[str]) -> None:
    """Count ``names`` as read: by every :class:`track_reads` in progress and by the session (directly, when no
    dataset is being built)."""
    names = tuple(names)
    for log in _READ_LOG:
        log.extend(names)
    _SESSION_READS.update(dict.fromkeys(names))
    if not _READ_LOG:
        _DIRECT_READS.update(dict.fromkeys(names))


def resource_key(name: str) -> str:
    """What a result built from the raw file ``name`` depends on: the file's sha256 (from the manifest, which every
    read checks the file against) and a digest of its manifest record (title, publisher, URL, dates, Chinese titles:
    the words a dataset's ``attrs["sources"]`` carries)."""
    r = resource(name)
    record = json.dumps(r.as_dict(), sort_keys=True, ensure_ascii=False, default=str)
    return f"{r.sha256}:{hashlib.sha256(record.encode()).hexdigest()[:16]}"


def session_reads() -> dict[str, str]:
    """Every raw file read in this process since :func:`forget_session_reads` (also through a dataset served from
    memory or from the disk cache), with its :func:`resource_key`: what a notebook's output depends on in the
    data, recorded by the report builder so that a corrected raw file rebuilds only the pages that read it."""
    return {name: resource_key(name) for name in _SESSION_READS}


def session_datasets() -> dict[str, tuple[str, ...]]:
    """The datasets handed to the caller since :func:`forget_session_reads` (a dataset built inside another one is
    that one's input, not listed), each with the raw files it was built from."""
    return dict(_SESSION_DATASETS)


def direct_reads() -> list[str]:
    """The raw files read since :func:`forget_session_reads` outside every dataset's build (a province's name
    looked up, a raw file read by the caller's own code)."""
    return list(_DIRECT_READS)


def forget_session_reads() -> None:
    """Start a new record for :func:`session_reads`, :func:`session_datasets` and :func:`direct_reads` (the report
    builder does this after each notebook)."""
    _SESSION_READS.clear()
    _DIRECT_READS.clear()
    _SESSION_DATASETS.clear()


def read_bytes(name: str) -> bytes:
    """The bytes of a raw file after checking that it exists and matches its manifest checksum."""
    res = resource(name)
    _record((name,))
    rel = f"data/raw/{res.path.name}"
    if not res.path.exists():
        raise DataError(
            f"Raw data file {rel} is missing (expected at {res.path}). Restore it with `git checkout -- {rel}`."
        )
    try:
        data = read_regular(res.path)
    except NotARegularFile as exc:
        raise DataError(
            f"Raw data file {rel} {exc} ({res.path}). Remove it and restore the file with `git checkout -- {rel}`."
        ) from None
    except OSError as exc:
        raise DataError(
            f"Raw data file {rel} cannot be read ({exc.strerror or exc}; {res.path}). Check its "
            f"permissions, or restore it with `git checkout -- {rel}`."
        ) from None
    actual = _sha256(data)
    if actual != res.sha256:
        raise DataError(
            f"Checksum mismatch for {rel}: the manifest records sha256 {res.sha256[:12]}..., "
            f"the file has {actual[:12]}.... " + _FIX_CHECKSUM.format(name=res.path.name)
        )
    return data


def read_raw(name: str) -> list[dict[str, Any]]:
    """Rows of a raw CSV as dicts, typed by the manifest schema.

    Raises :class:`DataError` naming the file when it is missing, its checksum differs, a column is renamed,
    missing or extra, or values cannot be read as their declared type (all bad cells reported together).
    """
    res = resource(name)
    rel = f"data/raw/{res.path.name}"
    header, records = _records(res, read_bytes(name))
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
        raise DataError(
            f"{rel}: {'; '.join(parts)}. The manifest (data/datapackage.json) expects "
            f"{', '.join(expected)}. Rename the columns back, or update the schema in the manifest "
            f"and the loader together."
        )
    rows, bad = [], []
    for lineno, cells in enumerate(records, start=2):
        if len(cells) != len(expected):
            bad.append(f"line {lineno}: {len(cells)} cells, expected {len(expected)}")
            continue
        row = {}
        for (col, kind), value in zip(res.fields, cells, strict=True):
            try:
                row[col] = _convert(value, kind)
            except ValueError:
                bad.append(f"line {lineno}, column {col}: {value!r} is not a valid {kind}")
        rows.append(row)
    if bad:
        shown = "; ".join(bad[:10]) + (f"; and {len(bad) - 10} more" if len(bad) > 10 else "")
        raise DataError(
            f"{rel}: {len(bad)} value(s) cannot be read: {shown}. Correct the file (numbers use a "
            f"'.' decimal point and no thousands separator, '_', '+', exponent, spaces or text such as "
            f"nan/inf; booleans are true/false; empty means not published)."
        )
    _check_shape(res, header, records)
    return rows


def refresh_manifest(
    data_dir: Path | None = None, *, check_headers: bool = True, skip_missing: bool = False, accept_shape: bool = False
) -> Iterator[tuple[str, bool]]:
    """Recompute ``bytes`` and ``hash`` for every resource (used by ``scripts/update_manifest.py``), and for
    every CSV its ``rows`` and ``keyCoverage`` (distinct values, and the range of integer keys, of the columns
    named in ``keyCoverage``; by default the first column and ``year``).

    A new checksum alone never hides lost rows: when a table's row count or key coverage differs from what the
    manifest records, nothing is written and a :class:`DataError` lists the change, unless ``accept_shape=True``
    (``--accept-shape``), which records the new shape after a deliberate change.  ``check_headers=False`` records
    a CSV whose header no longer matches the schema and ``skip_missing=True`` passes over absent files (the tests
    use both, with ``accept_shape``, to build broken data on purpose).
    """
    data_dir = Path(data_dir) if data_dir else config.data_dir()
    path = data_dir / "datapackage.json"
    pkg = _load_manifest(path)
    changes = []
    for r in pkg["resources"]:
        file = _inside(data_dir, r.get("path"), r.get("name", "?"))
        if skip_missing and not file.is_file():
            continue
        try:
            data = read_regular(file)
        except NotARegularFile as exc:
            raise DataError(f"{r['path']}: {exc}; restore it first.") from None
        except OSError as exc:
            raise DataError(f"{r['path']}: cannot be read ({exc.strerror or exc}); restore it first.") from None
        if r.get("format") == "csv":
            fields = tuple((f["name"], f.get("type", "string")) for f in r["schema"]["fields"])
            probe = Resource(r["name"], file, "", "", (), "", "", "", "", fields)
            try:
                header, records = _records(probe, data)
            except DataError:
                if check_headers:
                    raise
                header, records = None, []
            expected = [f for f, _ in fields]
            if check_headers and header != expected:
                raise DataError(
                    f"{r['path']}: header {header} does not match the manifest fields {expected}; "
                    "edit the schema in data/datapackage.json first."
                )
            if header is not None:
                keys = list(r.get("keyCoverage") or {}) or _default_keys(fields)
                rows, cover = _shape(fields, header, records, keys)
                if (rows, cover) != (r.get("rows"), r.get("keyCoverage")):
                    if r.get("rows") is not None and not accept_shape:
                        changes.append(
                            f"{r['path']}: {r.get('rows')} -> {rows} rows, key coverage "
                            f"{r.get('keyCoverage')} -> {cover}"
                        )
                    r["rows"], r["keyCoverage"] = rows, cover
        new = "sha256:" + _sha256(data)
        changed = new != r.get("hash") or len(data) != r.get("bytes")
        r["hash"], r["bytes"] = new, len(data)
        yield r["name"], changed
    if changes:
        raise DataError(
            "Not recorded: the shape of these tables changed, which a new checksum alone must not "
            "hide:\n  - " + "\n  - ".join(changes) + "\nIf rows were removed or added on purpose, "
            "run `python scripts/update_manifest.py --accept-shape`; otherwise restore the files from "
            "git."
        )
    text = json.dumps(pkg, indent=2, ensure_ascii=False) + "\n"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    _manifest.cache_clear()
