"""What the notebooks compute: pure DataFrame-in, result-out helpers behind the narrative reports.

Nothing here reads files or draws: the notebooks load datasets with :mod:`shanxi_analysis.datasets`, pass them in,
and format the results with :mod:`shanxi_analysis.fmt`.  No helper fills a gap: a missing value stays missing
(``NaN``/``None``) and the caller says so in the text.

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

import operator
from typing import Any, NamedTuple, Sequence

import numpy as np
import pandas as pd

from ..errors import ParameterError

#: The year of the population census whose counts :func:`scale_table` divides by.
CENSUS_YEAR = 2020

#: National scopes in order of preference: the one comparable to the provincial series first.
NATIONAL_SCOPE_PREFERENCE = ("excluding rural households", "whole society", "urban")


# --------------------------------------------------------------------------------------------- parameters
def check_year(year: Any, valid: tuple[int, int] | None = None) -> int:
    """Validate a report year against the FAI series.

    Parameters
    ----------
    year : int or str of digits
        The year asked for.
    valid : (int, int), optional
        First and last valid year; default :func:`shanxi_analysis.datasets.year_range` (the years of the FAI series).

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
    if isinstance(year, bool) or not isinstance(year, (int, np.integer, str)) or (
            isinstance(year, str) and not year.strip().isdigit()):
        raise ParameterError(f"year must be a whole number between {first} and {last}, not "
                             f"{type(year).__name__} {year!r}. Pass e.g. year=2020.")
    y = int(year)
    if not first <= y <= last:
        raise ParameterError(f"year {y} is outside the provincial FAI growth series, which covers {first}-{last}. "
                             f"Choose a year between {first} and {last}.")
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


def _none_if_missing(value: Any) -> Any:
    return None if value is None or pd.isna(value) else value


def province_year(fai: pd.DataFrame, province: str, year: int) -> ProvinceYear:
    """The province's growth, rank and flags in a year.

    Parameters
    ----------
    fai : DataFrame
        :func:`shanxi_analysis.datasets.fai_growth`.
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
    growth = _none_if_missing(r["fai_growth_pct"])
    rank = _none_if_missing(r["rank"])
    return ProvinceYear(province, int(year), None if growth is None else float(growth),
                        None if rank is None else int(rank), n, bool(r["revision_artefact"]),
                        _none_if_missing(r["flag_note"]), _none_if_missing(r["scope_note"]))


def year_table(fai: pd.DataFrame, year: int) -> pd.DataFrame:
    """Every province with a value in ``year``, fastest growth first (ties in name order).

    Parameters
    ----------
    fai : DataFrame
        :func:`shanxi_analysis.datasets.fai_growth`.
    year : int
        Year.

    Returns
    -------
    DataFrame
        ``province, adcode, fai_growth_pct, rank, revision_artefact``; provinces without a value are left out
        (list them with :func:`missing_provinces`).  ``attrs`` are kept.
    """
    t = fai.loc[(fai["year"] == year) & fai["fai_growth_pct"].notna(),
                ["province", "adcode", "fai_growth_pct", "rank", "revision_artefact"]]
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
        :func:`shanxi_analysis.datasets.fai_growth`.
    province : str
        Canonical English name.

    Returns
    -------
    DataFrame
        One row per year: ``year, fai_growth_pct, rank, n_ranked, revision_artefact, flag_note, scope_note``.
        Years without a value keep NaN / <NA>.  ``attrs`` are kept.
    """
    n = fai.groupby("year")["fai_growth_pct"].count().rename("n_ranked")
    h = fai.loc[fai["province"] == province,
                ["year", "fai_growth_pct", "rank", "revision_artefact", "flag_note", "scope_note"]]
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
    return [(int(y), str(s)) for y, s in zip(h.loc[changed, "year"], h.loc[changed, "scope_note"])]


# --------------------------------------------------------------------------------------------- national
class NationalGrowth(NamedTuple):
    """China's FAI growth in one year and the scope it covers."""

    year: int
    value: float
    scope: str
    derived: bool

    @property
    def label(self) -> str:
        """``"China, excluding rural households"`` (``", DERIVED"`` appended for derived figures)."""
        return f"China, {self.scope}" + (" (DERIVED)" if self.derived else "")


def national_growth(nat: pd.DataFrame, year: int) -> NationalGrowth | None:
    """China's growth in ``year`` in the scope comparable to the provincial series.

    Parameters
    ----------
    nat : DataFrame
        :func:`shanxi_analysis.datasets.national_fai_growth`.
    year : int
        Year.

    Returns
    -------
    NationalGrowth or None
        The first scope found in :data:`NATIONAL_SCOPE_PREFERENCE` (excluding rural households, else whole
        society, else urban); None when no national figure exists for that year.
    """
    rows = nat[(nat["year"] == year) & nat["growth_pct"].notna()]
    for scope in NATIONAL_SCOPE_PREFERENCE:
        hit = rows[rows["scope"] == scope]
        if not hit.empty:
            r = hit.iloc[0]
            return NationalGrowth(int(year), float(r["growth_pct"]), scope, bool(r["derived"]))
    return None


