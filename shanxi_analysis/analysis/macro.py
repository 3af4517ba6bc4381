"""Investment against the economy: FAI as a share of GRP and per head, real FAI growth with the FAI price index
(DERIVED), against the real growth of GRP; and what of that the data cannot say for a province and year.

Takes already-loaded datasets (:mod:`shanxi_analysis.data.datasets`); :mod:`shanxi_analysis.present.economy`
turns the results into sentences. No helper fills a gap: a missing value stays missing.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..data import reconcile
from .indicators import drawn_flagged, is_flagged, shown_gap


# --------------------------------------------------------------------------------------------- the economy
def usable_price_index(price: pd.DataFrame) -> pd.DataFrame:
    """The FAI price indices that pass the reconciliation check :func:`~shanxi_analysis.data.reconcile.
    price_index_range` (an index no economy produces is a typing or unit error: it deflates nothing)."""
    bad = reconcile.price_index_range(price)
    if bad.empty:
        return price
    key = pd.MultiIndex.from_frame(price[["province", "year"]])
    return price[~key.isin(pd.MultiIndex.from_frame(bad[["province", "year"]].astype({"year": int})))]


def _value(df: pd.DataFrame | None, province: str, year: int, column: str) -> float | None:
    if df is None:
        return None
    v = df.loc[(df["province"] == province) & (df["year"] == year), column]
    return None if v.empty or pd.isna(v.iloc[0]) else float(v.iloc[0])


def real_growth(nominal_pct: float | None, price_index: float | None) -> float | None:
    """Nominal growth deflated by a price index (previous year = 100): ``(1 + g/100) / (P/100) * 100 - 100``.

    None when either is missing.  A DERIVED figure: arithmetic on two published ones.
    """
    if nominal_pct is None or price_index is None or pd.isna(nominal_pct) or pd.isna(price_index):
        return None
    return (1 + float(nominal_pct) / 100) / (float(price_index) / 100) * 100 - 100


class Economy(NamedTuple):
    """Investment against the economy for one province and year; None where the data has no figure."""

    province: str
    year: int
    fai_growth: float | None
    fai_level: float | None  # 100 million yuan, for scale only
    level_break: str | None  # why the level is not comparable with the previous year's
    gdp: float | None  # revised GRP, 100 million yuan
    fai_share_of_gdp: float | None  # %
    population_10k: float | None
    fai_per_head: float | None  # yuan
    price_index: float | None  # previous year = 100
    has_price_index: bool  # False for a province NBS never published one for (Tibet)
    real_fai_growth: float | None  # DERIVED
    real_grp_growth: float | None  # %, from the index
    gfcf: float | None  # 100 million yuan
    gfcf_share_of_gdp: float | None  # %
    fai_to_gfcf: float | None  # FAI level / GFCF
    fai_growth_flag: str | None = None  # the flag of the year's published growth (fai_growth is then None)
    share_caveat: str | None = None  # the reconciliation caveat on fai_share_of_gdp (above 100% of GRP)
    nominal_grp_growth: float | None = None  # %, DERIVED from two years of revised GRP in current prices
    growth_gap: float | None = None  # investment growth minus GRP growth, like with like, from the shown figures
    growth_basis: str | None = None  # "real" (real FAI against real GRP) or "nominal" (nominal against nominal)
    gfcf_growth: float | None = None  # %, DERIVED from two years of GFCF levels in current prices


def economy(
    province: str,
    year: int,
    *,
    fai: pd.DataFrame,
    level: pd.DataFrame,
    gdp: pd.DataFrame,
    population: pd.DataFrame,
    price: pd.DataFrame,
    gfcf: pd.DataFrame,
    grp: pd.DataFrame,
) -> Economy:
    """Investment against the economy in ``year``: its share of GRP and per head (level years), real growth
    with the FAI price index, real GRP growth, and gross fixed capital formation, wherever the data has them.

    Like with like: ``growth_gap`` sets real investment growth (DERIVED) against real GRP growth where both
    exist, else nominal investment growth against nominal GRP growth (DERIVED from the revised GRP levels); it
    is computed from the figures as shown (one decimal).  A flagged growth value is not used (``fai_growth`` is
    None, ``fai_growth_flag`` says why); ``share_caveat`` is the reconciliation caveat on a share of GRP above
    100%; ``gfcf_growth`` (DERIVED) is GFCF's change from the year before, in current prices.

    Parameters are the datasets :func:`~shanxi_analysis.data.fai_growth`, ``fai_level``, ``gdp``,
    ``population_yearend``, ``fai_price_index``, ``gfcf`` and ``grp_real_growth``.
    """
    g = gdp[gdp["vintage"] == "revised"] if "vintage" in gdp else gdp
    row = fai[(fai["province"] == province) & (fai["year"] == year)]
    flag = None
    if not row.empty and bool(is_flagged(row).iloc[0]) and pd.notna(row["fai_growth_pct"].iloc[0]):
        flag = str(row["flag"].iloc[0]) if "flag" in row and pd.notna(row["flag"].iloc[0]) else "flagged"
    growth = None if flag else _value(fai, province, year, "fai_growth_pct")  # a flagged value is no finding
    lvl = _value(level, province, year, "fai_100m_yuan")
    notes = level.loc[(level["province"] == province) & (level["year"] == year), "break_note"]
    brk = None if notes.empty or pd.isna(notes.iloc[0]) else str(notes.iloc[0])
    y = _value(g, province, year, "gdp_100m_yuan")
    pop = _value(population, province, year, "population_10k")
    pi = _value(usable_price_index(price), province, year, "index_prev_year_100")
    grp_i = _value(grp, province, year, "index_prev_year_100")
    cap = _value(gfcf, province, year, "gfcf_100m_yuan")
    before = _value(g, province, year - 1, "gdp_100m_yuan")
    nominal_grp = None if y is None or before is None else (y / before - 1) * 100
    real_fai = real_growth(growth, pi)
    real_grp = None if grp_i is None else grp_i - 100
    if real_fai is not None and real_grp is not None:
        gap, basis = shown_gap(real_fai, real_grp), "real"
    elif growth is not None and nominal_grp is not None:
        gap, basis = shown_gap(growth, nominal_grp), "nominal"
    else:
        gap, basis = None, None
    caveat = None
    if lvl is not None and y is not None:
        found = reconcile.ratio_to_grp(
            pd.DataFrame({"province": [province], "year": [year], "fai_100m_yuan": [lvl]}),
            pd.DataFrame({"province": [province], "year": [year], "gdp_100m_yuan": [y], "vintage": ["revised"]}),
        )
        caveat = None if found.empty else str(found["note"].iloc[0])
    return Economy(
        province,
        int(year),
        growth,
        lvl,
        brk,
        y,
        None if lvl is None or y is None else lvl / y * 100,
        pop,
        None if lvl is None or pop is None else lvl * 1e8 / (pop * 1e4),
        pi,
        province in set(price["province"]),
        real_fai,
        real_grp,
        cap,
        None if cap is None or y is None else cap / y * 100,
        None if cap is None or lvl is None else lvl / cap,
        flag,
        caveat,
        nominal_grp,
        gap,
        basis,
        _value(reconcile.gfcf_growth(gfcf), province, year, "gfcf_growth"),
    )


def economy_history(province: str, *, fai: pd.DataFrame, price: pd.DataFrame, grp: pd.DataFrame) -> pd.DataFrame:
    """Year by year: nominal FAI growth, real FAI growth (DERIVED, where a price index exists), real GRP growth.

    Columns ``year, fai_growth_pct, real_fai_growth_pct, real_grp_growth_pct, revision_artefact, flagged, flag``;
    gaps stay NaN; a flagged value is kept as published (``flagged``, its kind in ``flag``) and has no real growth.
    """
    h = fai.loc[fai["province"] == province].assign(flagged=lambda d: is_flagged(d))
    h = h.reindex(columns=["year", "fai_growth_pct", "revision_artefact", "flagged", "flag"])
    price = usable_price_index(price)
    pi = price.loc[price["province"] == province, ["year", "index_prev_year_100"]]
    gi = grp.loc[grp["province"] == province, ["year", "index_prev_year_100"]].rename(
        columns={"index_prev_year_100": "grp_index"}
    )
    t = h.merge(pi, on="year", how="left").merge(gi, on="year", how="outer").sort_values("year", ignore_index=True)
    t["flagged"] = t["flagged"].fillna(False).astype(bool)
    t["real_fai_growth_pct"] = [
        np.nan if f or (r := real_growth(g, i)) is None else r
        for g, i, f in zip(t["fai_growth_pct"], t["index_prev_year_100"], t["flagged"], strict=True)
    ]
    t["real_grp_growth_pct"] = t["grp_index"] - 100
    t["revision_artefact"] = t["revision_artefact"].fillna(False).astype(bool)
    t = t[
        ["year", "fai_growth_pct", "real_fai_growth_pct", "real_grp_growth_pct", "revision_artefact", "flagged", "flag"]
    ]
    t.attrs = {"sources": [s for d in (fai, price, grp) for s in d.attrs.get("sources", [])]}
    return t


class EconomyRanges(NamedTuple):
    """How far a province's investment growth and its economy's real growth ranged over the years of
    :func:`economy_history` (the economy chart): flagged investment figures left out, every tied year named."""

    fai_low: float | None
    fai_low_years: list[int]
    fai_high: float | None
    fai_high_years: list[int]
    fai_first: int | None  # the first and last years with a usable investment figure
    fai_last: int | None
    fai_left_out: list[int]  # years whose flagged investment figure the chart draws as published, not counted
    grp_low: float | None
    grp_low_years: list[int]
    grp_high: float | None
    grp_high_years: list[int]
    grp_first: int | None  # the first and last years with the economy's real growth
    grp_last: int | None


def economy_ranges(hist: pd.DataFrame) -> EconomyRanges:
    """The lowest and highest nominal investment growth and real GRP growth in ``hist``, each with its years
    (:func:`economy_history`); None where the series has no figure."""
    fai_low, fai_low_years, fai_high, fai_high_years, fai_first, fai_last = _range_of(
        hist.loc[~hist["flagged"] & hist["fai_growth_pct"].notna()], "fai_growth_pct"
    )
    grp_low, grp_low_years, grp_high, grp_high_years, grp_first, grp_last = _range_of(
        hist.loc[hist["real_grp_growth_pct"].notna()], "real_grp_growth_pct"
    )
    return EconomyRanges(
        fai_low, fai_low_years, fai_high, fai_high_years, fai_first, fai_last,
        sorted(int(y) for y in hist.loc[drawn_flagged(hist), "year"]),  # drawn as published (no 1995 shares)
        grp_low, grp_low_years, grp_high, grp_high_years, grp_first, grp_last,
    )  # fmt: skip


def _range_of(
    rows: pd.DataFrame, col: str
) -> tuple[float | None, list[int], float | None, list[int], int | None, int | None]:
    """The lowest and highest ``col`` of ``rows`` (years with a figure), the years at each, and the first and last
    year; None and [] without a row."""
    if rows.empty:
        return None, [], None, [], None, None
    low, high = float(rows[col].min()), float(rows[col].max())

    def years_at(value: float) -> list[int]:
        return sorted(int(y) for y in rows.loc[rows[col] == value, "year"])

    return low, years_at(low), high, years_at(high), int(rows["year"].min()), int(rows["year"].max())
