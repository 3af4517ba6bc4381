"""Checks of the claims about projects, zones, companies and procedures: the dollar conversion, the figures that
rest on the article alone, and the framing of what drove the growth and what the zones make."""

from __future__ import annotations

import math

import pandas as pd

from .. import analysis
from .. import numbers as fmt
from ..errors import DataError
from ..messages import Message
from .article import PUBLISHED_MONTH, YEAR
from .article_only import figure_facts, register_extra
from .definitions import register_check
from .evidence import (
    Finding,
    Text,
    article_value,
    cite,
    dataset_sources,
    decimals_as_given,
    digits_as_given,
    figure_sources,
    figures_for,
    given,
    unverifiable,
    within,
)

#: The province the article is about (its words name it through the catalog's ``place`` filter).
PROVINCE = "Shanxi"

# --------------------------------------------------------------------------------------------- currency
#: The tolerance of the dollar conversion, billion US dollars: the article gives its figure to two significant figures.
USD_TOLERANCE = 5.0


def _rate(rates: pd.DataFrame, period: str, measure_prefix: str) -> pd.Series | None:
    hit = rates[
        (rates["period"] == period) & rates["measure"].str.startswith(measure_prefix) & (rates["kind"] == "published")
    ]
    return None if hit.empty else hit.iloc[0]


@register_check("combined_investment_usd")
def check_combined_investment_usd(
    claim: pd.Series, article_claims: pd.DataFrame, exchange_rates: pd.DataFrame
) -> Finding:
    """Whether the article's dollar figure is its yuan figure converted at the rate current at publication.

    Parameters
    ----------
    claim : Series
        The claim's row of :func:`~shanxi_analysis.datasets.article_claims` (billion US dollars).
    article_claims : DataFrame
        For the yuan amount (claim ``combined_investment_cny``, trillion yuan).
    exchange_rates : DataFrame
        :func:`~shanxi_analysis.datasets.exchange_rates`: the FRED monthly average of :data:`PUBLISHED_MONTH`
        and the NBS annual average of :data:`YEAR` are read by period and measure.

    Returns
    -------
    Finding
        ``data_value`` is the yuan amount in billion dollars at the publication-month rate; ``consistent``
        (arithmetic on the article's own numbers, not a confirmation of the amount) within
        ±$5 billion.  The evidence also gives the conversion at the 2020 average rate.
    """
    art = article_value(claim)
    cny = article_claims.loc[article_claims["claim_id"] == "combined_investment_cny", "article_value"]
    if cny.empty or fmt.is_missing(cny.iloc[0]):
        raise DataError(
            "data/raw/article_claims.csv: the check of combined_investment_usd needs the yuan amount "
            "of claim combined_investment_cny (trillion yuan), which is missing. Restore that row."
        )
    billion_cny = float(cny.iloc[0]) * 1000  # trillion -> billion yuan (a unit conversion)
    now = _rate(exchange_rates, PUBLISHED_MONTH, "monthly average")
    annual = _rate(exchange_rates, str(YEAR), "annual average")
    srcs = tuple(cite(r["source_desc"], r["source_url"]) for r in (now, annual) if r is not None)
    trillion = float(cny.iloc[0])
    tolerance = Message("claims.usd.tolerance", tol=USD_TOLERANCE, article=art)
    annual_rate = None if annual is None else float(annual["cny_per_usd"])
    annual_usd = None if annual_rate is None else billion_cny / annual_rate
    if now is None:
        return unverifiable(
            tolerance,
            Message(
                "claims.usd.no_rate", month=PUBLISHED_MONTH, year=YEAR, annual_rate=annual_rate, annual_usd=annual_usd
            ),
            Message("claims.usd.no_rate_settle", month=PUBLISHED_MONTH),
            srcs,
        )
    usd = billion_cny / float(now["cny_per_usd"])
    ok = within(usd, art, USD_TOLERANCE)
    converted = Message(
        "claims.usd.converted",
        trillion=trillion,
        trillion_digits=digits_as_given(trillion),
        usd=usd,
        month=PUBLISHED_MONTH,
        rate=float(now["cny_per_usd"]),
        within=ok,
        article=art,
        year=YEAR,
        annual_rate=annual_rate,
        annual_usd=annual_usd,
        at_publication=ok and annual_usd is not None and not within(annual_usd, art, USD_TOLERANCE),
    )
    text: Text = converted
    if ok:
        text = (
            converted,
            Message(
                "claims.usd.arithmetic_only",
                trillion=trillion,
                trillion_digits=digits_as_given(trillion),
                cny_claim="combined_investment_cny",
            ),
        )
    return Finding(
        usd,
        "consistent" if ok else "contradicted",
        tolerance,
        text,
        (),
        srcs,
        "arithmetic on the article's own numbers" if ok else "independent data",
        (Message("claims.projects.shown_usd", value=art), Message("claims.projects.shown_usd", value=usd)),
    )


def _total_fai(shanxi_investment_2020: pd.DataFrame) -> pd.Series | None:
    """The row of Shanxi's entire 2020 FAI level (DERIVED in the source), or None."""
    total = shanxi_investment_2020[shanxi_investment_2020["breakdown"] == "province total FAI"]
    if total.empty or fmt.is_missing(total.iloc[0]["amount_100m_yuan"]):
        return None
    return total.iloc[0]


def _no_total_fai() -> Message:
    return Message("claims.projects.no_total_fai", province=PROVINCE, year=YEAR)


