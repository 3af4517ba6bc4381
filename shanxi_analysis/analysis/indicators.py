"""What the notebooks compute about one province: its growth and rank in a year and over the series.

Nothing here reads files or draws: the notebooks load datasets with :mod:`shanxi_analysis.data.datasets`, pass
them in, and format the results with :mod:`shanxi_analysis.present`.  No helper fills a gap: a missing value
stays missing (``NaN``/``None``) and the caller says so in the text. The national figures are in
:mod:`.national`, the breakdowns, scale and evidence in :mod:`.structure`; ``shanxi_analysis.analysis.<name>``
reaches all of them.

=================================  =================================================================
helper                             question
=================================  =================================================================
:func:`check_year`                 is this year in the FAI series?
:func:`province_year`              how fast did the province's investment grow, and what rank?
:func:`year_table`                 every province's growth in a year, fastest first
:func:`rank_history`               the province's growth and rank over the whole series
:func:`best_years`                 the years of its best rank
:func:`last_as_good`               when did it last rank as well as in a given year?
:func:`scope_changes`              where does the indicator's scope change within the series?
:func:`national_growth`            China's growth in a year, in the scope comparable to provincial data
:func:`monthly_paths`              the month-by-month cumulative path, where the data has one
:func:`ahead_throughout`           was the province ahead of China in every month with both figures?
:func:`breakdown`                  Shanxi 2020 investment by sector or city, as published
:func:`scale_table`                growth against GDP (and GDP per head in the census year)
:func:`evidence_table`             an article claim beside the independent figures that bear on it
=================================  =================================================================
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ..errors import ParameterError


# --------------------------------------------------------------------------------------------- parameters
def check_year(year: Any, valid: tuple[int, int] | None = None) -> int:
    """Validate a report year against the FAI series.

    Parameters
    ----------
    year : int or str of digits
        The year asked for.
    valid : (int, int), optional
        First and last valid year; default :func:`shanxi_analysis.data.year_range` (the years of the FAI
        series).

    Returns
    -------
    int
        The year as an int.

    Raises
    ------
    ParameterError
        If the year is not a whole number or lies outside the series, naming the valid range.
    """
    if valid is None:
        from ..data.datasets import year_range

        valid = year_range()
    first, last = valid
    if (
        isinstance(year, bool)
        or not isinstance(year, (int, np.integer, str))
        or (isinstance(year, str) and not year.strip().isdigit())
    ):
        raise ParameterError(
            f"year must be a whole number between {first} and {last}, not "
            f"{type(year).__name__} {year!r}. Pass e.g. year=2020."
        )
    y = int(year)
    if not first <= y <= last:
        raise ParameterError(
            f"year {y} is outside the provincial FAI growth series, which covers {first}-{last}. "
            f"Choose a year between {first} and {last}."
        )
    return y


# --------------------------------------------------------------------------------------------- growth and rank
class ProvinceYear(NamedTuple):
    """One province's FAI growth in one year (``growth`` and ``rank`` are None where not published)."""

    province: str
    year: int
    growth: float | None
    rank: int | None
    n_ranked: int
    revision_artefact: bool
    flag_note: str | None
    scope_note: str | None


def none_if_missing(value: Any) -> Any:
    """``value``, or None where it is missing (None, NaN, ``pd.NA``, ``NaT``): a gap stays a gap, never 0."""
    return None if value is None or pd.isna(value) else value


def province_year(fai: pd.DataFrame, province: str, year: int) -> ProvinceYear:
    """The province's growth, rank and flags in a year.

    Parameters
    ----------
    fai : DataFrame
        :func:`shanxi_analysis.data.fai_growth`.
    province : str
        Canonical English name.
    year : int
        Year.

    Returns
    -------
    ProvinceYear
        ``n_ranked`` counts provinces with a value that year; ``growth``/``rank`` are None where the province
        has no value (e.g. Chongqing before 1997).
    """
    rows = fai[(fai["province"] == province) & (fai["year"] == year)]
    n = int(fai.loc[(fai["year"] == year), "fai_growth_pct"].notna().sum())
    if rows.empty:
        return ProvinceYear(province, int(year), None, None, n, False, None, None)
    r = rows.iloc[0]
    growth = none_if_missing(r["fai_growth_pct"])
    rank = none_if_missing(r["rank"])
    return ProvinceYear(
        province,
        int(year),
        None if growth is None else float(growth),
        None if rank is None else int(rank),
        n,
        bool(r["revision_artefact"]),
        none_if_missing(r["flag_note"]),
        none_if_missing(r["scope_note"]),
    )


