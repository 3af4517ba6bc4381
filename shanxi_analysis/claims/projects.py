"""Checks of the claims about projects, zones, companies and procedures: the dollar conversion, the figures that
rest on the article alone, and the framing of what drove the growth and what the zones make."""

from __future__ import annotations

import math

import pandas as pd

from .. import analysis
from .. import numbers as fmt
from ..errors import DataError
from .article import PUBLISHED_MONTH, YEAR
from .article_only import register_extra
from .definitions import register_check
from .evidence import (
    Finding,
    article_value,
    cite,
    dataset_sources,
    figure_sources,
    figures_for,
    number_as_given,
    pct_as_given,
    unverifiable,
    within,
)

# --------------------------------------------------------------------------------------------- currency
_USD_TOLERANCE = "±$5 billion: the article gives $190 billion to two significant figures"


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
    at_annual = (
        f"at the {YEAR} average rate ({fmt.number(annual['cny_per_usd'], 4)} yuan per dollar, NBS) it would "
        f"be ${fmt.number(billion_cny / annual['cny_per_usd'])} billion"
        if annual is not None
        else ""
    )
    if now is None:
        return unverifiable(
            _USD_TOLERANCE,
            f"The data has no yuan-dollar rate for {PUBLISHED_MONTH}, the month of "
            "publication" + (f"; {at_annual}." if at_annual else "."),
            f"A published yuan-dollar rate for {PUBLISHED_MONTH} (e.g. FRED EXCHUS or the PBOC central parity).",
            srcs,
        )
    usd = billion_cny / float(now["cny_per_usd"])
    ok = within(usd, art, 5.0)
    month = pd.Period(PUBLISHED_MONTH, freq="M").strftime("%B %Y")
    text = (
        f"{number_as_given(float(cny.iloc[0]))} trillion yuan is ${fmt.number(usd)} billion at the "
        f"{month} average rate ({fmt.number(now['cny_per_usd'], 4)} yuan per dollar, FRED), the month "
        f"of publication, " + ("within" if ok else "outside") + f" the rounding of the article's "
        f"${fmt.number(art, 0)} billion"
    )
    if at_annual:
        text += f"; {at_annual}"
        if ok and annual is not None and not within(billion_cny / annual["cny_per_usd"], art, 5.0):
            text += f", so the article converted at a rate current at publication, not the {YEAR} average"
    text += (
        ". This checks the article's arithmetic, not the amount: no independent source gives the 1.24 trillion "
        "yuan (see combined_investment_cny)."
        if ok
        else "."
    )
    return Finding(
        usd,
        "consistent" if ok else "contradicted",
        _USD_TOLERANCE,
        text,
        "",
        srcs,
        "arithmetic on the article's own numbers" if ok else "independent data",
        (f"${fmt.number(art, 0)} billion", f"${fmt.number(usd, 0)} billion"),
    )


def _total_fai(shanxi_investment_2020: pd.DataFrame) -> pd.Series | None:
    """The row of Shanxi's entire 2020 FAI level (DERIVED in the source), or None."""
    total = shanxi_investment_2020[shanxi_investment_2020["breakdown"] == "province total FAI"]
    if total.empty or fmt.is_missing(total.iloc[0]["amount_100m_yuan"]):
        return None
    return total.iloc[0]


@register_extra("total_fai_ceiling")
def _total_fai_ceiling(claim: pd.Series, shanxi_investment_2020: pd.DataFrame) -> str:
    """The sentence comparing the article's combined investment with Shanxi's entire 2020 FAI."""
    row = _total_fai(shanxi_investment_2020)
    part = shanxi_investment_2020[shanxi_investment_2020["breakdown"] == "province"]
    if row is None:
        return "The data has no level of Shanxi's entire 2020 FAI to compare with."
    fai_100m = float(row["amount_100m_yuan"])
    art_100m = article_value(claim) * 10_000  # trillion -> 100 million yuan (a unit conversion)
    notes = ["derived by arithmetic, not published"] if bool(row["derived"]) else []
    if not part.empty:
        p = part.iloc[0]
        notes.append(
            f"{fmt.yuan_100m(p['amount_100m_yuan'])} of industry-type project investment being "
            f"{pct_as_given(p['share_pct'])} of it"
        )
    head = f"Shanxi's entire 2020 fixed-asset investment was about {fai_100m / 10_000:.2f} trillion yuan"
    head += f" ({': '.join(notes)})" if notes else ""
    claimed = f"the {number_as_given(article_value(claim))} trillion yuan claimed"
    if art_100m > fai_100m:
        return (
            head + f", less than {claimed}, so the figure can only be the projects' multi-year planned "
            "investment, not 2020 spending."
        )
    return head + f", not less than {claimed}."