# --------------------------------------------------------------------------------------------- 2020 in months
class MonthlyPaths(NamedTuple):
    """Cumulative growth paths for a year: ``national`` and ``province`` frames, or None where absent."""

    national: pd.DataFrame | None
    province: pd.DataFrame | None


def monthly_paths(monthly: pd.DataFrame, province: str, year: int) -> MonthlyPaths:
    """The national and provincial cumulative year-to-date paths for ``year``, where the data has them.

    Parameters
    ----------
    monthly : DataFrame
        :func:`shanxi_analysis.datasets.fai_monthly_2020` (``region`` is ``China`` or a province).
    province : str
        Canonical English name.
    year : int
        Year.

    Returns
    -------
    MonthlyPaths
        Each frame has ``end_month, period, cum_growth_pct, status, derived, source_desc`` sorted by month;
        the province's frame keeps its "not found" months as NaN rows.  None where the data has no rows.
    """
    cols = ["end_month", "period", "cum_growth_pct", "status", "derived", "source_desc"]

    def pick(region: str) -> pd.DataFrame | None:
        rows = monthly[(monthly["region"] == region) & (monthly["year"] == year)]
        if rows.empty:
            return None
        out = rows[cols].sort_values("end_month", ignore_index=True)
        out.attrs = dict(monthly.attrs)
        return out

    return MonthlyPaths(pick("China"), None if province == "China" else pick(province))


def ahead_throughout(province: pd.DataFrame, national: pd.DataFrame) -> bool | None:
    """Whether the province's cumulative growth exceeded the national figure in every period where both exist.

    Parameters
    ----------
    province, national : DataFrame
        :func:`monthly_paths` frames (``end_month``, ``cum_growth_pct``).

    Returns
    -------
    bool or None
        None when no period has both figures.
    """
    both = province.merge(national, on="end_month", suffixes=("_p", "_n"))
    both = both.dropna(subset=["cum_growth_pct_p", "cum_growth_pct_n"])
    if both.empty:
        return None
    return bool((both["cum_growth_pct_p"] > both["cum_growth_pct_n"]).all())


# --------------------------------------------------------------------------------------------- Shanxi detail
def breakdown(inv: pd.DataFrame, kind: str) -> pd.DataFrame:
    """One breakdown of Shanxi's 2020 investment as published, fastest growth first.

    Parameters
    ----------
    inv : DataFrame
        :func:`shanxi_analysis.datasets.shanxi_investment_2020`.
    kind : str
        A value of its ``breakdown`` column: ``sector``, ``city``, ``city total FAI``, ``structure`` ...

    Returns
    -------
    DataFrame
        ``name_en, name_zh, amount_100m_yuan, growth_pct, share_pct, share_of, derived, note, source_url``;
        ``attrs`` kept.

    Raises
    ------
    ParameterError
        If ``kind`` is not one of the published breakdowns.
    """
    kinds = sorted(inv["breakdown"].unique())
    if kind not in kinds:
        raise ParameterError(f"No breakdown {kind!r} in shanxi_investment_2020(); choose one of {kinds}.")
    t = inv.loc[inv["breakdown"] == kind,
                ["name_en", "name_zh", "amount_100m_yuan", "growth_pct", "share_pct", "share_of", "derived", "note",
                 "source_url"]]
    t = t.sort_values(["growth_pct", "name_en"], ascending=[False, True], na_position="last", ignore_index=True)
    t.attrs = dict(inv.attrs)
    return t


