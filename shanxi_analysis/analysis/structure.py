"""What investment was made of and how it compares: published breakdowns, growth against GDP, correlation, an
article claim beside the independent figures. Pure functions on frames; no gap is filled.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .indicators import is_flagged, none_if_missing

#: The year of the population census whose counts :func:`scale_table` divides by.
CENSUS_YEAR = 2020


# --------------------------------------------------------------------------------------------- Shanxi detail
def breakdown(inv: pd.DataFrame, kind: str) -> pd.DataFrame:
    """One breakdown of Shanxi's 2020 investment as published, fastest growth first.

    Parameters
    ----------
    inv : DataFrame
        :func:`shanxi_analysis.data.shanxi_investment_2020`.
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
    t = inv.loc[
        inv["breakdown"] == kind,
        [
            "name_en",
            "name_zh",
            "amount_100m_yuan",
            "growth_pct",
            "share_pct",
            "share_of",
            "derived",
            "note",
            "source_url",
        ],
    ]
    t = t.sort_values(["growth_pct", "name_en"], ascending=[False, True], na_position="last", ignore_index=True)
    t.attrs = dict(inv.attrs)
    return t


# --------------------------------------------------------------------------------------------- scale
def scale_table(gdp: pd.DataFrame, pop: pd.DataFrame, fai: pd.DataFrame, year: int) -> pd.DataFrame:
    """FAI growth beside the size of each province's economy in ``year``.

    Parameters
    ----------
    gdp : DataFrame
        :func:`shanxi_analysis.data.gdp`; only the ``revised`` vintage is used.
    pop : DataFrame
        :func:`shanxi_analysis.data.population` (the 2020 census).
    fai : DataFrame
        :func:`shanxi_analysis.data.fai_growth`.
    year : int
        Year.

    Returns
    -------
    DataFrame
        One row per province with both a GDP and a published growth value in ``year``: ``province, adcode,
        fai_growth_pct, flag, gdp_100m_yuan, population, gdp_per_capita_yuan``; a flagged growth value
        (revision artefact, failed check) is NaN, its kind in ``flag``: it is no growth to set against size
        (Liaoning's -63.5% of 2016), while the province's GDP still counts in :func:`size_rank`.  GDP per head
        is computed only for the census year (:data:`CENSUS_YEAR`, population counted on 2020-11-01) and is NaN
        in every other year, since no population figure for other years is in the data.  Empty when the GDP
        series (2004-2023) has no value for ``year``.  ``attrs["sources"]`` joins the sources of the inputs used
        (population only in the census year).
    """
    g = gdp.loc[(gdp["vintage"] == "revised") & (gdp["year"] == year), ["province", "gdp_100m_yuan"]]
    rows = fai.loc[(fai["year"] == year) & fai["fai_growth_pct"].notna()]
    flagged = is_flagged(rows)
    f = rows[["province", "adcode"]].assign(
        fai_growth_pct=rows["fai_growth_pct"].where(~flagged),
        flag=rows["flag"].where(flagged) if "flag" in rows else None,
    )
    t = f.merge(g.dropna(), on="province", how="inner").merge(
        pop[["province", "population"]], on="province", how="left"
    )
    if year == CENSUS_YEAR:
        t["gdp_per_capita_yuan"] = t["gdp_100m_yuan"] * 1e8 / t["population"]
    else:
        t["gdp_per_capita_yuan"] = np.nan
    t = t[["province", "adcode", "fai_growth_pct", "flag", "gdp_100m_yuan", "population", "gdp_per_capita_yuan"]]
    t = t.sort_values("province", ignore_index=True)
    used = (fai, gdp, pop) if year == CENSUS_YEAR else (fai, gdp)  # population is used only for GDP per head
    srcs = [s for d in used for s in d.attrs.get("sources", [])]
    t.attrs = {"sources": srcs, "census_year": CENSUS_YEAR}
    return t


