"""Check of the claim that investment grew despite the pandemic: Shanxi's cumulative FAI growth month by month
in 2020."""

from __future__ import annotations

import pandas as pd

from .. import numbers as fmt
from ..analysis.periods import ytd
from .article import PROVINCE, YEAR
from .definitions import register_check
from .evidence import EPS, Finding, cite, pct_as_given, unverifiable

# --------------------------------------------------------------------------------------------- the pandemic path
_PANDEMIC_RULE = (
    "'a boom despite the pandemic' read as: Shanxi's cumulative 2020 FAI growth positive and above "
    "China's in every period published, and in the full year; a full year at or below zero or at or "
    "below China's contradicts it, a dip in a published period makes it misleading"
)


def _path_words(rows: pd.DataFrame) -> str:
    """``"6.7% (Jan-Apr), 8.3% (Jan-Jun, DERIVED)"``."""
    return ", ".join(
        f"{pct_as_given(r['cum_growth_pct'])} ({ytd(int(r['end_month']))}"
        + (", DERIVED" if r["status"] == "derived" else "")
        + ")"
        for _, r in rows.iterrows()
    )


@register_check("despite_pandemic")
def check_despite_pandemic(claim: pd.Series, fai_monthly_2020: pd.DataFrame) -> Finding:
    """Whether Shanxi's investment grew through 2020, the pandemic year, by the month-by-month cumulative path.

    Parameters
    ----------
    claim : Series
        The claim's row (no figure: a characterisation of the year).
    fai_monthly_2020 : DataFrame
        :func:`~shanxi_analysis.datasets.fai_monthly_2020`: Shanxi's and China's cumulative growth by period.

    Returns
    -------
    Finding
        ``data_value`` is Shanxi's lowest published cumulative growth of the year.  Confirmed when every published
        Shanxi period is positive and above China's, misleading when the full year is but a published period is
        not, contradicted when the full year is not; the evidence names the periods with no Shanxi figure.
    """
    monthly = fai_monthly_2020[fai_monthly_2020["year"] == YEAR]
    sx = monthly[(monthly["region"] == PROVINCE) & monthly["cum_growth_pct"].notna()].sort_values("end_month")
    cn = monthly[(monthly["region"] == "China") & monthly["cum_growth_pct"].notna()].set_index("end_month")
    gaps = monthly[(monthly["region"] == PROVINCE) & monthly["cum_growth_pct"].isna()]["end_month"].astype(int)
    srcs = tuple(dict.fromkeys(cite(r["source_desc"], r["source_url"]) for _, r in sx.iterrows()))
    shown_art = "a boom through 2020, the pandemic year"
    full = sx[sx["end_month"] == 12]
    if full.empty or 12 not in cn.index:
        return unverifiable(
            _PANDEMIC_RULE,
            f"The data has no full-year {YEAR} cumulative growth for " + ("Shanxi." if full.empty else "China."),
            f"The Shanxi Statistics Bureau's monthly cumulative FAI growth for {YEAR}.",
            srcs,
            (shown_art, "none found"),
        )
    nat = {int(m): float(v) for m, v in cn["cum_growth_pct"].items()}
    weak = [
        int(r["end_month"])
        for _, r in sx.iterrows()
        if r["cum_growth_pct"] <= 0 + EPS
        or (int(r["end_month"]) in nat and r["cum_growth_pct"] <= nat[int(r["end_month"])] + EPS)
    ]
    year_value = float(full.iloc[0]["cum_growth_pct"])
    path = (
        f"Shanxi's cumulative growth: {_path_words(sx)}; China's in the same periods: "
        + ", ".join(f"{pct_as_given(nat[int(m)])}" for m in sx["end_month"] if int(m) in nat)
        + "."
    )
    if 12 in weak:
        verdict = "contradicted"
        text = (
            f"Shanxi's full-year growth ({pct_as_given(year_value)}) was not above zero and China's "
            f"{pct_as_given(nat[12])}. " + path
        )
    elif weak:
        verdict = "misleading"
        text = (
            f"The year ended at {pct_as_given(year_value)}, but in {fmt.join(ytd(m) for m in weak)} Shanxi's "
            "growth was at or below zero or China's, so 'despite the pandemic' overstates a year that dipped. " + path
        )
    else:
        verdict = "confirmed"
        text = (
            "Every published period of 2020 shows Shanxi's cumulative growth positive and above China's, "
            f"ending the year at {pct_as_given(year_value)}. " + path
        )
    if len(gaps):
        text += (
            f" Caveat: no Shanxi figure was found for {fmt.join(ytd(m) for m in gaps)}"
            + (
                ", including the first months of the pandemic (China: "
                + ", ".join(f"{pct_as_given(nat[m])} in {ytd(m)}" for m in gaps if m in nat and m <= 3)
                + ")"
                if any(m <= 3 for m in gaps)
                else ""
            )
            + ", so the path is known only from the periods above."
        )
    derived = sx[sx["status"] != "published"]
    if not derived.empty or (sx["source_desc"].str.contains("Development and Reform", na=False)).any():
        text += " Some periods are DERIVED or come from the Development and Reform Commission rather than the bureau."
    low = float(sx["cum_growth_pct"].min())
    data_shown = (
        f"{pct_as_given(low)} to {pct_as_given(year_value)} year to date ({ytd(int(sx['end_month'].min()))} to "
        f"Jan-Dec)" + (", above China's in every published period" if verdict == "confirmed" else "")
    )
    return Finding(low, verdict, _PANDEMIC_RULE, text, "", srcs, "independent data", (shown_art, data_shown))