# --------------------------------------------------------------------------------------------- scale
def scale_table(gdp: pd.DataFrame, pop: pd.DataFrame, fai: pd.DataFrame, year: int) -> pd.DataFrame:
    """FAI growth beside the size of each province's economy in ``year``.

    Parameters
    ----------
    gdp : DataFrame
        :func:`shanxi_analysis.datasets.gdp`; only the ``revised`` vintage is used.
    pop : DataFrame
        :func:`shanxi_analysis.datasets.population` (the 2020 census).
    fai : DataFrame
        :func:`shanxi_analysis.datasets.fai_growth`.
    year : int
        Year.

    Returns
    -------
    DataFrame
        One row per province with both a GDP and a growth value in ``year``: ``province, adcode,
        fai_growth_pct, gdp_100m_yuan, population, gdp_per_capita_yuan``.  GDP per head is computed only for
        the census year (:data:`CENSUS_YEAR`, population counted on 2020-11-01) and is NaN in every other year,
        since no population figure for other years is in the data.  Empty when the GDP series (2004-2023)
        has no value for ``year``.  ``attrs["sources"]`` joins the sources of the inputs used (population
        only in the census year).
    """
    g = gdp.loc[(gdp["vintage"] == "revised") & (gdp["year"] == year), ["province", "gdp_100m_yuan"]]
    f = fai.loc[(fai["year"] == year) & fai["fai_growth_pct"].notna(), ["province", "adcode", "fai_growth_pct"]]
    t = f.merge(g.dropna(), on="province", how="inner").merge(pop[["province", "population"]], on="province",
                                                              how="left")
    if year == CENSUS_YEAR:
        t["gdp_per_capita_yuan"] = t["gdp_100m_yuan"] * 1e8 / t["population"]
    else:
        t["gdp_per_capita_yuan"] = np.nan
    t = t[["province", "adcode", "fai_growth_pct", "gdp_100m_yuan", "population", "gdp_per_capita_yuan"]]
    t = t.sort_values("province", ignore_index=True)
    used = (fai, gdp, pop) if year == CENSUS_YEAR else (fai, gdp)  # population is used only for GDP per head
    srcs = [s for d in used for s in d.attrs.get("sources", [])]
    t.attrs = {"sources": srcs, "census_year": CENSUS_YEAR}
    return t


def correlation(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson correlation of two equal-length sequences, ignoring pairs with a missing value.

    Returns
    -------
    float or None
        None with fewer than three complete pairs or zero variance.
    """
    a = pd.DataFrame({"x": pd.to_numeric(pd.Series(list(x)), errors="coerce"),
                      "y": pd.to_numeric(pd.Series(list(y)), errors="coerce")}).dropna()
    if len(a) < 3 or a["x"].std() == 0 or a["y"].std() == 0:
        return None
    return float(np.corrcoef(a["x"], a["y"])[0, 1])


# --------------------------------------------------------------------------------------------- claims
def evidence_table(claims: pd.DataFrame, figures: pd.DataFrame, claim_ids: Sequence[str]) -> pd.DataFrame:
    """The article's figure for each claim beside the independent figures that bear on it.

    Parameters
    ----------
    claims : DataFrame
        :func:`shanxi_analysis.datasets.article_claims` (``claim_id, quote, article_value, unit``).
    figures : DataFrame
        :func:`shanxi_analysis.datasets.independent_figures`.
    claim_ids : sequence of str
        The claims to show, in this order.

    Returns
    -------
    DataFrame
        One row per figure: ``claim_id, label, value, unit, what, comparable, derived, source``.  The article's
        own figure is labelled ``"article only"`` unless an independent figure measuring the same thing
        (``comparable``) exists, then ``"article (independently matched)"``; figures from other sources are
        ``"independently sourced"``.  ``what`` is the quote for the article's rows.

    Raises
    ------
    ParameterError
        If a claim id is not in ``claims``.
    """
    unknown = [c for c in claim_ids if c not in set(claims["claim_id"])]
    if unknown:
        raise ParameterError(f"Unknown claim id(s) {unknown}; valid ids are listed in "
                             "data/raw/article_claims.csv (datasets.article_claims()).")
    rows: list[dict[str, Any]] = []
    for cid in claim_ids:
        c = claims[claims["claim_id"] == cid].iloc[0]
        ind = figures[figures["claim_id"] == cid]
        matched = bool(ind["comparable"].any()) if not ind.empty else False
        rows.append({"claim_id": cid, "label": "article (independently matched)" if matched else "article only",
                     "value": _none_if_missing(c["article_value"]), "unit": c["unit"], "what": c["quote"],
                     "comparable": True, "derived": False, "source": "China Daily, 2021-03-26"})
        for _, f in ind.iterrows():
            rows.append({"claim_id": cid, "label": "independently sourced", "value": _none_if_missing(f["value"]),
                         "unit": f["unit"], "what": f["what"], "comparable": bool(f["comparable"]),
                         "derived": bool(f["derived"]), "source": f"{f['source_desc']} <{f['source_url']}>"})
    return pd.DataFrame(rows, columns=["claim_id", "label", "value", "unit", "what", "comparable", "derived",
                                       "source"])


def compare(a: float | None, b: float | None) -> str | None:
    """``"higher"``, ``"lower"`` or ``"equal"`` for ``a`` against ``b``; None if either is missing."""
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return None
    for word, op in (("higher", operator.gt), ("lower", operator.lt)):
        if op(a, b):
            return word
    return "equal"
