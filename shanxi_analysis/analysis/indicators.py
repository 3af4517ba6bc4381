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

from ..data import reconcile
from ..errors import ParameterError
from ..numbers import rounded


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
    """One province's FAI growth in one year (``growth`` and ``rank`` are None where not published, and where
    the value is flagged: ``published`` then keeps the value as published, ``flag`` and ``flag_note`` say why it
    is not a finding)."""

    province: str
    year: int
    growth: float | None
    rank: int | None
    n_ranked: int
    revision_artefact: bool
    flag_note: str | None
    scope_note: str | None
    flagged: bool = False
    flag: str | None = None
    published: float | None = None


def is_flagged(frame: pd.DataFrame) -> pd.Series:
    """The rows of a frame from :func:`shanxi_analysis.data.fai_growth` (or built from it) whose value is
    flagged: its ``flagged`` column, or ``revision_artefact`` in a frame that has no ``flagged``; False where
    neither exists.  A flagged value is kept as published and never used as a finding (rank, median, range,
    boom, bust, best or worst year, peer comparison)."""
    for col in ("flagged", "revision_artefact"):
        if col in frame:
            return frame[col].fillna(False).astype(bool)
    return pd.Series(False, index=frame.index)


def drawn_flagged(frame: pd.DataFrame) -> pd.Series:
    """The flagged values (:func:`is_flagged`) a growth chart draws as published (crosses, never joined): all but
    those that are no growth rate at all, such as 1995's shares of national investment (flag ``shares, not
    growth``), which on a growth axis would read as growth (Jiangsu's 9.0% share as 9% growth)."""
    flag = frame["flag"] if "flag" in frame else pd.Series(None, index=frame.index, dtype=object)
    return is_flagged(frame) & frame["fai_growth_pct"].notna() & (flag != reconcile.FLAG_KINDS["shares_as_growth"])


def flagged_values(fai: pd.DataFrame, year: int | None = None, province: str | None = None) -> pd.DataFrame:
    """The flagged values of ``fai`` (of one year and/or province): ``province, year, fai_growth_pct, flag,
    flag_note``, in year and province order."""
    t = fai[is_flagged(fai) & fai["fai_growth_pct"].notna()]
    if year is not None:
        t = t[t["year"] == year]
    if province is not None:
        t = t[t["province"] == province]
    cols = ["province", "year", "fai_growth_pct", "flag", "flag_note"]
    return t.reindex(columns=cols).sort_values(["year", "province"], ignore_index=True)


def shown_gap(a: float | None, b: float | None, digits: int = 1) -> float | None:
    """``a - b`` computed from the two figures as they are shown (rounded to ``digits`` decimals, as
    :mod:`shanxi_analysis.numbers` writes them), so a stated gap always equals the difference of the rounded
    figures beside it; None where either is missing."""
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return None
    return rounded(rounded(float(a), digits) - rounded(float(b), digits), digits)


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
        ``n_ranked`` counts provinces with an unflagged value that year; ``growth``/``rank`` are None where the
        province has no value (e.g. Chongqing before 1997) or its value is flagged (``published`` keeps it).
    """
    rows = fai[(fai["province"] == province) & (fai["year"] == year)]
    this_year = fai[fai["year"] == year]
    n = int((this_year["fai_growth_pct"].notna() & ~is_flagged(this_year)).sum())
    if rows.empty:
        return ProvinceYear(province, int(year), None, None, n, False, None, None)
    r = rows.iloc[0]
    flagged = bool(is_flagged(rows).iloc[0])
    published = none_if_missing(r["fai_growth_pct"])
    growth = None if flagged else published
    rank = None if flagged else none_if_missing(r["rank"])
    return ProvinceYear(
        province,
        int(year),
        None if growth is None else float(growth),
        None if rank is None else int(rank),
        n,
        bool(r["revision_artefact"]),
        none_if_missing(r["flag_note"]),
        none_if_missing(r["scope_note"]),
        flagged,
        none_if_missing(r.get("flag")),
        None if published is None else float(published),
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
        ``province, adcode, fai_growth_pct, rank, revision_artefact, flagged, flag``; provinces without a value
        are left out (list them with :func:`missing_provinces`); flagged values are kept as published, unranked.
        ``attrs`` are kept.
    """
    t = fai.loc[(fai["year"] == year) & fai["fai_growth_pct"].notna()].copy()
    t["flagged"] = is_flagged(t)
    t = t.reindex(columns=["province", "adcode", "fai_growth_pct", "rank", "revision_artefact", "flagged", "flag"])
    t = t.sort_values(["fai_growth_pct", "province"], ascending=[False, True], ignore_index=True)
    t.attrs = dict(fai.attrs)
    return t


