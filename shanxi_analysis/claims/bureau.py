"""Check of what the Shanxi Statistics Bureau actually said about 2020 investment, against the article's
attribution to it."""

from __future__ import annotations

import pandas as pd

from .. import analysis
from ..messages import Message
from .article import ONE_DECIMAL_PP, PROVINCE, YEAR
from .definitions import register_check
from .evidence import (
    Finding,
    article_value,
    figure_sources,
    figures_for,
    given,
    is_publisher,
    pct_shown,
    unverifiable,
    within,
)

# --------------------------------------------------------------------------------------------- the bureau's words
_ATTRIBUTION_RULE = Message("claims.bureau.rule")


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
    shown_art = Message("claims.bureau.shown_article", **given(article=art))
    if not growth.empty and not gap.empty:
        g, d = float(growth.iloc[0]["value"]), float(gap.iloc[0]["value"])
        implied = g - d
        ok = within(implied, art, ONE_DECIMAL_PP)
        implied_text = Message(
            "claims.bureau.implied",
            source=gap.iloc[0]["source_desc"],
            agrees=ok,
            **given(growth=g, gap=d, implied=implied, article=art),
        )
        return Finding(
            implied,
            "confirmed" if ok else "contradicted",
            _ATTRIBUTION_RULE,
            implied_text,
            (),
            figure_sources(independent),
            shown=(shown_art, pct_shown(implied)),
        )
    text = [Message("claims.bureau.not_found")]
    said = next((str(v).strip() for v in own.get("verbatim", []) if str(v or "").strip()), "")
    if not own.empty:
        text.append(Message("claims.bureau.publisher_account", source=own.iloc[0]["source_desc"], said=said))
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    ng = analysis.national_growth(national_fai_growth, YEAR)
    if py.growth is not None and ng is not None and within(py.growth - ng.value, art, ONE_DECIMAL_PP):
        text.append(
            Message(
                "claims.bureau.gap",
                province=PROVINCE,
                **given(article=art, growth=py.growth, national=ng.value, gap=py.growth - ng.value),
            )
        )
    return unverifiable(
        _ATTRIBUTION_RULE,
        tuple(text),
        Message("claims.bureau.settle", year=YEAR),
        figure_sources(own),
        (shown_art, Message("claims.bureau.shown_not_found")),
    )
