"""Check of what the Shanxi Statistics Bureau actually said about 2020 investment, against the article's
attribution to it."""

from __future__ import annotations

import pandas as pd

from .. import analysis
from .. import numbers as fmt
from .article import ONE_DECIMAL_PP, PROVINCE, YEAR
from .definitions import register_check
from .evidence import (
    Finding,
    article_value,
    decimals_as_given,
    figure_sources,
    figures_for,
    is_publisher,
    pct_as_given,
    pp_as_given,
    unverifiable,
    within,
)

# --------------------------------------------------------------------------------------------- the bureau's words
_ATTRIBUTION_RULE = (
    "only the bureau's own report, or an account by someone other than the article's publisher, can show what the "
    "bureau said; an error the sentence repeats is counted once, under the claim it belongs to"
)


@register_check("statistics_bureau_attribution")
def check_statistics_bureau_attribution(
    claim: pd.Series, independent_figures: pd.DataFrame, fai_growth: pd.DataFrame, national_fai_growth: pd.DataFrame
) -> Finding:
    """Whether the Shanxi Statistics Bureau gave the "national average of 7.7 percent" the article attributes to it.

    Parameters
    ----------
    claim : Series
        The claim's row (the national average the article attributes to the bureau, percent).
    independent_figures : DataFrame
        Rows filed under this claim: accounts of the bureau's statement (growth, unit ``percent``; gap, unit
        ``percentage points ...``), each with its publisher.
    fai_growth, national_fai_growth : DataFrame
        NBS's figures, to say whether the article's figure is Shanxi's growth minus the national growth.

    Returns
    -------
    Finding
        Confirmed or contradicted only on an account independent of the article's publisher (the implied national
        figure, growth minus gap, against the article's); with no such account, unverifiable, the evidence quoting
        the publisher's own account as context and saying that the misreading of the gap is counted once, under
        ``national_average_2020``.
    """
    art = article_value(claim)
    rows = figures_for(independent_figures, "statistics_bureau_attribution")
    rows = rows[rows["comparable"]]
    own = rows[[is_publisher(r["source_desc"], r["source_url"]) for _, r in rows.iterrows()]] if len(rows) else rows
    independent = rows.drop(own.index)
    growth = independent[independent["unit"] == "percent"]
    gap = independent[independent["unit"].str.startswith("percentage points")]
    shown_art = f"national average {pct_as_given(art)}"
    if not growth.empty and not gap.empty:
        g, d = float(growth.iloc[0]["value"]), float(gap.iloc[0]["value"])
        implied = g - d
        ok = within(implied, art, ONE_DECIMAL_PP)
        text = (
            f"{gap.iloc[0]['source_desc']} gives the bureau's figures as growth of {pct_as_given(g)} and "
            f"{pp_as_given(d)} above the national average, so the bureau's national average was "
            f"{fmt.number(g, 1)} \u2212 {fmt.number(d, 1)} = {pct_as_given(implied)}"
            + (", as the article says." if ok else f", not the article's {pct_as_given(art)}.")
        )
        return Finding(
            implied,
            "confirmed" if ok else "contradicted",
            _ATTRIBUTION_RULE,
            text,
            "",
            figure_sources(independent),
            shown=(shown_art, pct_as_given(implied)),
        )
    text = "The Shanxi Statistics Bureau's own report was not found."
    said = next((str(v).strip() for v in own.get("verbatim", []) if str(v or "").strip()), "")
    if not own.empty:
        first = own.iloc[0]
        text += (
            f" The only account of what it said is China Daily's own later report ({first['source_desc']}"
            + (f": \u201c{said}\u201d" if said else "")
            + "), and China Daily published the article, so that account is context, not independent evidence."
        )
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    ng = analysis.national_growth(national_fai_growth, YEAR)
    if py.growth is not None and ng is not None and within(py.growth - ng.value, art, ONE_DECIMAL_PP):
        text += (
            f" The article's {fmt.number(art, decimals_as_given(art))} equals {PROVINCE}'s growth minus the national "
            f"growth in NBS's figures ({fmt.number(py.growth, 1)} \u2212 {fmt.number(ng.value, 1)} = "
            f"{pp_as_given(py.growth - ng.value)}), so the bureau most likely gave it as a gap; that misreading is "
            "counted once, under the national FAI growth claim, and not again here."
        )
    return unverifiable(
        _ATTRIBUTION_RULE,
        text,
        "The Shanxi Statistics Bureau's 2020 statistical communiqué or its own annual-report release.",
        figure_sources(own),
        (shown_art, "the bureau's own report not found"),
    )