def tied_extreme(table: pd.DataFrame, *, lowest: bool = False) -> tuple[str, ...]:
    """The provinces of ``table`` (one year's figures, fastest first, as :func:`year_table` sorts them) that share
    its highest growth figure (``lowest``: its lowest), in the table's order: two provinces tied at the top are both
    the fastest.  Empty for an empty table."""
    if table.empty:
        return ()
    growth = table["fai_growth_pct"]
    edge = growth.iloc[-1] if lowest else growth.iloc[0]
    return tuple(str(p) for p in table.loc[growth == edge, "province"])


def tied_with(table: pd.DataFrame, province: str) -> tuple[str, ...]:
    """The other provinces of ``table`` (one year's figures, :func:`year_table`) with the same usable growth figure
    as ``province``, in the table's order: the provinces sharing its rank.  Empty when its figure is its own, or it
    has no usable one (flagged values are not growth)."""
    usable = table[~is_flagged(table) & table["fai_growth_pct"].notna()]
    mine = usable.loc[usable["province"] == province, "fai_growth_pct"]
    if mine.empty:
        return ()
    same = usable[(usable["fai_growth_pct"] == mine.iloc[0]) & (usable["province"] != province)]
    return tuple(str(p) for p in same["province"])


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
        One row per year: ``year, fai_growth_pct, rank, n_ranked, revision_artefact, flagged, flag, flag_note,
        scope_note, rank_shared`` (``n_ranked``: provinces with an unflagged value that year; ``rank_shared``: how many
        other provinces' usable figures equal the province's that year, 0 for none: a rank shared is joint).  Years
        without a value keep NaN / <NA>; a flagged value is kept as published, with no rank.  ``attrs`` are kept.
    """
    f = fai.assign(flagged=is_flagged(fai))
    n = f[~f["flagged"]].groupby("year")["fai_growth_pct"].count().rename("n_ranked")
    usable = f[~f["flagged"] & f["fai_growth_pct"].notna()]
    counts = usable.groupby(["year", "fai_growth_pct"])["province"].transform("size") - 1
    shared = dict(zip(zip(usable["year"], usable["province"], strict=True), counts, strict=True))
    cols = ["year", "fai_growth_pct", "rank", "revision_artefact", "flagged", "flag", "flag_note", "scope_note"]
    h = f.loc[f["province"] == province].reindex(columns=cols)
    h = h.merge(n, left_on="year", right_index=True, how="left")
    h["n_ranked"] = h["n_ranked"].fillna(0).astype(int)
    h = h[["year", "fai_growth_pct", "rank", "n_ranked", *cols[3:]]]
    h["rank_shared"] = [int(shared.get((y, province), 0)) for y in h["year"]]
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
    ranked = history[history["rank"].notna() & ~is_flagged(history)]
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
    earlier = history[
        (history["year"] < year) & history["rank"].notna() & ~is_flagged(history) & (history["rank"] <= this.iloc[0])
    ]
    return None if earlier.empty else int(earlier["year"].max())


def scope_changes(history: pd.DataFrame) -> list[tuple[int, str]]:
    """Where the indicator's scope note changes: ``[(first year, scope note), ...]`` after the first period; with a
    ``fai_growth_pct`` column, after the first year with a figure (Chongqing's series starts in 1997, the year of a
    change for the provinces with earlier figures: not a break in its own series).

    Parameters
    ----------
    history : DataFrame
        :func:`rank_history` (or any frame with ``year`` and ``scope_note``).

    Returns
    -------
    list of (int, str)
    """
    h = history.sort_values("year")
    if "fai_growth_pct" in h and h["fai_growth_pct"].notna().any():
        h = h[h["year"] >= h.loc[h["fai_growth_pct"].notna(), "year"].min()]
    changed = h["scope_note"].ne(h["scope_note"].shift()) & h["scope_note"].shift().notna()
    return [(int(y), str(s)) for y, s in zip(h.loc[changed, "year"], h.loc[changed, "scope_note"], strict=True)]
