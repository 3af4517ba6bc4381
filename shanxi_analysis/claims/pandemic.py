"""Check of the claim that investment grew despite the pandemic: Shanxi's full-year 2020 FAI growth against
China's (the figures found for parts of the year are context only)."""

from __future__ import annotations

import pandas as pd

from .. import analysis
from ..analysis.periods import ytd
from .article import PROVINCE, YEAR
from .definitions import register_check
from .evidence import EPS, Finding, cite, dataset_sources, pct_as_given, unverifiable

# --------------------------------------------------------------------------------------------- the pandemic year
_PANDEMIC_RULE = (
    "'a boom despite the pandemic' is judged on the full year only: confirmed when NBS gives Shanxi's 2020 FAI growth "
    "as positive and above China's, contradicted otherwise; figures for parts of the year are context, not evidence"
)

#: Cumulative periods of a year (Jan-Feb to Jan-Dec: NBS publishes no January figure).
_PERIODS = 11


def _context(monthly: pd.DataFrame) -> str:
    """The monthly figures found for Shanxi, each labelled (derived, from the Development and Reform Commission),
    as context that decides nothing."""
    sx = monthly[(monthly["region"] == PROVINCE) & monthly["cum_growth_pct"].notna()].sort_values("end_month")
    sx = sx[sx["end_month"] < 12]
    cn = monthly[(monthly["region"] == "China") & monthly["cum_growth_pct"].notna()].set_index("end_month")
    if sx.empty:
        return f" Context: no figure for {PROVINCE} was found for any part of {YEAR}."
    parts = []
    for _, r in sx.iterrows():
        m = int(r["end_month"])
        labels = []
        if r["status"] == "derived":
            labels.append("derived by arithmetic from two published gaps, not published itself")
        if "Development and Reform" in str(r["source_desc"]):
            labels.append("from the Development and Reform Commission, not the statistics bureau: treat with caution")
        nat = f"; China {pct_as_given(float(cn.at[m, 'cum_growth_pct']))}" if m in cn.index else ""
        parts.append(
            f"{ytd(m)} {pct_as_given(r['cum_growth_pct'])}" + (f" ({', '.join(labels)})" if labels else "") + nat
        )
    found = len(sx) + 1  # with the full year
    first = monthly[(monthly["region"] == "China") & (monthly["end_month"] <= 3) & monthly["cum_growth_pct"].notna()]
    early = (
        " None covers the first months of the pandemic (China: "
        + ", ".join(f"{pct_as_given(r['cum_growth_pct'])} in {ytd(int(r['end_month']))}" for _, r in first.iterrows())
        + ")."
        if int(sx["end_month"].min()) > 3 and not first.empty
        else ""
    )
    return (
        f" Context only, not evidence: cumulative figures for {PROVINCE} were found for {found} of the year's "
        f"{_PERIODS} periods; besides the full year: " + "; ".join(parts) + "." + early
    )


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
    shown_art = "a boom through 2020, the pandemic year"
    if py.growth is None or ng is None:
        return unverifiable(
            _PANDEMIC_RULE,
            f"NBS's figures have no full-year {YEAR} FAI growth for "
            + (f"{PROVINCE}." if py.growth is None else "China.")
            + context,
            f"NBS's full-year {YEAR} FAI growth for {PROVINCE} and for China.",
            srcs,
            (shown_art, "none found"),
        )
    ok = py.growth > EPS and py.growth > ng.value + EPS
    text = (
        f"NBS gives {PROVINCE}'s full-year {YEAR} FAI growth as {pct_as_given(py.growth)}, against China's "
        f"{pct_as_given(ng.value)} ({ng.scope}): "
        + (
            "investment grew in the pandemic year, and faster than the nation's."
            if ok
            else "not positive and above China's, so the year was no boom despite the pandemic."
        )
        + context
    )
    return Finding(
        py.growth,
        "confirmed" if ok else "contradicted",
        _PANDEMIC_RULE,
        text,
        "",
        srcs,
        "independent data",
        (shown_art, f"{pct_as_given(py.growth)} in {YEAR} (China {pct_as_given(ng.value)})"),
    )
