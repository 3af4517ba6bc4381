"""How are repeat loads made cheap?  An on-disk cache of validated datasets, keyed by content.

A dataset is rebuilt (read, cleaned, validated with pandera) only when one of the raw files it was built from,
the package code, or the pandas version changes.  On every load the raw files it depends on are still checked
against the manifest (:func:`shanxi_analysis.sources.read_bytes`), so a missing or altered file fails exactly as
without the cache.  The cache lives in ``$SHANXI_ANALYSIS_CACHE_DIR`` or ``<project>/.cache/datasets`` (ignored by
git, safe to delete); set ``SHANXI_ANALYSIS_CACHE=0`` to disable it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd

from . import __version__, config, sources

_CODE_FILES = ("cache.py", "datasets.py", "schemas.py", "sources.py", "provinces.py")


def cache_dir() -> Path:
    """The folder holding cached datasets."""
    env = os.environ.get("SHANXI_ANALYSIS_CACHE_DIR")
    return Path(env) if env else config.PROJ_ROOT / ".cache" / "datasets"


def enabled() -> bool:
    """False when ``SHANXI_ANALYSIS_CACHE=0``."""
    return os.environ.get("SHANXI_ANALYSIS_CACHE", "1") != "0"


@lru_cache(maxsize=1)
def _code_hash() -> str:
    h = hashlib.sha256(f"{__version__}|{pd.__version__}".encode())
    here = Path(__file__).parent
    for name in _CODE_FILES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


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


def load_or_build(name: str, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The dataset ``name`` from the disk cache if its inputs are unchanged, else ``build()`` and store it."""
    if not enabled():
        return build()
    where = hashlib.sha256(str(config.data_dir()).encode()).hexdigest()[:8]
    index = cache_dir() / f"{name}.{_code_hash()}.{where}.json"
    try:
        meta = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = None
    if meta is not None:
        current = {}
        for res in meta["inputs"]:
            sources.read_bytes(res)  # existence and checksum, with the usual errors
            current[res] = sources.resource(res).sha256
        if current == meta["inputs"]:
            try:
                return pickle.loads((cache_dir() / meta["file"]).read_bytes())
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                pass
    with sources.track_reads() as used:
        df = build()
    inputs = {res: sources.resource(res).sha256 for res in dict.fromkeys(used)}
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:16]
    file = f"{name}.{_code_hash()}.{digest}.pkl"
    try:
        _write_atomic(cache_dir() / file, pickle.dumps(df, protocol=pickle.HIGHEST_PROTOCOL))
        _write_atomic(index, json.dumps({"inputs": inputs, "file": file}).encode())
    except OSError:
        pass  # a read-only checkout still works, just without the disk cache
    return df
