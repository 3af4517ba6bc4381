"""How a dataset function is made: the building blocks every loader in :mod:`.datasets`, :mod:`.panels` and
:mod:`.shapes` uses (CONTRIBUTING's "Add a dataset" recipe uses them too).

* :func:`dataset` registers a loader in :data:`LOADERS` and gives it the in-memory and on-disk caches;
* :func:`read_frame` reads a raw file (through :func:`~shanxi_analysis.data.raw.read_raw`) into a frame;
* :func:`to_province` turns the province names of a raw column into canonical names, every unknown one reported;
* :func:`adcodes` maps canonical names to adcodes;
* :func:`with_provenance` attaches the title, unit, processing note and manifest records (``df.attrs``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..errors import DataError, UnknownProvinceError
from . import cache, province_names, raw

#: Every registered dataset function by name (what :func:`dataset` returned), filled as the loaders are defined.
LOADERS: dict[str, Callable[[], pd.DataFrame]] = {}


def dataset(func: Callable[[], pd.DataFrame]) -> Callable[[], pd.DataFrame]:
    """Register ``func`` (no arguments, returns the validated frame) as the dataset of its name.

    The function returned builds the frame once per data folder (in memory, and on disk through
    :func:`~shanxi_analysis.data.cache.load_or_build`) and hands every caller a deep copy, so callers may modify
    what they get; :func:`clear_cache` forgets it.
    """
    name = func.__name__

    @lru_cache(maxsize=16)
    def cached(data_dir: Path) -> tuple[pd.DataFrame, tuple[str, ...]]:
        with raw.track_reads() as used:
            df = cache.load_or_build(name, func)
        return df, tuple(dict.fromkeys(used))

    def public() -> pd.DataFrame:
        df, used = cached(config.data_dir())
        # a dataset built from this one (reconciliation() inside fai_growth()) depends on the same raw files,
        # also when this one is served from memory: its disk cache must be keyed by them
        raw.note_dataset(name, used)
        out = df.copy(deep=True)
        # arrays inside object cells are not copied by pandas (str columns hold immutable strings: no copy needed)
        for col in [c for c in out.columns if out[c].dtype == np.dtype(object)]:
            out[col] = out[col].map(copy.deepcopy)
        out.attrs = copy.deepcopy(df.attrs)
        return out

    public.__name__ = name
    public.__qualname__ = name
    public.__doc__ = func.__doc__
    public.__module__ = func.__module__
    public.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    LOADERS[name] = public
    return public


def clear_cache() -> None:
    """Forget every dataset, manifest and province table held in memory (after editing raw files in a running
    session); the disk cache notices changed files by itself."""
    for f in LOADERS.values():
        f.cache_clear()  # type: ignore[attr-defined]
    raw.forget_manifest()
    province_names.forget_tables()


def read_frame(name: str) -> pd.DataFrame:
    """The raw file ``name`` (manifest name, without ``.csv``) as a frame with the manifest's columns, read and
    checked by :func:`~shanxi_analysis.data.raw.read_raw`."""
    return pd.DataFrame(raw.read_raw(name), columns=[f for f, _ in raw.resource(name).fields])


def with_provenance(
    df: pd.DataFrame, *resources: str, title: str, unit: str = "", processing: str = ""
) -> pd.DataFrame:
    """``df`` with ``attrs`` set: ``title``, ``unit``, ``processing`` (how the raw files became this table) and
    ``sources``, the manifest record (:meth:`~shanxi_analysis.data.raw.Resource.as_dict`) of each of
    ``resources``, the raw files it was built from."""
    df.attrs = {
        "title": title,
        "unit": unit,
        "processing": processing,
        "sources": [raw.resource(n).as_dict() for n in resources],
    }
    return df


def to_province(values: pd.Series, file: str, column: str) -> pd.Series:
    """Canonical English names for the province names in ``values`` (column ``column`` of ``data/raw/<file>``),
    with every unknown name in the file reported at once in one :class:`~shanxi_analysis.errors.DataError`."""
    out, bad = {}, []
    for v in values.unique():
        try:
            out[v] = province_names.normalize(v)
        except UnknownProvinceError as exc:
            bad.append(str(exc))
    if bad:
        raise DataError(
            f"data/raw/{file}: unknown province name(s) in column {column}:\n  - "
            + "\n  - ".join(bad)
            + "\nCorrect the name in the raw file, or add the spelling to data/raw/province_aliases.csv."
        )
    return values.map(out)


def adcodes() -> dict[str, int]:
    """Canonical English name -> 6-digit adcode, for the 31 provinces."""
    names = province_names.names()
    return dict(zip(names, [province_names.adcode(n) for n in names], strict=True))