# --------------------------------------------------------------------------------------------- framing
_DROVE_RULE = (
    "'these projects have driven the growth' can describe 2020 spending only if their combined investment "
    "is not larger than the province's entire 2020 fixed-asset investment; a larger figure is multi-year "
    "planned investment, which cannot measure what drove one year's growth"
)


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
    drivers = "; ".join(
        f"{r['source_desc']}: {number_as_given(r['value'])} {r['unit']} ({r['what'].strip().rstrip('.')})"
        for _, r in rows.iterrows()
    )
    srcs = figure_sources(rows)
    total = _total_fai(shanxi_investment_2020)
    settle = (
        "A Shanxi Statistics Bureau breakdown of 2020 FAI growth by new and continuing projects (the new "
        "projects' 2020 spending and their contribution to growth)."
    )
    if total is None or math.isnan(art):
        return unverifiable(
            _DROVE_RULE,
            "The data has no level of Shanxi's entire 2020 FAI to compare with."
            + (f" What the bureau says drove the growth: {drivers}." if drivers else ""),
            settle,
            srcs,
        )
    level = float(total["amount_100m_yuan"]) / 10_000  # 100 million -> trillion yuan (a unit conversion)
    derived = (
        " (not published: derived by arithmetic from the industry-type investment and its share of the total)"
        if bool(total["derived"])
        else ""
    )
    srcs = srcs + (cite(total["source_desc"], total["source_url"]),)
    head = (
        f"The projects' combined {number_as_given(art)} trillion yuan is "
        f"{'more' if art > level else 'not more'} than Shanxi's entire 2020 fixed-asset investment of about "
        f"{level:.2f} trillion yuan{derived}"
    )
    tail = f" What the bureau does say drove the growth: {drivers}." if drivers else ""
    shown = (
        f"{number_as_given(art)} trillion yuan of new projects drove 2020 growth",
        f"{level:.2f} trillion yuan: all of Shanxi's 2020 FAI",
    )
    if art > level:
        text = (
            head + ", so it is the projects' multi-year planned investment, not money spent in 2020; the article "
            "presents a planned total as the cause of one year's growth." + tail
        )
        return Finding(level, "misleading", _DROVE_RULE, text, "", srcs, "independent data", shown)
    return unverifiable(
        _DROVE_RULE,
        head + ", but no source attributes the growth to these projects." + tail,
        settle,
        srcs,
        (shown[0], "none found"),
    )


#: Sectors of the bureau's breakdown of industry-type project investment that can hold emerging and high-tech
#: projects (manufacturing, power/heat/gas/water supply including new energy, software and IT services); the others
#: (mining, agriculture, trade, warehousing, hotels and catering) cannot.
POSSIBLY_EMERGING = ("manufacturing", "power/heat/gas/water supply", "software & IT services")

#: How the evidence names those sectors.
_SECTOR_WORDS = {"power/heat/gas/water supply": "utilities", "software & IT services": "software and IT"}

#: "Mainly": more than this share (percent).
MAINLY_PCT = 50.0

_MAINLY_RULE = (
    f"'mainly' read as more than {fmt.number(MAINLY_PCT, 0)}% of investment; the most that can be "
    "emerging or high-tech is the share of the sectors that can hold such projects (manufacturing, "
    "power/heat/gas/water supply, software and IT); if even that is not more than half, the claim is "
    "misleading"
)


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
        ``misleading`` when the sectors that can hold emerging projects are not more than half of the investment
        (an upper bound); otherwise ``unverifiable``, with the shares and the alternative reading that counts
        utilities as conventional.
    """
    sectors = analysis.breakdown(shanxi_investment_2020, "sector")
    srcs = dataset_sources(shanxi_investment_2020)
    settle = (
        "A breakdown of the 2020 development-zone projects (or their investment) by sector, from the Shanxi "
        "Department of Commerce or Statistics Bureau."
    )
    if sectors.empty or sectors["share_pct"].isna().all():
        return unverifiable(_MAINLY_RULE, "The data has no sector breakdown of 2020 investment.", settle, srcs)
    share = dict(zip(sectors["name_en"], sectors["share_pct"].astype(float), strict=True))
    upper = sum(v for k, v in share.items() if k in POSSIBLY_EMERGING)
    utilities = share.get("power/heat/gas/water supply", 0.0)
    mining = share.get("mining", 0.0)
    text = (
        f"No sector breakdown of the zone projects was found; province-wide, the bureau's industry-type project "
        f"investment was {pct_as_given(share.get('manufacturing', float('nan')))} manufacturing (not split into "
        f"high-tech and other), {pct_as_given(utilities)} power/heat/gas/water supply and {pct_as_given(mining)} "
        "mining "
        f"(mining and utilities together {pct_as_given(round(mining + utilities, 1))}), so at most "
        + " + ".join(f"{pct_as_given(share[k])} ({_SECTOR_WORDS.get(k, k)})" for k in POSSIBLY_EMERGING if k in share)
        + f" = {pct_as_given(round(upper, 1))} can be emerging or high-tech."
    )
    alt_upper = round(upper - utilities, 1)
    if upper <= MAINLY_PCT + 1e-9:
        text += " Even that upper bound is not more than half, so 'mainly' is not supported."
        return Finding(
            upper,
            "misleading",
            _MAINLY_RULE,
            text,
            "",
            srcs,
            "independent data",
            ("mainly (more than half) emerging and high-tech", f"at most {pct_as_given(round(upper, 1))}"),
        )
    text += (
        f" That upper bound is more than half, so the data cannot rule the claim out. Alternative reading: if "
        f"the utilities investment is conventional power, heat and gas (not new energy), the most is "
        f"{pct_as_given(alt_upper)}, and 'mainly' would be misleading."
    )
    return unverifiable(
        _MAINLY_RULE, text, settle, srcs, ("mainly (more than half) emerging and high-tech", "none found for zones")
    )
