"""Checks of the claims about FAI growth: Shanxi's rate, the national figure and the comparison of the two (the
pandemic path is in :mod:`.pandemic`, the bureau's words in :mod:`.bureau`, the rank claims in :mod:`.ranks`)."""

from __future__ import annotations

import re

import pandas as pd

from .. import analysis
from .. import numbers as fmt
from ..messages import Message
from .article import MUCH_HIGHER_MIN_GAP_PP, MUCH_HIGHER_MIN_RATIO, ONE_DECIMAL_PP, PROVINCE, YEAR
from .definitions import register_check
from .evidence import (
    EPS,
    Finding,
    article_value,
    cite,
    dataset_sources,
    decimals_as_given,
    given,
    is_publisher,
    pct_shown,
    unverifiable,
    within,
)

# --------------------------------------------------------------------------------------------- growth checks
_GROWTH_TOLERANCE = Message("claims.growth.tolerance")


@register_check("fai_growth_2020")
def check_fai_growth_2020(claim: pd.Series, fai_growth: pd.DataFrame, fai_crosschecks: pd.DataFrame) -> Finding:
    """Shanxi's 2020 FAI growth in the NBS provincial table against the article's figure.

    Parameters
    ----------
    claim : Series
        The claim's row of :func:`~shanxi_analysis.datasets.article_claims`.
    fai_growth, fai_crosschecks : DataFrame
        The datasets of the same names.

    Returns
    -------
    Finding
        ``data_value`` is the NBS growth; the verdict compares it within ±0.05 pp.  The independent Shanxi
        Statistics Bureau figure (:func:`~shanxi_analysis.datasets.fai_crosschecks`) is named in the evidence.
    """
    art = article_value(claim)
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    cross = fai_crosschecks[(fai_crosschecks["province"] == PROVINCE) & (fai_crosschecks["year"] == YEAR)]
    cross_src = tuple(
        cite(r["source_desc"], r["source_url"])
        for _, r in cross.iterrows()
        if not is_publisher(r["source_desc"], r["source_url"])
    )
    if py.growth is None:
        return unverifiable(
            _GROWTH_TOLERANCE,
            Message("claims.growth.no_province_growth", province=PROVINCE, year=YEAR),
            Message("claims.growth.settle_province", province=PROVINCE, year=YEAR),
            dataset_sources(fai_growth) + cross_src,
        )
    ok = within(py.growth, art, ONE_DECIMAL_PP)
    text = [
        Message(
            "claims.growth.province",
            province=PROVINCE,
            year=YEAR,
            agrees=ok,
            **given(growth=py.growth, article=art, gap=py.growth - art),
        )
    ]
    for _, r in cross.iterrows():
        same = within(r["fai_growth_pct"], py.growth, ONE_DECIMAL_PP)
        if is_publisher(r["source_desc"], r["source_url"]):
            text.append(Message("claims.growth.publisher_report", **given(growth=r["fai_growth_pct"])))
        else:
            text.append(
                Message(
                    "claims.growth.crosscheck",
                    source=r["source_desc"],
                    agrees=same,
                    **given(growth=r["fai_growth_pct"]),
                )
            )
    return Finding(
        py.growth,
        "confirmed" if ok else "contradicted",
        _GROWTH_TOLERANCE,
        tuple(text),
        (),
        dataset_sources(fai_growth) + cross_src,
        shown=(pct_shown(art), pct_shown(py.growth)),
    )


def _national_rows(nat: pd.DataFrame, year: int) -> pd.DataFrame:
    return nat[(nat["year"] == year) & nat["growth_pct"].notna()]


def _national_sources(nat: pd.DataFrame, year: int, scopes: list[str]) -> tuple[str, ...]:
    rows = _national_rows(nat, year)
    rows = rows[rows["scope"].isin(scopes)]
    return tuple(cite(f"NBS via {r['source_desc']}", r["source_url"]) for _, r in rows.iterrows())


