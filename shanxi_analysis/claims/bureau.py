"""Check of what the Shanxi Statistics Bureau actually said about 2020 investment, against the article's
attribution to it."""

from __future__ import annotations

import pandas as pd

from .. import numbers as fmt
from .article import ONE_DECIMAL_PP
from .definitions import register_check
from .evidence import (
    Finding,
    article_value,
    figure_sources,
    figures_for,
    pct_as_given,
    pp_as_given,
    unverifiable,
    within,
)

# --------------------------------------------------------------------------------------------- the bureau's words
_ATTRIBUTION_RULE = (
    "±0.05 pp (growth rates to one decimal); the bureau's national figure is its Shanxi growth minus the gap it states"
)


def _bureau_statement(rows: pd.DataFrame) -> tuple[pd.Series | None, pd.Series | None]:
    """The bureau's growth row (unit ``percent``) and gap row (unit ``percentage points ...``), or None."""
    comparable = rows[rows["comparable"]]
    growth = comparable[comparable["unit"] == "percent"]
    gap = comparable[comparable["unit"].str.startswith("percentage points")]
    return (None if growth.empty else growth.iloc[0]), (None if gap.empty else gap.iloc[0])


@register_check("statistics_bureau_attribution")
def check_statistics_bureau_attribution(claim: pd.Series, independent_figures: pd.DataFrame) -> Finding:
    """Whether the Shanxi Statistics Bureau gave the "national average of 7.7 percent" the article attributes to it.

    Parameters
    ----------
    claim : Series
        The claim's row (the national average the article attributes to the bureau, percent).
    independent_figures : DataFrame
        Rows filed under this claim: the bureau's own statement of Shanxi's growth (unit ``percent``) and of its
        gap to the national average (unit ``percentage points above the national average``).

    Returns
    -------
    Finding
        ``data_value`` is the national growth implied by the bureau's own figures (growth minus gap); confirmed when
        it equals the article's figure, contradicted otherwise (the evidence says when the article's figure is the
        bureau's gap).
    """
    art = article_value(claim)
    rows = figures_for(independent_figures, "statistics_bureau_attribution")
    growth, gap = _bureau_statement(rows)
    if growth is None or gap is None:
        return unverifiable(
            _ATTRIBUTION_RULE,
            "No record of the Shanxi Statistics Bureau's own statement of 2020 "
            "FAI growth and its gap to the national average was found in the data.",
            "The bureau's 2020 statistical communiqué or its annual-report release.",
            figure_sources(rows),
            (f"national average {pct_as_given(art)}", "none found"),
        )
    g, d = float(growth["value"]), float(gap["value"])
    implied = g - d
    head = (
        f"The bureau gave Shanxi's growth as {pct_as_given(g)} and the gap to the national average as "
        f"{pp_as_given(d)}, so on its own figures the national average was "
        f"{fmt.number(g, 1)} \u2212 {fmt.number(d, 1)} = {pct_as_given(implied)}"
    )
    if within(implied, art, ONE_DECIMAL_PP):
        verdict, text = "confirmed", head + ", as the article says."
    elif within(d, art, ONE_DECIMAL_PP):
        verdict, text = (
            "contradicted",
            (
                head + f"; the article's {pct_as_given(art)} is the bureau's gap, reported as a "
                "national average the bureau never gave."
            ),
        )
    else:
        verdict, text = "contradicted", head + f", not the article's {pct_as_given(art)}."
    said = str(gap.get("verbatim", "") or "").strip()
    if said:
        text += f" Source, {gap['source_desc']}: \u201c{said}\u201d"
    return Finding(
        implied,
        verdict,
        _ATTRIBUTION_RULE,
        text,
        "",
        figure_sources(rows[rows["comparable"]]),
        shown=(
            f"national average {pct_as_given(art)}",
            f"{pct_as_given(implied)} (bureau: growth {pct_as_given(g)}, {pp_as_given(d)} above the national average)",
        ),
    )
