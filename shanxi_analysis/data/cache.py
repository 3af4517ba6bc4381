"""How are repeat loads made cheap?  An on-disk cache of validated datasets, keyed by content.

A dataset is rebuilt (read, cleaned, validated with pandera) only when one of the raw files it was built from or
its record in the manifest (:func:`input_key`: the words its ``attrs`` carry), the code of the data stage, or the
pandas/pyarrow version changes.  The code is keyed by content
(:func:`code_key`): every file of ``shanxi_analysis/data/`` and the top-level modules the stage imports
(:data:`NEUTRAL_MODULES`), so no change to how a file is read, parsed, cleaned or validated can be served stale.
On every load the raw files it depends on are still
checked against the manifest (:func:`shanxi_analysis.data.raw.read_bytes`), so a missing or altered file fails
exactly as without the cache.  The cache lives in ``$SHANXI_ANALYSIS_CACHE_DIR`` or ``<project>/.cache/datasets``
(ignored by git, safe to delete); set ``SHANXI_ANALYSIS_CACHE=0`` to disable it.

What is stored cannot run code and is never served unless it is exactly what was written:

* each dataset is one Parquet file (pyarrow), never a pickle.  Columns of Python objects (e.g. the arrays of a
  map's polygons) are stored as JSON text with a small tagged encoding; ``DataFrame.attrs``, the dataset's name
  and the checksums of its inputs travel inside the file's metadata.
* an index entry (JSON) records the file's sha256 when it is written, and an HMAC-SHA256 of the whole entry
  (dataset, inputs, file name, sha256, size) keyed with a secret kept **outside the cache folder**
  (:func:`key_path`: ``$SHANXI_ANALYSIS_CACHE_KEY_FILE`` or ``~/.config/shanxi-analysis/cache.key``, 32 random
  bytes created on first use with mode 0600).  On load the HMAC must verify, the file's bytes are hashed and must
  match, the file must name the same dataset and inputs as the index, and must decode to the recorded columns and
  row count.  A frame is only cached at all if it survives the round trip exactly (values, dtypes, index, attrs).
  So a forged entry whose checksum was recomputed is refused too, unless the forger can also read the key: the
  cache protects against corruption and against anyone who can write the cache folder but not read the key (the
  key file must be a regular file owned by the user with no access for group or others, or the disk cache is off).
* only regular files are read from the cache, never more than :data:`MAX_FILE_BYTES` (a FIFO, a device, a link
  to ``/dev/zero`` is an unusable entry, not a hang or a memory error).
* anything else (corrupt, truncated, foreign, unreadable, another dataset's file, a broken index) is discarded
  with one warning line on stderr and the dataset is rebuilt from ``data/raw``; a cache problem is never fatal.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import math
import os
import secrets
import stat
import sys
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import config
from . import raw

#: The package folder (``shanxi_analysis/``) whose code the cache key covers.
PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: The stage's folder, relative to the package: every file in it (modules and any package data) is code.
STAGE_DIR = "data"
#: The top-level modules the data stage imports (``tests/test_cache_key.py`` checks that it imports no others).
NEUTRAL_MODULES = ("config.py", "errors.py")
_META_KEY = b"shanxi_analysis"
FORMAT = 3  # bumped whenever the stored layout changes (3: index entries carry an HMAC)
MAX_FILE_BYTES = 256 * 2**20
"""The largest cached file read (the largest dataset is well under 1 MiB)."""
MAX_INDEX_BYTES = 2**20
KEY_ENV = "SHANXI_ANALYSIS_CACHE_KEY_FILE"


def cache_dir() -> Path:
    """The folder holding cached datasets."""
    env = os.environ.get("SHANXI_ANALYSIS_CACHE_DIR")
    return Path(env) if env else config.PROJ_ROOT / ".cache" / "datasets"


def key_path() -> Path:
    """The file holding the cache's secret key: ``$SHANXI_ANALYSIS_CACHE_KEY_FILE``, else
    ``$XDG_CONFIG_HOME/shanxi-analysis/cache.key`` (``~/.config/...``).  Never inside the cache folder."""
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "shanxi-analysis" / "cache.key"


_key_warned: set[str] = set()


def _key_problem(path: Path, why: str) -> None:
    if str(path) not in _key_warned:
        _key_warned.add(str(path))
        print(
            f"shanxi-analysis: warning: the disk cache is off: its key {path} {why}.",
            file=sys.stderr,
            flush=True,
        )


def _create_key(path: Path) -> None:
    """Write a new random key atomically with mode 0600 (a concurrent creator's key wins if it came first)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # atomic: never a half-written key
    finally:
        tmp.unlink(missing_ok=True)


def secret_key() -> bytes | None:
    """The cache's secret (created on first use), or None when there is no safe one, which turns the disk cache
    off: a key inside the cache folder, a key readable or writable by group or others or owned by another user,
    or a key that cannot be created or read (one warning line says which)."""
    path = key_path().expanduser().absolute()
    return _secret(path, cache_dir().absolute())


@lru_cache(maxsize=4)
def _secret(path: Path, cache: Path) -> bytes | None:
    if path.resolve().is_relative_to(cache.resolve()):
        _key_problem(path, f"is inside the cache folder {cache}, where whoever can forge an entry could read it")
        return None
    try:
        if not path.exists():
            _create_key(path)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        _key_problem(path, f"cannot be created or opened ({exc.strerror or exc})")
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            _key_problem(path, "is not a regular file")
            return None
        if st.st_uid != os.geteuid() or st.st_mode & 0o077:
            mode = stat.filemode(st.st_mode)
            _key_problem(path, f"must be owned by you with mode 0600 (it has {mode}); chmod 600 it")
            return None
        text = os.read(fd, 4096).strip()
    except OSError as exc:
        _key_problem(path, f"cannot be read ({exc.strerror or exc})")
        return None
    finally:
        os.close(fd)
    if len(text) < 32:
        _key_problem(path, "is too short (delete it to have a new one made)")
        return None
    return text


def _sign(key: bytes, entry: dict) -> str:
    fields = {k: entry.get(k) for k in ("dataset", "inputs", "file", "sha256", "bytes")}
    return hmac.new(key, json.dumps(fields, sort_keys=True).encode(), hashlib.sha256).hexdigest()


def _read_limited(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most ``limit`` (raises _Unusable for anything else; FileNotFoundError passes)."""
    try:
        return raw.read_regular(path, limit)
    except FileNotFoundError:
        raise
    except raw.NotARegularFile as exc:
        raise _Unusable(f"{path.name} {exc}") from None
    except OSError as exc:
        raise _Unusable(f"{path.name} is unreadable ({exc.strerror or exc})") from None


def enabled() -> bool:
    """False when ``SHANXI_ANALYSIS_CACHE=0``."""
    return os.environ.get("SHANXI_ANALYSIS_CACHE", "1") != "0"


def code_files(package: Path) -> list[Path]:
    """The files whose content the cached datasets depend on, in a fixed order: every file under
    ``package/data/`` (compiled ``__pycache__`` files excepted) and ``package/<m>`` for each of
    :data:`NEUTRAL_MODULES`."""
    stage = package / STAGE_DIR
    files = [
        f
        for f in stage.rglob("*")
        if f.is_file() and "__pycache__" not in f.relative_to(stage).parts and f.suffix not in (".pyc", ".pyo")
    ]
    return sorted(files, key=lambda f: f.relative_to(package).as_posix()) + [package / m for m in NEUTRAL_MODULES]


def code_key(package: Path) -> str:
    """A key for the code of the data stage in ``package`` (a ``shanxi_analysis/`` folder): the sha256, shortened
    to 16 hex digits, of the package version, this cache's :data:`FORMAT`, the pandas and pyarrow versions, and
    the path and content of every file of :func:`code_files`.  Any edit to one of them changes the key, and with
    it the name of every cache entry, so nothing built by other code is served."""
    import pyarrow

    h = hashlib.sha256(f"{config.VERSION}|{FORMAT}|{pd.__version__}|{pyarrow.__version__}".encode())
    for f in code_files(package):
        data = f.read_bytes()
        h.update(f"\0{f.relative_to(package).as_posix()}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """:func:`code_key` of the package in use, computed once per process."""
    return code_key(PACKAGE_DIR)


def _warn(name: str, where: Path, why: str) -> None:
    """The one line a discarded cache entry costs."""
    print(
        f"shanxi-analysis: warning: discarded the cached copy of dataset {name} ({where}: {why}); "
        f"rebuilt it from data/raw.",
        file=sys.stderr,
        flush=True,
    )


class _Unusable(Exception):
    """A cache entry that must not be served; the message says why."""


# ------------------------------------------------------------------------------------ object cells as tagged JSON
def _enc(v: Any) -> Any:
    if v is None or isinstance(v, (str, bool)):
        return v
    if isinstance(v, int) and type(v) is int:
        return v
    if type(v) is float:
        return v if math.isfinite(v) else {"$float": repr(v)}
    if isinstance(v, np.ndarray):
        if v.dtype.kind not in "biuf":
            raise TypeError(f"array of {v.dtype}")
        flat = (
            [x if math.isfinite(x) else repr(x) for x in v.astype(float).ravel().tolist()]
            if v.dtype.kind == "f"
            else v.ravel().tolist()
        )
        return {"$ndarray": flat, "dtype": v.dtype.str, "shape": list(v.shape)}
    if isinstance(v, np.generic):
        return {"$np": v.dtype.str, "v": _enc(v.item())}
    if type(v) is list:
        return [_enc(x) for x in v]
    if type(v) is tuple:
        return {"$tuple": [_enc(x) for x in v]}
    if type(v) is dict and all(type(k) is str for k in v):
        return {"$dict": {k: _enc(x) for k, x in v.items()}}
    raise TypeError(f"cannot store {type(v).__name__}")


def _dec(v: Any) -> Any:
    if isinstance(v, list):
        return [_dec(x) for x in v]
    if not isinstance(v, dict):
        return v
    if "$float" in v:
        return float(v["$float"])
    if "$ndarray" in v:
        flat = [float(x) if isinstance(x, str) else x for x in v["$ndarray"]]
        return np.asarray(flat, dtype=np.dtype(v["dtype"])).reshape(v["shape"])
    if "$np" in v:
        return np.dtype(v["$np"]).type(_dec(v["v"]))
    if "$tuple" in v:
        return tuple(_dec(x) for x in v["$tuple"])
    if "$dict" in v:
        return {k: _dec(x) for k, x in v["$dict"].items()}
    raise ValueError(f"unknown tag in {sorted(v)}")


def _same(a: Any, b: Any) -> bool:
    """Exact equality of cell values, arrays included (type, dtype, shape and values; NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if list(a.columns) != list(b.columns) or not a.index.equals(b.index) or type(a.index) is not type(b.index):
        return False
    if a.attrs != b.attrs:
        return False
    for col in a.columns:
        x, y = a[col], b[col]
        if x.dtype != y.dtype:
            return False
        if x.dtype == object:
            if not all(_same(p, q) for p, q in zip(x.tolist(), y.tolist(), strict=True)):
                return False
        else:
            try:
                pd.testing.assert_series_equal(x, y, check_exact=True)
            except AssertionError:
                return False
    return True


# ------------------------------------------------------------------------------------------- Parquet in and out
def _encode(df: pd.DataFrame, name: str, inputs: dict[str, str]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    plain = df.copy()
    plain.attrs = {}
    json_cols = [c for c in plain.columns if plain[c].dtype == object]
    for col in json_cols:
        plain[col] = pd.Series(
            [json.dumps(_enc(v), allow_nan=False, ensure_ascii=False) for v in plain[col]],
            index=plain.index,
            dtype=object,
        )
    table = pa.Table.from_pandas(plain, preserve_index=None, nthreads=1)
    meta = {
        "format": FORMAT,
        "dataset": name,
        "inputs": inputs,
        "json_columns": json_cols,
        "columns": [str(c) for c in df.columns],
        "rows": len(df),
        "attrs": df.attrs,
    }
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), _META_KEY: json.dumps(meta, allow_nan=False).encode()}
    )
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def _decode(data: bytes, name: str, inputs: dict[str, str]) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        # single-threaded: the tables are small, and Arrow's thread pools can abort the process at interpreter
        # exit ("terminate called without an active exception", apache/arrow#34314), seen here once in ~100 runs
        table = pq.read_table(pa.BufferReader(data), use_threads=False, pre_buffer=False)
        meta = json.loads((table.schema.metadata or {})[_META_KEY])
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds for a damaged file
        raise _Unusable(f"not a readable Parquet file of this cache ({type(exc).__name__})") from None
    if not isinstance(meta, dict) or meta.get("dataset") != name or meta.get("format") != FORMAT:
        raise _Unusable(
            f"the file holds dataset {meta.get('dataset') if isinstance(meta, dict) else '?'!r}, not {name!r}"
        )
    if meta.get("inputs") != inputs:
        raise _Unusable("the file was built from other raw files than its index entry says")
    try:
        df = table.to_pandas(use_threads=False)
        for col in meta["json_columns"]:
            df[col] = pd.Series([_dec(json.loads(v)) for v in df[col]], index=df.index, dtype=object)
        df.attrs = raw.records(meta["attrs"])
    except Exception as exc:  # noqa: BLE001
        raise _Unusable(f"the file does not decode ({type(exc).__name__})") from None
    if [str(c) for c in df.columns] != meta["columns"] or len(df) != meta["rows"]:
        raise _Unusable("columns or row count differ from what was written")
    return df


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _index_path(name: str) -> Path:
    where = hashlib.sha256(str(config.data_dir()).encode()).hexdigest()[:8]
    return cache_dir() / f"{name}.{_code_hash()}.{where}.json"


def _read_index(index: Path, key: bytes) -> dict | None:
    """The index entry, None when there is none; raises _Unusable when it exists but is broken or its HMAC does
    not verify with ``key``."""
    try:
        text = _read_limited(index, MAX_INDEX_BYTES)
    except FileNotFoundError:
        return None
    try:
        meta = json.loads(text.decode("utf-8"))
    except ValueError:
        raise _Unusable("the index entry is not valid JSON") from None
    ok = (
        isinstance(meta, dict)
        and isinstance(meta.get("inputs"), dict)
        and meta["inputs"]
        and all(isinstance(k, str) and isinstance(v, str) for k, v in meta["inputs"].items())
        and isinstance(meta.get("file"), str)
        and isinstance(meta.get("sha256"), str)
        and Path(meta["file"]).name == meta["file"]
        and meta["file"].endswith(".parquet")
    )
    if not ok:
        raise _Unusable("the index entry is incomplete or malformed")
    if not isinstance(meta.get("hmac"), str) or not hmac.compare_digest(meta["hmac"], _sign(key, meta)):
        raise _Unusable("the index entry is not signed with this machine's cache key (forged, or from another key)")
    return meta


def _load_cached(name: str, index: Path, key: bytes) -> pd.DataFrame | None:
    """The verified cached frame, None when there is no usable entry for the current inputs."""
    meta = _read_index(index, key)
    if meta is None:
        return None
    current = {}
    for res in meta["inputs"]:
        if res not in raw.manifest():
            return None  # built from a resource the manifest no longer has: stale, not corrupt
        raw.read_bytes(res)  # existence and checksum, with the usual errors
        current[res] = input_key(res)
    if current != meta["inputs"]:
        return None  # a raw file changed on purpose: rebuild quietly
    path = cache_dir() / meta["file"]
    try:
        data = _read_limited(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise _Unusable(f"its data file {meta['file']} is missing") from None
    if hashlib.sha256(data).hexdigest() != meta["sha256"]:
        raise _Unusable(f"{meta['file']} does not match the checksum recorded when it was written")
    return _decode(data, name, meta["inputs"])


def input_key(resource: str) -> str:
    """What a cached dataset depends on in one raw resource (:func:`~shanxi_analysis.data.raw.resource_key`: the
    file's sha256 and a digest of its manifest record), so an edit to the manifest's words alone is not served from
    the cache either."""
    return raw.resource_key(resource)


def load_or_build(name: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The dataset ``name`` from the disk cache if its inputs are unchanged and the cached file verifies,
    else ``build()`` and store it."""
    if not enabled():
        return build()
    key = secret_key()
    if key is None:
        return build()
    index = _index_path(name)
    try:
        df = _load_cached(name, index, key)
        if df is not None:
            return df
    except _Unusable as exc:
        _warn(name, index.parent, str(exc))
        with contextlib.suppress(OSError):
            index.unlink(missing_ok=True)
    with raw.track_reads() as used:
        df = build()
    _store(name, index, df, {res: input_key(res) for res in dict.fromkeys(used)}, key)
    return df


def _store(name: str, index: Path, df: pd.DataFrame, inputs: dict[str, str], key: bytes) -> None:
    """Write the Parquet file and then its index entry; store nothing that would not come back exactly."""
    if not inputs:
        return
    try:
        data = _encode(df, name, inputs)
        if not _frames_equal(_decode(data, name, inputs), df):
            return
    except (TypeError, ValueError, _Unusable):
        return  # a frame this format cannot hold exactly is simply not cached
    sha = hashlib.sha256(data).hexdigest()
    file = f"{name}.{_code_hash()}.{sha[:16]}.parquet"  # named by content: concurrent writers never disagree
    try:
        _write_atomic(cache_dir() / file, data)
        entry = {"dataset": name, "inputs": inputs, "file": file, "sha256": sha, "bytes": len(data)}
        _write_atomic(index, json.dumps({**entry, "hmac": _sign(key, entry)}).encode())
        for legacy in cache_dir().glob("*.pkl"):  # pickles of older versions are never read: remove them
            legacy.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only or full disk still works, just without the disk cache
