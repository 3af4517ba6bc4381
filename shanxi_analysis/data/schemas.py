"""What columns does each dataset have?  One pandera model per cleaned dataset, checked on every load.

Models are ``strict`` (no unexpected columns) and ``coerce`` (dtypes enforced); :func:`validate` runs them with
``lazy=True`` so every problem is reported at once, and turns pandera's report into a
:class:`~shanxi_analysis.errors.DataError` naming the raw file(s), the columns and the offending rows.
The models themselves are in :mod:`.models`; pandera is imported only when a dataset is first validated.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..errors import DataError

REGIONS = ["East", "Central", "West", "Northeast"]
NATIONAL_SCOPES = ["whole society", "urban", "excluding rural households"]
NAME_EN = r"^[A-Z][A-Za-z' -]*$"
NAME_ZH = r"^[\u4e00-\u9fff]+$"
CLAIM_ID = r"^[a-z0-9_]+$"  # used in links and HTML ids
FIELDS = ["all", "infrastructure", "manufacturing", "real estate development"]


def check_names(rows: list[dict], file: str) -> list[dict]:
    """The rows of the province table after checking its names are plain letters (they are used as canonical
    names in every report, so a name carrying markup must stop the build); raises a :class:`DataError`
    naming the file, the line and the column."""
    import re

    bad = [
        f"line {i}, column {col}: {r.get(col)!r}"
        for i, r in enumerate(rows, start=2)
        for col, pattern in (("name_en", NAME_EN), ("name_zh", NAME_ZH), ("name_zh_full", NAME_ZH))
        if not isinstance(r.get(col), str) or not re.match(pattern, r[col])
    ]
    if bad:
        raise DataError(
            f"{file}: province name(s) that are not plain names: {'; '.join(bad[:10])}. English "
            "names use letters, spaces, '-' and apostrophes; Chinese names only Han characters. "
            "Correct the file."
        )
    return rows


def model(name: str) -> Any:
    """The pandera ``DataFrameModel`` class named ``name`` (e.g. ``"FaiGrowth"``), from :mod:`.models` (imported,
    with pandera, on first use)."""
    from .models import MODELS

    return MODELS[name]


def _plain(value: Any) -> Any:
    """numpy scalars as plain Python values, so messages read ``year=2020`` not ``np.int64(2020)``."""
    return value.item() if hasattr(value, "item") else value


def validate(df: pd.DataFrame, model_name: str, files: list[str], key: list[str] | None = None) -> pd.DataFrame:
    """Validate ``df`` against a model, reporting every failure at once as a :class:`DataError`.

    ``files`` names the raw files the dataset was built from; ``key`` names the columns that identify a row in
    the message (for example province and year).
    """
    import pandera.errors as pae

    try:
        return model(model_name).validate(df, lazy=True)
    except pae.SchemaErrors as exc:
        cases = exc.failure_cases
        lines = []
        for _, case in cases.head(20).iterrows():
            col = case.get("column")
            idx = case.get("index")
            where = ""
            if key and idx is not None and not pd.isna(idx) and idx in df.index:
                where = " at " + ", ".join(f"{k}={_plain(df.at[idx, k])!r}" for k in key if k in df.columns)
            lines.append(
                f"  - column {col!s}: check {case.get('check')!s} failed{where} (value {case.get('failure_case')!r})"
            )
        more = f"\n  ... and {len(cases) - 20} more" if len(cases) > 20 else ""
        raise DataError(
            f"{model_name} built from {', '.join(files)} failed validation ({len(cases)} problem(s)):\n"
            + "\n".join(lines)
            + more
            + "\nCorrect the raw file(s) named above; each value must be as published."
        ) from None