def _publisher_gap(fai_crosschecks: pd.DataFrame, figure: float) -> bool:
    """Whether the article's publisher, in a later report of Shanxi's 2020 growth (a row of ``fai_crosschecks``),
    gives ``figure`` as Shanxi's lead over the national rate (its description: "(+7.7pp vs national)")."""
    rows = fai_crosschecks[(fai_crosschecks["province"] == PROVINCE) & (fai_crosschecks["year"] == YEAR)]
    for desc, url in zip(rows["source_desc"], rows["source_url"], strict=True):
        m = re.search(r"\+(\d+(?:\.\d+)?)pp vs national", str(desc))
        if is_publisher(desc, url) and m and within(float(m[1]), figure, ONE_DECIMAL_PP):
            return True
    return False


@register_check("national_average_2020")
def check_national_average_2020(
    claim: pd.Series, fai_growth: pd.DataFrame, national_fai_growth: pd.DataFrame, fai_crosschecks: pd.DataFrame
) -> Finding:
    """China's 2020 FAI growth (the scope comparable to the provincial table) against the article's "national
    average".

    Parameters
    ----------
    claim : Series
        The claim's row of :func:`~shanxi_analysis.datasets.article_claims`.
    fai_growth, national_fai_growth : DataFrame
        The datasets of the same names.
    fai_crosschecks : DataFrame
        Where the article's publisher later gave the same figure as Shanxi's lead over the national rate, the
        evidence says so (context: the publisher is not independent of the article).

    Returns
    -------
    Finding
        ``data_value`` is the national growth in the first scope of
        :data:`shanxi_analysis.analysis.NATIONAL_SCOPE_PREFERENCE` published for the year.  Where the article's
        figure equals Shanxi's growth minus the national growth (within ±0.05 pp), the evidence says so.
    """
    art = article_value(claim)
    ng = analysis.national_growth(national_fai_growth, YEAR)
    if ng is None:
        return unverifiable(
            _GROWTH_TOLERANCE,
            Message("claims.growth.no_national_growth", year=YEAR),
            Message("claims.growth.settle_national", year=YEAR),
            dataset_sources(national_fai_growth),
        )
    others = _national_rows(national_fai_growth, YEAR)
    others = others[others["scope"] != ng.scope]
    ok = within(ng.value, art, ONE_DECIMAL_PP)
    text = [
        Message(
            "claims.growth.national",
            year=YEAR,
            scope=ng.scope,
            other_scopes=[
                {"scope": r["scope"], "growth": float(r["growth_pct"]), "digits": decimals_as_given(r["growth_pct"])}
                for _, r in others.iterrows()
            ],
            agrees=ok,
            **given(growth=ng.value, article=art),
        )
    ]
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    if not ok and py.growth is not None:
        gap = py.growth - ng.value
        if within(gap, art, ONE_DECIMAL_PP):
            text.append(
                Message(
                    "claims.growth.gap_as_average",
                    province=PROVINCE,
                    reported=_publisher_gap(fai_crosschecks, art),
                    **given(article=art, growth=py.growth, national=ng.value, gap=gap),
                )
            )
    scopes = [ng.scope, *others["scope"]]
    return Finding(
        ng.value,
        "confirmed" if ok else "contradicted",
        _GROWTH_TOLERANCE,
        tuple(text),
        (),
        _national_sources(national_fai_growth, YEAR, scopes),
        shown=(pct_shown(art), pct_shown(ng.value)),
    )


_MUCH_HIGHER_RULE = Message(
    "claims.growth.much_higher_rule", min_gap=MUCH_HIGHER_MIN_GAP_PP, min_ratio=MUCH_HIGHER_MIN_RATIO
)


def _much_higher(shanxi: float, national: float) -> tuple[bool, float, float | None]:
    """(much higher by the rule, gap in pp, ratio or None when national growth is not positive)."""
    gap = shanxi - national
    ratio = shanxi / national if national > 0 else None
    ok = gap >= MUCH_HIGHER_MIN_GAP_PP - EPS and (ratio is None or ratio >= MUCH_HIGHER_MIN_RATIO - EPS)
    return ok, gap, ratio


def _gap_facts(shanxi: float, national: float) -> dict[str, float | int | None]:
    """The facts of ``claims.growth.gap_words`` ("10.6% vs 2.9%: 7.7 pp, 3.66 times"; no ratio when national
    growth is not positive)."""
    _, gap, ratio = _much_higher(shanxi, national)
    return {**given(growth=shanxi, national=national, gap=gap), "ratio": ratio}