def year_table(fai: pd.DataFrame, year: int) -> pd.DataFrame:
    """Every province with a value in ``year``, fastest growth first (ties in name order).

    Parameters
    ----------
    fai : DataFrame
        :func:`shanxi_analysis.data.fai_growth`.
    year : int
        Year.

    Returns
    -------
    DataFrame
        ``province, adcode, fai_growth_pct, rank, revision_artefact``; provinces without a value are left out
        (list them with :func:`missing_provinces`).  ``attrs`` are kept.
    """
    t = fai.loc[
        (fai["year"] == year) & fai["fai_growth_pct"].notna(),
        ["province", "adcode", "fai_growth_pct", "rank", "revision_artefact"],
    ]
    t = t.sort_values(["fai_growth_pct", "province"], ascending=[False, True], ignore_index=True)
    t.attrs = dict(fai.attrs)
    return t


def missing_provinces(fai: pd.DataFrame, year: int) -> list[str]:
    """Provinces with no published growth in ``year``, in name order."""
    return sorted(fai.loc[(fai["year"] == year) & fai["fai_growth_pct"].isna(), "province"])


def rank_history(fai: pd.DataFrame, province: str) -> pd.DataFrame:
    """The province's growth and rank in every year of the series.

    Parameters
    ----------
    fai : DataFrame
        :func:`shanxi_analysis.data.fai_growth`.
    province : str
        Canonical English name.

    Returns
    -------
    DataFrame
        One row per year: ``year, fai_growth_pct, rank, n_ranked, revision_artefact, flag_note, scope_note``.
        Years without a value keep NaN / <NA>.  ``attrs`` are kept.
    """
    n = fai.groupby("year")["fai_growth_pct"].count().rename("n_ranked")
    h = fai.loc[
        fai["province"] == province, ["year", "fai_growth_pct", "rank", "revision_artefact", "flag_note", "scope_note"]
    ]
    h = h.merge(n, left_on="year", right_index=True, how="left")
    h = h[["year", "fai_growth_pct", "rank", "n_ranked", "revision_artefact", "flag_note", "scope_note"]]
    h = h.sort_values("year", ignore_index=True)
    h.attrs = dict(fai.attrs)
    return h


def best_years(history: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`rank_history` with the province's best (smallest) rank.

    Returns
    -------
    DataFrame
        Empty if the province was never ranked.
    """
    ranked = history[history["rank"].notna()]
    if ranked.empty:
        return ranked
    return ranked[ranked["rank"] == ranked["rank"].min()].reset_index(drop=True)


def last_as_good(history: pd.DataFrame, year: int) -> int | None:
    """The latest year before ``year`` in which the province ranked as well as or better than in ``year``.

    Parameters
    ----------
    history : DataFrame
        :func:`rank_history`.
    year : int
        The year to compare with.

    Returns
    -------
    int or None
        None when ``year`` has no rank or no earlier year ranked as well (within the series shown).
    """
    this = history.loc[history["year"] == year, "rank"]
    if this.empty or pd.isna(this.iloc[0]):
        return None
    earlier = history[(history["year"] < year) & history["rank"].notna() & (history["rank"] <= this.iloc[0])]
    return None if earlier.empty else int(earlier["year"].max())


def scope_changes(history: pd.DataFrame) -> list[tuple[int, str]]:
    """Where the indicator's scope note changes: ``[(first year, scope note), ...]`` after the first period.

    Parameters
    ----------
    history : DataFrame
        :func:`rank_history` (or any frame with ``year`` and ``scope_note``).

    Returns
    -------
    list of (int, str)
    """
    h = history.sort_values("year")
    changed = h["scope_note"].ne(h["scope_note"].shift()) & h["scope_note"].shift().notna()
    return [(int(y), str(s)) for y, s in zip(h.loc[changed, "year"], h.loc[changed, "scope_note"], strict=True)]