def size_rank(scale: pd.DataFrame, province: str, column: str) -> tuple[int, int] | None:
    """Where ``province`` ranks by the size of its economy in :func:`scale_table` (``column``: GDP or GDP per head),
    largest first, and among how many: ``(rank, n)``; tied values share the better rank; None without its value."""
    values = pd.to_numeric(scale[column], errors="coerce")
    have = scale.loc[values.notna(), "province"]
    if province not in set(have):
        return None
    ranks = values[values.notna()].rank(ascending=False, method="min")
    return int(ranks[have == province].iloc[0]), len(have)


def correlation(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson correlation of two equal-length sequences, ignoring pairs with a missing value.

    Returns
    -------
    float or None
        None with fewer than three complete pairs or zero variance.
    """
    a = pd.DataFrame(
        {
            "x": pd.to_numeric(pd.Series(list(x)), errors="coerce"),
            "y": pd.to_numeric(pd.Series(list(y)), errors="coerce"),
        }
    ).dropna()
    if len(a) < 3 or a["x"].std() == 0 or a["y"].std() == 0:
        return None
    return float(np.corrcoef(a["x"], a["y"])[0, 1])


def size_correlation(scale: pd.DataFrame, size: str) -> float | None:
    """Spearman's rank correlation across the provinces of :func:`scale_table` between investment growth and
    ``size`` (``gdp_100m_yuan`` or ``gdp_per_capita_yuan``): Pearson's correlation of the ranks (ties share the
    mean rank).  The scatter draws size on a log axis, which ranks do not depend on, and no single province sets
    it: in 2021 Tibet alone, the smallest economy and the steepest fall, lifted Pearson's coefficient on log GDP to
    0.41 against 0.10 for the ranks.  None as :func:`correlation`."""
    x = pd.to_numeric(scale[size], errors="coerce")
    y = pd.to_numeric(scale["fai_growth_pct"], errors="coerce")
    both = pd.DataFrame({"x": x, "y": y}).dropna()
    return correlation(both["x"].rank().tolist(), both["y"].rank().tolist())


# --------------------------------------------------------------------------------------------- claims
def evidence_table(claims: pd.DataFrame, figures: pd.DataFrame, claim_ids: Sequence[str]) -> pd.DataFrame:
    """The article's figure for each claim beside the independent figures that bear on it.

    Parameters
    ----------
    claims : DataFrame
        :func:`shanxi_analysis.data.article_claims` (``claim_id, quote, article_value, unit``).
    figures : DataFrame
        :func:`shanxi_analysis.data.independent_figures`.
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
        raise ParameterError(
            f"Unknown claim id(s) {unknown}; valid ids are listed in "
            "data/raw/article_claims.csv (datasets.article_claims())."
        )
    rows: list[dict[str, Any]] = []
    for cid in claim_ids:
        c = claims[claims["claim_id"] == cid].iloc[0]
        ind = figures[figures["claim_id"] == cid]
        matched = bool(ind["comparable"].any()) if not ind.empty else False
        rows.append(
            {
                "claim_id": cid,
                "label": "article (independently matched)" if matched else "article only",
                "value": none_if_missing(c["article_value"]),
                "unit": c["unit"],
                "what": c["quote"],
                "comparable": True,
                "derived": False,
                "source": "China Daily, 2021-03-26",
            }
        )
        for _, f in ind.iterrows():
            rows.append(
                {
                    "claim_id": cid,
                    "label": "independently sourced",
                    "value": none_if_missing(f["value"]),
                    "unit": f["unit"],
                    "what": f["what"],
                    "comparable": bool(f["comparable"]),
                    "derived": bool(f["derived"]),
                    "source": f"{f['source_desc']} <{f['source_url']}>",
                }
            )
    return pd.DataFrame(rows, columns=["claim_id", "label", "value", "unit", "what", "comparable", "derived", "source"])


def compare(a: float | None, b: float | None) -> str | None:
    """``"higher"``, ``"lower"`` or ``"equal"`` for ``a`` against ``b``; None if either is missing."""
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return None
    for word, op in (("higher", operator.gt), ("lower", operator.lt)):
        if op(a, b):
            return word
    return "equal"