def _article_figure(article_claims: pd.DataFrame, claim_id: str) -> float | None:
    hit = article_claims.loc[article_claims["claim_id"] == claim_id, "article_value"]
    return None if hit.empty or fmt.is_missing(hit.iloc[0]) else float(hit.iloc[0])


@register_check("much_higher_than_national")
def check_much_higher_than_national(
    claim: pd.Series, fai_growth: pd.DataFrame, national_fai_growth: pd.DataFrame, article_claims: pd.DataFrame
) -> Finding:
    """Whether Shanxi's 2020 growth was "much higher" than China's, by :data:`MUCH_HIGHER_MIN_GAP_PP` and
    :data:`MUCH_HIGHER_MIN_RATIO`.

    Parameters
    ----------
    claim : Series
        The claim's row of :func:`~shanxi_analysis.datasets.article_claims`.
    fai_growth, national_fai_growth : DataFrame
        The datasets of the same names.
    article_claims : DataFrame
        For the article's own pair of figures (claims ``fai_growth_2020`` and ``national_average_2020``): the
        evidence says what the same rule gives on them.

    Returns
    -------
    Finding
        ``data_value`` is the gap in percentage points (Shanxi minus national, comparable scope).
    """
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    ng = analysis.national_growth(national_fai_growth, YEAR)
    art_shanxi = _article_figure(article_claims, "fai_growth_2020")
    art_nat = _article_figure(article_claims, "national_average_2020")
    art_facts = _gap_facts(art_shanxi, art_nat) if art_shanxi is not None and art_nat is not None else None
    # the article's words first, its own figures after: a tick beside "10.6% vs 7.7%" read as if those were confirmed
    art_shown: tuple[Message, ...] = (
        () if art_facts is None else (Message("claims.growth.shown_much_higher", **art_facts),)
    )
    if py.growth is None or ng is None:
        return unverifiable(
            _MUCH_HIGHER_RULE,
            Message(
                "claims.growth.no_growth_for",
                year=YEAR,
                province=PROVINCE,
                no_province=py.growth is None,
                no_china=ng is None,
            ),
            Message("claims.growth.settle_both", year=YEAR, province=PROVINCE),
            dataset_sources(fai_growth) + dataset_sources(national_fai_growth),
            (art_shown, Message("claims.shown.none_found")),
        )
    ok, gap, _ = _much_higher(py.growth, ng.value)
    facts = _gap_facts(py.growth, ng.value)
    text = [
        Message(
            "claims.growth.much_higher",
            province=PROVINCE,
            scope=ng.scope,
            much_higher=ok,
            min_gap=MUCH_HIGHER_MIN_GAP_PP,  # the rule, where the Chinese sentence names it
            min_ratio=MUCH_HIGHER_MIN_RATIO,
            **facts,
        )
    ]
    if art_facts is not None and art_shanxi is not None and art_nat is not None:
        art_ok, _, _ = _much_higher(art_shanxi, art_nat)
        text.append(
            Message(
                "claims.growth.much_higher_alternative",
                much_higher=ok,
                article_much_higher=art_ok,
                article_ratio=art_facts["ratio"],
                **given(article=art_shanxi, article_national=art_nat, article_gap=art_shanxi - art_nat),
            )
        )
    medians = analysis.yearly_medians(fai_growth)
    median = medians.set_index("year")["fai_growth_pct"].get(YEAR)
    if median is not None:  # what beating China's figure is worth: most provinces do, in most years
        vs = analysis.median_against_china(fai_growth, national_fai_growth)
        text.append(
            Message(
                "claims.growth.much_higher_context",
                province=PROVINCE,
                year=YEAR,
                n_faster=analysis.n_faster_than_china(analysis.year_table(fai_growth, YEAR), ng),
                n_ranked=py.n_ranked,
                median=float(median),
                median_gap=analysis.shown_gap(py.growth, float(median)),
                median_years=vs.years,
                median_above=vs.faster,
                median_first=vs.first,
                median_last=vs.last,
            )
        )
    return Finding(
        gap,
        "confirmed" if ok else "contradicted",
        _MUCH_HIGHER_RULE,
        tuple(text),
        (),
        dataset_sources(fai_growth) + _national_sources(national_fai_growth, YEAR, [ng.scope]),
        shown=(art_shown, Message("claims.growth.gap_words", **facts)),
    )
