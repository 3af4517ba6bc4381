"""China's figures beside a province's: national growth in the comparable scope, monthly cumulative paths.
Pure functions on frames; no gap is filled.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from .indicators import shown_gap

#: National scopes in order of preference: the one comparable to the provincial series first.
NATIONAL_SCOPE_PREFERENCE = ("excluding rural households", "whole society", "urban")


# --------------------------------------------------------------------------------------------- national
class NationalGrowth(NamedTuple):
    """China's FAI growth in one year and the scope it covers."""

    year: int
    value: float
    scope: str
    derived: bool
    decimals: int = 1  # the decimals the source gives it to: 2004's "25" is a whole percent (0)

    @property
    def rounding(self) -> float:
        """How far China's true figure may lie from the one published, beyond what the pages' one decimal
        shows: 0.5 for a figure published as a whole percent (2004's 25), 0 for one published to a decimal."""
        return rounding_margin(self.decimals)

    @property
    def label(self) -> str:
        """``"China, excluding rural households"`` (``", DERIVED"`` appended for derived figures)."""
        return f"China, {self.scope}" + (" (DERIVED)" if self.derived else "")


def national_growth(nat: pd.DataFrame, year: int) -> NationalGrowth | None:
    """China's growth in ``year`` in the scope comparable to the provincial series.

    Parameters
    ----------
    nat : DataFrame
        :func:`shanxi_analysis.data.national_fai_growth`.
    year : int
        Year.

    Returns
    -------
    NationalGrowth or None
        The first scope found in :data:`NATIONAL_SCOPE_PREFERENCE` (excluding rural households, else whole
        society, else urban); None when no national figure exists for that year.
    """
    rows = nat[(nat["year"] == year) & nat["growth_pct"].notna()]
    for scope in NATIONAL_SCOPE_PREFERENCE:
        hit = rows[rows["scope"] == scope]
        if not hit.empty:
            r = hit.iloc[0]
            return NationalGrowth(
                int(year), float(r["growth_pct"]), scope, bool(r["derived"]), int(r["growth_decimals"])
            )
    return None


def rounding_margin(decimals: int, digits: int = 1) -> float:
    """Half a step of a figure's last published decimal when it is published to fewer ``decimals`` than the
    pages show (``digits``): 0.5 for a whole percent; 0 otherwise, where the shown figures compare exactly."""
    return 0.5 * 10.0 ** -int(decimals) if int(decimals) < digits else 0.0


def within_rounding(growth: float | None, national: NationalGrowth | None, digits: int = 1) -> bool:
    """Whether ``growth`` (a province's, as shown to ``digits`` decimals) cannot be told from China's figure:
    within its rounding (:attr:`NationalGrowth.rounding`), so neither can be said to have grown faster.  Fujian
    in 2004 (29.7) is clear of China's 25 (a whole percent); Tibet (25.2) is not.  False where either is missing
    or China's figure has as many decimals as the pages show."""
    if national is None:
        return False
    return too_close(shown_gap(growth, national.value, digits), national.decimals, digits)


def too_close(gap: float | None, decimals: int, digits: int = 1) -> bool:
    """Whether a province's ``gap`` to China's figure (as shown, :func:`~.indicators.shown_gap`) lies within the
    rounding of a national figure published to ``decimals`` (:func:`rounding_margin`): the one rule
    :func:`within_rounding` and :func:`~.province.against_china` apply."""
    margin = rounding_margin(decimals, digits)
    return margin > 0 and gap is not None and not pd.isna(gap) and abs(gap) <= margin


def national_gap_reason(nat: pd.DataFrame, year: int) -> str | None:
    """Why there is no national comparison for ``year`` (None when :func:`national_growth` has a figure): the
    sentence a page prints in place of the comparison."""
    if national_growth(nat, year) is not None:
        return None
    return f"NBS's national growth for {int(year)} is not in the sources this project holds"


# --------------------------------------------------------------------------------------------- 2020 in months
class MonthlyPaths(NamedTuple):
    """Cumulative growth paths for a year: ``national`` and ``province`` frames, or None where absent."""

    national: pd.DataFrame | None
    province: pd.DataFrame | None


def monthly_paths(monthly: pd.DataFrame, province: str, year: int) -> MonthlyPaths:
    """The national and provincial cumulative year-to-date paths for ``year``, where the data has them.

    Parameters
    ----------
    monthly : DataFrame
        :func:`shanxi_analysis.data.fai_monthly_2020` (``region`` is ``China`` or a province).
    province : str
        Canonical English name.
    year : int
        Year.

    Returns
    -------
    MonthlyPaths
        Each frame has ``end_month, period, cum_growth_pct, status, derived, source_desc`` sorted by month;
        the province's frame keeps its "not found" months as NaN rows.  None where the data has no rows.
    """
    cols = ["end_month", "period", "cum_growth_pct", "status", "derived", "source_desc"]

    def pick(region: str) -> pd.DataFrame | None:
        rows = monthly[(monthly["region"] == region) & (monthly["year"] == year)]
        if rows.empty:
            return None
        out = rows[cols].sort_values("end_month", ignore_index=True)
        out.attrs = dict(monthly.attrs)
        return out

    return MonthlyPaths(pick("China"), None if province == "China" else pick(province))


def from_drc(source_desc: object) -> bool:
    """Whether a monthly figure comes from a provincial Development and Reform Commission rather than a statistics
    bureau (its ``source_desc`` names the commission as the figure's source): marked on the chart and explained in
    its note, from this one rule."""
    return "Development and Reform Commission" in str(source_desc or "")


def ahead_throughout(province: pd.DataFrame, national: pd.DataFrame) -> bool | None:
    """Whether the province's cumulative growth exceeded the national figure in every period where both exist.

    Parameters
    ----------
    province, national : DataFrame
        :func:`monthly_paths` frames (``end_month``, ``cum_growth_pct``).

    Returns
    -------
    bool or None
        None when no period has both figures.
    """
    both = _both(province, national)
    if both.empty:
        return None
    return bool((both["cum_growth_pct_p"] > both["cum_growth_pct_n"]).all())


def shared_periods(province: pd.DataFrame, national: pd.DataFrame) -> int:
    """How many periods have a cumulative growth figure for both the province and China (:func:`monthly_paths`
    frames): the periods :func:`ahead_throughout` compares."""
    return len(_both(province, national))


def _both(province: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame:
    """The periods with both figures: ``end_month``, ``cum_growth_pct_p`` (province), ``cum_growth_pct_n``."""
    both = province.merge(national, on="end_month", suffixes=("_p", "_n"))
    return both.dropna(subset=["cum_growth_pct_p", "cum_growth_pct_n"])
