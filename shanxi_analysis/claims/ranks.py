"""Checks of the claims about Shanxi's rank among the provinces by FAI growth: its 2020 rank and whether that was
its best in two decades."""

from __future__ import annotations

import pandas as pd

from .. import analysis
from .. import numbers as fmt
from .article import PROVINCE, TWO_DECADES, YEAR
from .definitions import register_check
from .evidence import Finding, article_value, dataset_sources, pct_as_given, unverifiable

# --------------------------------------------------------------------------------------------- rank checks
_RANK_TOLERANCE = "exact: ranks are whole numbers (provinces with equal growth share the better rank)"


def _leaders(fai: pd.DataFrame, year: int) -> pd.DataFrame:
    t = analysis.year_table(fai, year)
    return t[t["rank"] == 1]


def _who_led(fai: pd.DataFrame, year: int) -> str:
    """``"Sichuan's 42.4%"`` (all leaders where tied)."""
    lead = _leaders(fai, year)
    return fmt.join(f"{r['province']}'s {pct_as_given(r['fai_growth_pct'])}" for _, r in lead.iterrows())


@register_check("rank_2020")
def check_rank_2020(claim: pd.Series, fai_growth: pd.DataFrame) -> Finding:
    """Shanxi's rank among the provinces by 2020 FAI growth against the article's rank.

    Parameters
    ----------
    claim : Series
        The claim's row of :func:`~shanxi_analysis.datasets.article_claims`.
    fai_growth : DataFrame
        :func:`~shanxi_analysis.datasets.fai_growth` (its ``rank`` column: 1 = fastest, ties share the better rank).

    Returns
    -------
    Finding
        ``data_value`` is the rank; exact comparison.
    """
    art = article_value(claim)
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    if py.rank is None or py.growth is None:
        return unverifiable(
            _RANK_TOLERANCE,
            f"The NBS provincial table has no {YEAR} growth for {PROVINCE}, so no rank.",
            f"NBS's {YEAR} FAI growth for every province.",
            dataset_sources(fai_growth),
        )
    ok = py.rank == art
    t = analysis.year_table(fai_growth, YEAR)
    tied = t[(t["rank"] == py.rank) & (t["province"] != PROVINCE)]
    text = (
        f"In NBS's provincial table {PROVINCE}'s {pct_as_given(py.growth)} ranked {fmt.ordinal(py.rank)} of "
        f"{py.n_ranked} provinces in {YEAR}"
        + (f" (tied with {fmt.join(tied['province'])})" if not tied.empty else "")
        + (", as the article says; " if ok else f", not {fmt.ordinal(int(art))} as the article says; ")
        + (f"the fastest was {_who_led(fai_growth, YEAR)}." if py.rank != 1 else "it was the fastest itself.")
    )
    ahead = t[(t["rank"] < py.rank) & t["revision_artefact"]]
    if not ahead.empty:
        text += f" Caveat: {fmt.join(ahead['province'])} ahead of it carry a data-revision flag."
    return Finding(
        float(py.rank),
        "confirmed" if ok else "contradicted",
        _RANK_TOLERANCE,
        text,
        "",
        dataset_sources(fai_growth),
        shown=(fmt.ordinal(int(art)), f"{fmt.ordinal(py.rank)} of {py.n_ranked}"),
    )


_TWO_DECADES_RULE = (
    f"two decades read as the 20 years {TWO_DECADES[0]}-{TWO_DECADES[1]}; a record claim is contradicted when "
    f"another year ranked better and misleading when another year ranked equally (the rank stands, the record "
    "does not)"
)


@register_check("best_rank_two_decades")
def check_best_rank_two_decades(claim: pd.Series, fai_growth: pd.DataFrame) -> Finding:
    """Whether Shanxi's 2020 rank was its best in the 20 years before (2000-2019).

    Parameters
    ----------
    claim : Series
        The claim's row of :func:`~shanxi_analysis.datasets.article_claims`.
    fai_growth : DataFrame
        :func:`~shanxi_analysis.datasets.fai_growth`.

    Returns
    -------
    Finding
        ``data_value`` is the number of years since Shanxi last ranked at least as well within the window, or the
        window's length (20) if it never did; misleading when a year in the window ranked as well (a tie: the
        rank stands, the record does not), contradicted when one ranked better.
        The evidence names those years and carries the series' scope changes as a caveat.
    """
    first, last = TWO_DECADES
    length = last - first + 1
    hist = analysis.rank_history(fai_growth, PROVINCE)
    this = analysis.province_year(fai_growth, PROVINCE, YEAR)
    if this.rank is None:
        return unverifiable(
            _TWO_DECADES_RULE,
            f"The NBS provincial table has no {YEAR} rank for {PROVINCE}.",
            f"NBS's {YEAR} FAI growth for every province.",
            dataset_sources(fai_growth),
        )
    window = hist[hist["year"].between(first, last)]
    as_good = window[window["rank"].notna() & (window["rank"] <= this.rank)]
    unranked = window.loc[window["rank"].isna(), "year"].astype(int).tolist()
    changes = [(y, s) for y, s in analysis.scope_changes(hist) if first <= y <= YEAR]
    caveat = ""
    if changes:
        caveat = (
            f" Caveat: the indicator's scope changed in {fmt.join(str(y) for y, _ in changes)} (e.g. rural "
            "households excluded, project threshold raised), so ranks compare provinces within each year on "
            "that year's definition."
        )
    if unranked:
        caveat += f" No rank exists for {fmt.join(str(y) for y in unranked)}."
    if as_good.empty:
        before = analysis.last_as_good(hist, YEAR)
        earlier = (
            f"; the last time before that was {before}, {fmt.plural(YEAR - before, 'year')} earlier"
            if before is not None
            else ""
        )
        text = (
            f"{PROVINCE} ranked {fmt.ordinal(this.rank)} in {YEAR} and no year from {first} to {last} ranked as "
            f"well (its best in the window was {fmt.ordinal(int(window['rank'].min()))}" + earlier + ")."
            if window["rank"].notna().any()
            else f"{PROVINCE} ranked {fmt.ordinal(this.rank)} in {YEAR}; the window {first}-{last} has no ranks."
        )
        return Finding(float(length), "confirmed", _TWO_DECADES_RULE, text + caveat, "", dataset_sources(fai_growth))
    latest = int(as_good["year"].max())
    years = fmt.join(
        f"{int(r['year'])} ({fmt.ordinal(int(r['rank']))}, {pct_as_given(r['fai_growth_pct'])}"
        + (f", behind {_who_led(fai_growth, int(r['year']))}" if int(r["rank"]) > 1 else "")
        + ")"
        for _, r in as_good.sort_values("year").iterrows()
    )
    tie = bool((as_good["rank"] == this.rank).all())
    text = (
        f"{PROVINCE} ranked {fmt.ordinal(this.rank)} in {YEAR}, but it had ranked as well"
        + ("" if tie else " or better")
        + f" in {years}, {fmt.plural(YEAR - latest, 'year')} earlier, so {YEAR} "
        + (
            "only equalled its best rank of the two decades: the rank stands, the record does not."
            if tie
            else "did not beat its best rank of the two decades."
        )
    )
    return Finding(
        float(YEAR - latest),
        "misleading" if tie else "contradicted",
        _TWO_DECADES_RULE,
        text + caveat,
        "",
        dataset_sources(fai_growth),
        "independent data",
    )
