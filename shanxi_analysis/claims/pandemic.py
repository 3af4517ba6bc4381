"""Check of the claim that investment grew despite the pandemic: Shanxi's full-year 2020 FAI growth against
China's (the figures found for parts of the year are context only)."""

from __future__ import annotations

import pandas as pd

from .. import analysis
from ..analysis.periods import ytd
from ..messages import Message
from .article import PROVINCE, YEAR
from .definitions import register_check
from .evidence import EPS, Finding, cite, dataset_sources, decimals_as_given, given, unverifiable

# --------------------------------------------------------------------------------------------- the pandemic year
_PANDEMIC_RULE = Message("claims.pandemic.rule", province=PROVINCE, year=YEAR)

#: Cumulative periods of a year (Jan-Feb to Jan-Dec: NBS publishes no January figure).
_PERIODS = 11


def _context(monthly: pd.DataFrame) -> tuple[Message, ...]:
    """The monthly figures found for Shanxi, each labelled (derived, from the Development and Reform Commission),
    as context that decides nothing."""
    sx = monthly[(monthly["region"] == PROVINCE) & monthly["cum_growth_pct"].notna()].sort_values("end_month")
    sx = sx[sx["end_month"] < 12]
    cn = monthly[(monthly["region"] == "China") & monthly["cum_growth_pct"].notna()].set_index("end_month")
    if sx.empty:
        return (Message("claims.pandemic.no_context", province=PROVINCE, year=YEAR),)
    partial = []
    for _, r in sx.iterrows():
        m = int(r["end_month"])
        china = float(cn.at[m, "cum_growth_pct"]) if m in cn.index else None
        partial.append(
            {
                "period": ytd(m),
                "growth": float(r["cum_growth_pct"]),
                "digits": decimals_as_given(r["cum_growth_pct"]),
                "derived": r["status"] == "derived",
                "drc": "Development and Reform" in str(r["source_desc"]),
                "china": china,
                "china_digits": None if china is None else decimals_as_given(china),
            }
        )
    found = len(sx) + 1  # with the full year
    first = monthly[(monthly["region"] == "China") & (monthly["end_month"] <= 3) & monthly["cum_growth_pct"].notna()]
    context = Message("claims.pandemic.context", province=PROVINCE, n_found=found, n_periods=_PERIODS, partial=partial)
    if int(sx["end_month"].min()) <= 3 or first.empty:
        return (context,)
    early = [
        {
            "period": ytd(int(r["end_month"])),
            "growth": float(r["cum_growth_pct"]),
            "digits": decimals_as_given(r["cum_growth_pct"]),
        }
        for _, r in first.iterrows()
    ]
    return (context, Message("claims.pandemic.no_early", early=early))


@register_check("despite_pandemic")
def check_despite_pandemic(
    claim: pd.Series, fai_growth: pd.DataFrame, national_fai_growth: pd.DataFrame, fai_monthly_2020: pd.DataFrame
) -> Finding:
    """Whether Shanxi's investment grew in 2020, the pandemic year, and faster than China's: the full-year NBS figures.

    Parameters
    ----------
    claim : Series
        The claim's row (no figure: a characterisation of the year).
    fai_growth, national_fai_growth : DataFrame
        NBS's provincial and national growth: the full year decides.
    fai_monthly_2020 : DataFrame
        :func:`~shanxi_analysis.data.fai_monthly_2020`: the cumulative figures found for parts of the year, named in
        the evidence as context (labelled where derived or not from the statistics bureau), never used for the
        verdict.

    Returns
    -------
    Finding
        ``data_value`` is Shanxi's full-year growth; confirmed when it is positive and above China's, contradicted
        otherwise, unverifiable without either figure.
    """
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    ng = analysis.national_growth(national_fai_growth, YEAR)
    srcs = dataset_sources(fai_growth) + tuple(
        cite(f"NBS via {r['source_desc']}", r["source_url"])
        for _, r in national_fai_growth[
            (national_fai_growth["year"] == YEAR) & (national_fai_growth["scope"] == (ng.scope if ng else ""))
        ].iterrows()
    )
    monthly = fai_monthly_2020[fai_monthly_2020["year"] == YEAR]
    context = _context(monthly)
    shown_art = Message("claims.pandemic.shown_article", year=YEAR)
    if py.growth is None or ng is None:
        return unverifiable(
            _PANDEMIC_RULE,
            (Message("claims.pandemic.no_full_year", year=YEAR, province=PROVINCE, no_province=py.growth is None),)
            + context,
            Message("claims.pandemic.settle", year=YEAR, province=PROVINCE),
            srcs,
            (shown_art, Message("claims.shown.none_found")),
        )
    ok = py.growth > EPS and py.growth > ng.value + EPS
    facts = given(growth=py.growth, national=ng.value)
    text = Message("claims.pandemic.full_year", province=PROVINCE, year=YEAR, scope=ng.scope, boom=ok, **facts)
    return Finding(
        py.growth,
        "confirmed" if ok else "contradicted",
        _PANDEMIC_RULE,
        (text, *context),
        (),
        srcs,
        "independent data",
        (shown_art, Message("claims.pandemic.shown_data", year=YEAR, **facts)),
    )
