"""How a dataset function is made: the registry and in-memory cache of loaders (:func:`dataset`), reading a raw
file into a frame, attaching provenance, and province names checked against the canonical list.
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
from . import cache as _cache
from . import names as _prov
from . import sources

# --------------------------------------------------------------------------------------------- caching
_LOADERS: dict[str, Callable[[], pd.DataFrame]] = {}


def _dataset(func: Callable[[], pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """Register a loader; the public function returns a deep copy of the cached, validated frame."""
    name = func.__name__

    @lru_cache(maxsize=16)
    def cached(data_dir: Path) -> pd.DataFrame:
        return _cache.load_or_build(name, func)

    def public() -> pd.DataFrame:
        df = cached(config.data_dir())
        out = df.copy(deep=True)
        # arrays inside object cells are not copied by pandas (str columns hold immutable strings: no copy needed)
        for col in [c for c in out.columns if out[c].dtype == np.dtype(object)]:
            out[col] = out[col].map(copy.deepcopy)
        out.attrs = copy.deepcopy(df.attrs)
        return out

    public.__name__ = name
    public.__qualname__ = name
    public.__doc__ = func.__doc__
    public.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    _LOADERS[name] = public
    return public


def clear_cache() -> None:
    """Forget every cached dataset (after editing raw files in a running session)."""
    for f in _LOADERS.values():
        f.cache_clear()  # type: ignore[attr-defined]
    sources._manifest.cache_clear()
    _prov._table.cache_clear()
    _prov._lookup.cache_clear()


def _frame(name: str) -> pd.DataFrame:
    return pd.DataFrame(sources.read_raw(name), columns=[f for f, _ in sources.resource(name).fields])


def _attrs(df: pd.DataFrame, *names: str, title: str, unit: str = "", processing: str = "") -> pd.DataFrame:
    df.attrs = {
        "title": title,
        "unit": unit,
        "processing": processing,
        "sources": [sources.resource(n).as_dict() for n in names],
    }
    return df


def _to_province(values: pd.Series, file: str, column: str) -> pd.Series:
    """Canonical English names, with every unknown name in the file reported at once."""
    out, bad = {}, []
    for v in values.unique():
        try:
            out[v] = _prov.normalize(v)
        except UnknownProvinceError as exc:
            bad.append(str(exc))
    if bad:
        raise DataError(
            f"data/raw/{file}: unknown province name(s) in column {column}:\n  - "
            + "\n  - ".join(bad)
            + "\nCorrect the name in the raw file, or add the spelling to data/raw/province_aliases.csv."
        )
    return values.map(out)


def _adcodes() -> dict[str, int]:
    return dict(zip(_prov.names(), [_prov.adcode(n) for n in _prov.names()], strict=True))
