"""Sentences on investment against the economy: turn :mod:`shanxi_analysis.analysis.economy` results into
Markdown, one sentence per question the data can answer.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.macro import Economy
from .. import numbers as fmt
from .safe import text as esc  # as present.story.esc


def economy_text(e: Economy, price: pd.DataFrame) -> list[str]:
    """Sentences on investment against the economy, one per question the data can answer, and one plain sentence
    for each it cannot."""
    p, y = esc(e.province), e.year
    out = []
    if e.fai_share_of_gdp is not None:
        text = (
            f"{p}'s fixed-asset investment was {fmt.yuan_100m(e.fai_level)} in {y}, "
            f"{fmt.pct(e.fai_share_of_gdp)} of its gross regional product ({fmt.yuan_100m(e.gdp)})"
        )
        text += (
            f", or {fmt.yuan(e.fai_per_head)} per resident (year-end population "
            f"{fmt.number(e.population_10k * 1e4 / 1e6, 2)} million)."
            if e.fai_per_head is not None and e.population_10k is not None  # per head needs the population
            else "."
        )
        if e.level_break:
            text += f" The level is for scale only and not comparable with the year before: {esc(e.level_break)}"
        out.append(text)
    if e.real_fai_growth is not None and e.price_index is not None:  # real growth needs the price index
        out.append(
            f"Investment prices changed {fmt.pct(e.price_index - 100, signed=True)} in {y} (FAI price "
            f"index), so the {fmt.pct(e.fai_growth, signed=True)} nominal growth was about "
            f"{fmt.pct(e.real_fai_growth, signed=True)} in real terms (DERIVED: nominal growth deflated by the "
            "price index)."
        )
    elif not e.has_price_index:
        out.append(
            f"NBS never published an FAI price index for {p}, so its investment growth cannot be put in real terms."
        )
    if e.real_grp_growth is not None:
        text = f"{p}'s economy (real GRP) grew {fmt.pct(e.real_grp_growth, signed=True)} in {y}"
        if e.fai_growth is not None:
            gap = e.fai_growth - e.real_grp_growth
            text += (
                f"; investment growth ({fmt.pct(e.fai_growth, signed=True)}, nominal) was {fmt.pp(abs(gap))} "
                f"{'above' if gap > 0 else 'below' if gap < 0 else 'level with'} it"
            )
        out.append(text + ".")
    if e.gfcf is not None:
        text = (
            f"Gross fixed capital formation, the national-accounts measure of investment, was {fmt.yuan_100m(e.gfcf)}"
        )
        if e.gfcf_share_of_gdp is not None:
            text += f", {fmt.pct(e.gfcf_share_of_gdp)} of GRP"
        if e.fai_to_gfcf is not None:
            text += (
                f"; the FAI statistics counted {fmt.number(e.fai_to_gfcf, 2)} times as much (the two measure "
                "different things: FAI includes land and second-hand assets)"
            )
        out.append(text + ".")
    return out


def economy_history_text(history: pd.DataFrame, province: str) -> str:
    """Which years of the province's series can be put in real terms, and against real GRP growth."""

    def years(col: str) -> str:
        ys = history.loc[history[col].notna(), "year"].astype(int)
        return f"{fmt.plural(len(ys), 'year')} ({ys.min()}-{ys.max()})" if len(ys) else "no year"

    return (
        f"Over the series, {esc(province)}'s investment growth can be put in real terms for "
        f"{years('real_fai_growth_pct')} and set against the real growth of its economy for "
        f"{years('real_grp_growth_pct')}."
    )
