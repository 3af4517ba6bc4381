"""Checks of the claims about Shanxi's rank among the provinces by FAI growth: its 2020 rank and whether that was
its best in two decades."""

from __future__ import annotations

import pandas as pd

from .. import analysis
from ..messages import Message
from .article import PROVINCE, TWO_DECADES, YEAR
from .definitions import register_check
from .evidence import Finding, article_value, dataset_sources, decimals_as_given, given, unverifiable

# --------------------------------------------------------------------------------------------- rank checks
_RANK_TOLERANCE = Message("claims.ranks.tolerance")


def _leaders(fai: pd.DataFrame, year: int) -> pd.DataFrame:
    t = analysis.year_table(fai, year)
    return t[t["rank"] == 1]


def _who_led(fai: pd.DataFrame, year: int) -> list[dict[str, object]]:
    """The province(s) that ranked first (all leaders where tied), as facts of a message: each with its province,
    growth and the growth's digits ("Sichuan's 42.4%")."""
    lead = _leaders(fai, year)
    return [
        {
            "province": r["province"],
            "growth": float(r["fai_growth_pct"]),
            "digits": decimals_as_given(r["fai_growth_pct"]),
        }
        for _, r in lead.iterrows()
    ]


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
            Message("claims.ranks.no_growth", year=YEAR, province=PROVINCE),
            Message("claims.ranks.settle", year=YEAR),
            dataset_sources(fai_growth),
        )
    ok = py.rank == art
    t = analysis.year_table(fai_growth, YEAR)
    tied = t[(t["rank"] == py.rank) & (t["province"] != PROVINCE)]
    text = [
        Message(
            "claims.ranks.rank",
            province=PROVINCE,
            year=YEAR,
            rank=py.rank,
            n_ranked=py.n_ranked,
            tied=list(tied["province"]),
            agrees=ok,
            article_rank=int(art),
            leaders=_who_led(fai_growth, YEAR),
            **given(growth=py.growth),
        )
    ]
    ahead = t[(t["rank"] < py.rank) & t["revision_artefact"]]
    if not ahead.empty:
        text.append(Message("claims.ranks.revision_caveat", names=list(ahead["province"])))
    return Finding(
        float(py.rank),
        "confirmed" if ok else "contradicted",
        _RANK_TOLERANCE,
        tuple(text),
        (),
        dataset_sources(fai_growth),
        shown=(
            Message("claims.shown.rank", rank=int(art), n_ranked=None),
            Message("claims.shown.rank", rank=py.rank, n_ranked=py.n_ranked),
        ),
    )


_TWO_DECADES_RULE = Message(
    "claims.ranks.two_decades_rule",
    n_years=TWO_DECADES[1] - TWO_DECADES[0] + 1,
    first=TWO_DECADES[0],
    last=TWO_DECADES[1],
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
        rank stands, but it is no new best), contradicted when one ranked better.
        The evidence names those years and carries the series' scope changes as a caveat.
    """
    first, last = TWO_DECADES
    length = last - first + 1
    hist = analysis.rank_history(fai_growth, PROVINCE)
    this = analysis.province_year(fai_growth, PROVINCE, YEAR)
    if this.rank is None:
        return unverifiable(
            _TWO_DECADES_RULE,
            Message("claims.ranks.no_rank", year=YEAR, province=PROVINCE),
            Message("claims.ranks.settle", year=YEAR),
            dataset_sources(fai_growth),
        )
    window = hist[hist["year"].between(first, last)]
    as_good = window[window["rank"].notna() & (window["rank"] <= this.rank)]
    unranked = window.loc[window["rank"].isna(), "year"].astype(int).tolist()
    changes = [(y, s) for y, s in analysis.scope_changes(hist) if first <= y <= YEAR]
    caveat: list[Message] = []
    if changes:
        caveat.append(Message("claims.ranks.scope_caveat", years=[y for y, _ in changes]))
    if unranked:
        caveat.append(Message("claims.ranks.unranked", years=unranked))
    if as_good.empty:
        text = Message(
            "claims.ranks.record",
            province=PROVINCE,
            rank=this.rank,
            year=YEAR,
            first=first,
            last=last,
            best_rank=int(window["rank"].min()) if window["rank"].notna().any() else None,
            previous=analysis.last_as_good(hist, YEAR),
        )
        return Finding(float(length), "confirmed", _TWO_DECADES_RULE, (text, *caveat), (), dataset_sources(fai_growth))
    latest = int(as_good["year"].max())
    years = [
        {
            "year": int(r["year"]),
            "rank": int(r["rank"]),
            "growth": float(r["fai_growth_pct"]),
            "digits": decimals_as_given(r["fai_growth_pct"]),
            "leaders": _who_led(fai_growth, int(r["year"])) if int(r["rank"]) > 1 else [],
        }
        for _, r in as_good.sort_values("year").iterrows()
    ]
    tie = bool((as_good["rank"] == this.rank).all())
    text = Message(
        "claims.ranks.equalled", province=PROVINCE, rank=this.rank, year=YEAR, as_good=years, tie=tie, latest=latest
    )
    return Finding(
        float(YEAR - latest),
        "misleading" if tie else "contradicted",
        _TWO_DECADES_RULE,
        (text, *caveat),
        (),
        dataset_sources(fai_growth),
        "independent data",
    )
