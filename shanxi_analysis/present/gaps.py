"""What the data cannot say: the questions of a report that have no figure for a province and year, as one plain
sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .. import analysis
from ..analysis.periods import year_span
from .. import numbers as fmt
from .safe import text as esc  # as present.story.esc


# --------------------------------------------------------------------------------------------- gaps
def _years_of(df: pd.DataFrame | None, column: str, province: str | None = None) -> set[int]:
    """Years with a value in ``column`` (for ``province`` where given)."""
    if df is None or df.empty:
        return set()
    rows = df if province is None else df[df["province"] == province]
    return set(int(y) for y in rows.loc[rows[column].notna(), "year"])


def data_gaps(
    province: str,
    year: int,
    *,
    fai: pd.DataFrame,
    nat: pd.DataFrame | None = None,
    monthly: pd.DataFrame | None = None,
    gdp: pd.DataFrame | None = None,
    breakdown: pd.DataFrame | None = None,
    extra: Sequence[tuple[str, pd.DataFrame | None, str]] = (),
) -> list[str]:
    """What the data cannot say for ``province`` in ``year``, each as a clause naming why, in report order.

    Every coverage is read from the frames passed (a frame left out is not judged).

    Parameters
    ----------
    fai, nat, monthly, gdp : DataFrame
        :func:`~shanxi_analysis.data.datasets.fai_growth`, ``national_fai_growth``, ``fai_monthly_2020``, ``gdp``.
    breakdown : DataFrame
        ``shanxi_investment_2020``: the only breakdown of a province's investment by sector and city.
    extra : sequence of (what, frame, value column)
        Further province-year datasets: ``what`` is said when ``frame`` has no value for the province and year.
    """
    out = []
    if year not in _years_of(fai, "fai_growth_pct", province):
        out.append(
            f"how fast {esc(province)}'s investment grew or where it ranked (no figure was published for {year})"
        )
    if nat is not None and analysis.national_growth(nat, year) is None:
        out.append(f"how it compared with China as a whole (no national figure for {year} is in the sources)")
    if monthly is not None:
        months = monthly[monthly["cum_growth_pct"].notna()]
        if year not in set(months["year"]):
            out.append(
                f"how the year unfolded month by month (monthly figures exist only for "
                f"{fmt.years(sorted(set(months['year'])))})"
            )
        elif province not in set(months.loc[months["year"] == year, "region"]):
            others = sorted(set(months.loc[months["year"] == year, "region"]) - {"China"})
            out.append(
                f"how {esc(province)}'s own year unfolded month by month (the monthly provincial "
                f"figures cover only {esc(fmt.join(others))})"
            )
    if breakdown is not None and (province, year) != ("Shanxi", 2020):  # the one breakdown: Shanxi's 2020
        out.append(
            "how its investment split by sector and city ("
            + (
                "the data has that breakdown only for 2020)"
                if province == "Shanxi"
                else f"the data has no such breakdown for {esc(province)})"
            )
        )
    if gdp is not None:
        g = gdp[gdp["vintage"] == "revised"] if "vintage" in gdp else gdp
        have = _years_of(g, "gdp_100m_yuan", province)
        if year not in have:
            out.append(
                f"how investment compared with the size of its economy (the GDP series covers {year_span(have)})"
            )
    for what, frame, column in extra:
        if frame is not None and year not in _years_of(frame, column, province):
            out.append(what)
    return out


def gaps_text(province: str, year: int, missing: Sequence[str]) -> str:
    """One plain sentence: what the data cannot say for the province and year (empty when nothing is missing)."""
    if not missing:
        return f"The data covers every question of this report for {esc(province)} in {year}."
    return f"For {esc(province)} in {year} the data cannot say {fmt.join(list(missing))}."
