"""Periods of the monthly statistics: NBS publishes cumulative year-to-date figures, named by their last month."""

from __future__ import annotations

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def ytd(end_month: int) -> str:
    """A cumulative year-to-date period by its last month: ``ytd(4) -> "Jan-Apr"``, ``ytd(12) -> "Jan-Dec"``.

    Raises
    ------
    ValueError
        If ``end_month`` is not 1-12.
    """
    m = int(end_month)
    if not 1 <= m <= 12:
        raise ValueError(f"end_month must be 1-12, not {end_month!r}.")
    return "Jan" if m == 1 else f"Jan-{_MONTHS[m - 1]}"


def year_span(years: set[int]) -> str:
    """``first-last`` of a set of years, ``no year`` when empty."""
    return f"{min(years)}-{max(years)}" if years else "no year"