@register_extra("total_fai_ceiling")
def _total_fai_ceiling(claim: pd.Series, shanxi_investment_2020: pd.DataFrame) -> Message:
    """The sentence comparing the article's combined investment with Shanxi's entire 2020 FAI."""
    row = _total_fai(shanxi_investment_2020)
    part = shanxi_investment_2020[shanxi_investment_2020["breakdown"] == "province"]
    if row is None:
        return _no_total_fai()
    fai_100m = float(row["amount_100m_yuan"])
    claimed = article_value(claim)
    p = None if part.empty else part.iloc[0]
    return Message(
        "claims.projects.total_fai_ceiling",
        province=PROVINCE,
        year=YEAR,
        level=fai_100m / 10_000,  # 100 million -> trillion yuan (a unit conversion)
        derived=bool(row["derived"]),
        part_amount=None if p is None else float(p["amount_100m_yuan"]),
        part_share=None if p is None else float(p["share_pct"]),
        part_share_digits=None if p is None else decimals_as_given(p["share_pct"]),
        claimed=claimed,
        claimed_digits=digits_as_given(claimed),
        larger=claimed * 10_000 > fai_100m,  # trillion -> 100 million yuan (a unit conversion)
    )


# --------------------------------------------------------------------------------------------- framing
_DROVE_RULE = Message("claims.projects.drove_rule", year=YEAR)


@register_check("projects_drove_growth")
def check_projects_drove_growth(
    claim: pd.Series, shanxi_investment_2020: pd.DataFrame, independent_figures: pd.DataFrame
) -> Finding:
    """Whether "these projects, with a combined investment of 1.24 trillion yuan, have driven" 2020 growth can be
    read as the data allows.

    Parameters
    ----------
    claim : Series
        The claim's row (the combined investment, trillion yuan).
    shanxi_investment_2020 : DataFrame
        For Shanxi's entire 2020 FAI level (DERIVED in the source).
    independent_figures : DataFrame
        Rows filed under this claim: what the bureau says drove the growth (industry-type projects' contribution).

    Returns
    -------
    Finding
        ``data_value`` is Shanxi's entire 2020 FAI in trillion yuan.  ``misleading`` when the article's combined
        investment exceeds it (the amount cannot be 2020 spending, so it cannot be what drove the year's growth);
        otherwise ``unverifiable`` (no source attributes the growth to the new projects).
    """
    art = article_value(claim)
    rows = figures_for(independent_figures, "projects_drove_growth")
    drivers = [figure_facts(r) for _, r in rows.iterrows()]
    srcs = figure_sources(rows)
    total = _total_fai(shanxi_investment_2020)
    settle = Message("claims.projects.drove_settle", province=PROVINCE, year=YEAR)

    def said(does: bool) -> tuple[Message, ...]:
        return (Message("claims.projects.bureau_drivers", does=does, drivers=drivers),) if drivers else ()

    if total is None or math.isnan(art):
        return unverifiable(_DROVE_RULE, (_no_total_fai(), *said(False)), settle, srcs)
    level = float(total["amount_100m_yuan"]) / 10_000  # 100 million -> trillion yuan (a unit conversion)
    srcs = srcs + (cite(total["source_desc"], total["source_url"]),)
    compared = Message(
        "claims.projects.drove_compared",
        province=PROVINCE,
        year=YEAR,
        article=art,
        article_digits=digits_as_given(art),
        level=level,
        derived=bool(total["derived"]),
        more=art > level,
    )
    shown: tuple[Text, Text] = (
        Message("claims.projects.shown_drove", article=art, article_digits=digits_as_given(art)),
        Message("claims.projects.shown_all_fai", level=level),
    )
    if art > level:
        return Finding(level, "misleading", _DROVE_RULE, (compared, *said(True)), (), srcs, "independent data", shown)
    return unverifiable(
        _DROVE_RULE, (compared, *said(True)), settle, srcs, (shown[0], Message("claims.shown.none_found"))
    )


#: "Mainly": more than this share (percent).
MAINLY_PCT = 50.0

_MAINLY_RULE = Message("claims.projects.mainly_rule", mainly=MAINLY_PCT)


@register_check("zones_high_tech_mainly")
def check_zones_high_tech_mainly(claim: pd.Series, shanxi_investment_2020: pd.DataFrame) -> Finding:
    """Whether the data can support "mainly engaged in emerging and high-tech sectors".

    Parameters
    ----------
    claim : Series
        The claim's row (a characterisation; no figure).
    shanxi_investment_2020 : DataFrame
        The bureau's 2020 breakdown of industry-type project investment by sector (province-wide; no breakdown of
        zone projects by sector was found).

    Returns
    -------
    Finding
        Always ``unverifiable``: only a breakdown of the zone projects settles it.  The province-wide shares are
        given as context; they cover every industry-type project in the province, so they neither confirm the
        zones' mix nor bound it (a subset can be all high-tech while the whole is not), which an earlier version
        of this check did.
    """
    sectors = analysis.breakdown(shanxi_investment_2020, "sector")
    srcs = dataset_sources(shanxi_investment_2020)
    settle = Message("claims.projects.mainly_settle", province=PROVINCE, year=YEAR)
    if sectors.empty or sectors["share_pct"].isna().all():
        return unverifiable(_MAINLY_RULE, Message("claims.projects.no_sectors", year=YEAR), settle, srcs)
    share = dict(zip(sectors["name_en"], sectors["share_pct"].astype(float), strict=True))
    shares = Message(
        "claims.projects.mainly_shares",
        **given(manufacturing=share.get("manufacturing", float("nan"))),
        **given(utilities=share.get("power/heat/gas/water supply", float("nan"))),
        **given(mining=share.get("mining", float("nan"))),
    )
    return unverifiable(
        _MAINLY_RULE,
        (shares,),
        settle,
        srcs,
        (Message("claims.projects.shown_mainly"), Message("claims.projects.shown_no_zones")),
    )
