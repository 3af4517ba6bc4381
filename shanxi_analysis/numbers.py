"""How numbers read in text: one formatter per kind of figure, so every report writes them the same way.

Every formatter turns a missing value (None, NaN, ``pd.NA``) into :data:`MISSING` instead of printing "nan",
so a gap in the data stays visible in the prose.  Nothing here rounds a figure beyond the precision it is
asked to show, and nothing converts between quantities other than units (100 million yuan -> billion yuan).

Tables (:func:`shanxi_analysis.present.html_table`) write numbers with these same helpers, so a figure
reads the same in a table and in the sentence beside it.  Every figure is rounded as a reader rounds it
(:func:`rounded`: half away from zero on its decimal value), so a median of 9.0 and 6.1 reads 7.6, not 7.5.

>>> pct(10.6), pp(7.7, signed=True), ordinal(2), yuan_100m(3324.3)
('10.6%', '+7.7 pp', '2nd', '332.4 billion yuan')"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

#: What the text says where a figure is missing.
MISSING = "not available"


def is_missing(value: Any) -> bool:
    """True for None, NaN, ``pd.NA`` and ``pd.NaT``.

    Parameters
    ----------
    value : Any
        A scalar.

    Returns
    -------
    bool
    """
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):  # pd.NA refuses bool()
        return True


#: Decimals a computed figure is cleaned to before it is rounded for display: 8.45 - 1.2 is 7.249999999999999 in
#: binary floating point, and reads 7.25 before :func:`rounded` takes it to 7.3.
CLEAN_DIGITS = 9


def rounded(value: float, digits: int = 1) -> float:
    """``value`` rounded to ``digits`` decimals as a reader (and NBS) rounds: half away from zero, on the figure's
    decimal value, not its binary one.  Python's ``round`` and format give 7.55 -> 7.5 (the binary double is
    7.54999...); this gives 7.6, and 1596.05 -> 1596.1, -2.25 -> -2.3.

    >>> rounded(7.55), rounded(8.45 - 1.2), rounded(-2.25), rounded(1596.05)
    (7.6, 7.3, -2.3, 1596.1)"""
    clean = Decimal(repr(round(float(value), CLEAN_DIGITS)))
    return float(clean.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def number(value: float | int | None, digits: int = 1) -> str:
    """A number with thousands separators and a fixed count of decimals.

    Parameters
    ----------
    value : float, int or None
        The figure.
    digits : int, default 1
        Decimals shown.

    Returns
    -------
    str
        ``number(17835.6) -> "17,835.6"``; :data:`MISSING` when the value is missing.
    """
    if value is None or is_missing(value):  # the None test narrows the type for mypy; is_missing adds NaN, NA, NaT
        return MISSING
    return f"{rounded(float(value), digits):,.{digits}f}"


def integer(value: float | int | None) -> str:
    """A whole number with thousands separators: ``integer(1411778724) -> "1,411,778,724"``."""
    if value is None or is_missing(value):  # the None test narrows the type for mypy; is_missing adds NaN, NA, NaT
        return MISSING
    return f"{int(rounded(float(value), 0)):,}"


def pct(value: float | None, digits: int = 1, *, signed: bool = False) -> str:
    """A percentage: ``pct(10.6) -> "10.6%"``, ``pct(-3.1, signed=True) -> "−3.1%"``.

    Parameters
    ----------
    value : float or None
        The percentage (already in percent, not a fraction).
    digits : int, default 1
        Decimals shown.
    signed : bool, default False
        Prefix positive values with "+".

    Returns
    -------
    str
        The formatted percentage; negative values use a true minus sign; :data:`MISSING` if missing.
    """
    if value is None or is_missing(value):  # the None test narrows the type for mypy; is_missing adds NaN, NA, NaT
        return MISSING
    v = rounded(float(value), digits)
    sign = "+" if signed and v > 0 else ""
    return (sign + f"{v:.{digits}f}%").replace("-", "\u2212")


def pp(value: float | None, digits: int = 1, *, signed: bool = False) -> str:
    """A difference of percentages in percentage points: ``pp(7.7) -> "7.7 pp"``.

    Parameters
    ----------
    value : float or None
        The difference, in percentage points.
    digits : int, default 1
        Decimals shown.
    signed : bool, default False
        Prefix positive values with "+".

    Returns
    -------
    str
    """
    if value is None or is_missing(value):  # the None test narrows the type for mypy; is_missing adds NaN, NA, NaT
        return MISSING
    v = rounded(float(value), digits)
    sign = "+" if signed and v > 0 else ""
    return (sign + f"{v:.{digits}f} pp").replace("-", "\u2212")


def ordinal(n: int | None) -> str:
    """An English ordinal: ``ordinal(1) -> "1st"``, ``ordinal(12) -> "12th"``, ``ordinal(22) -> "22nd"``.

    Parameters
    ----------
    n : int or None
        A rank.

    Returns
    -------
    str
        :data:`MISSING` when the rank is missing.
    """
    if n is None or is_missing(n):  # the None test narrows the type for mypy; is_missing adds NaN, NA, NaT
        return MISSING
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def yuan_100m(value: float | None, digits: int = 1) -> str:
    """An amount given in 100 million yuan (亿元), written in billions or trillions of yuan.

    Parameters
    ----------
    value : float or None
        Amount in 100 million yuan, the unit of Chinese statistics.
    digits : int, default 1
        Decimals of the billion figure; trillions get ``digits + 1`` decimals.

    Returns
    -------
    str
        ``yuan_100m(3324.3) -> "332.4 billion yuan"``, ``yuan_100m(17835.6) -> "1.78 trillion yuan"``
        (10,000 × 100 million = 1 trillion); :data:`MISSING` if missing.
    """
    if value is None or is_missing(value):  # the None test narrows the type for mypy; is_missing adds NaN, NA, NaT
        return MISSING
    v = float(value)
    if abs(v) >= 10_000:
        return f"{rounded(v / 10_000, digits + 1):,.{digits + 1}f} trillion yuan".replace("-", "\u2212")
    return f"{rounded(v / 10, digits):,.{digits}f} billion yuan".replace("-", "\u2212")


def yuan(value: float | None, digits: int = 0) -> str:
    """An amount in yuan with separators: ``yuan(50528.3) -> "50,528 yuan"``."""
    if value is None or is_missing(value):  # the None test narrows the type for mypy; is_missing adds NaN, NA, NaT
        return MISSING
    return f"{rounded(float(value), digits):,.{digits}f} yuan".replace("-", "\u2212")


def join(items: Iterable[Any], conjunction: str = "and") -> str:
    """An English list: ``join(["a", "b", "c"]) -> "a, b and c"``; ``""`` for no items."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def years(values: Iterable[Any]) -> str:
    """An English list of years: ``years([2019.0, 2020]) -> "2019 and 2020"``."""
    return join(str(int(y)) for y in values)


def period(text: Any) -> str:
    """A period as the data writes it (``2020-02-28..2020-08-08``) as a reader reads it: ``2020-02-28 to
    2020-08-08``; a single date or year unchanged."""
    return str(text).replace("..", " to ")


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    """``plural(1, "year") -> "1 year"``, ``plural(3, "year") -> "3 years"``."""
    return f"{n} {word if n == 1 else (plural_word or word + 's')}"


# --------------------------------------------------------------------------------------------- figures as given
def as_given(value: float | int | None, most: int = 4) -> str:
    """A figure with the decimals it was given, at most ``most``: ``as_given(1.24) -> "1.24"``,
    ``as_given(7200.0) -> "7,200"``, ``as_given(190.449861, most=1) -> "190.4"``.

    Parameters
    ----------
    value : float, int or None
        The figure.
    most : int, default 4
        Most decimals shown; a figure with more is rounded to this many (trailing zeros dropped).

    Returns
    -------
    str
        Thousands separators, a true minus sign; :data:`MISSING` if missing.
    """
    if value is None or is_missing(value):  # the None test narrows the type for mypy; is_missing adds NaN, NA, NaT
        return MISSING
    v = rounded(float(value), most)
    text = f"{v:,.{most}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "\u2212")


def billion_yuan(value: float | None, digits: int = 1) -> str:
    """An amount given in 100 million yuan written as a number of billions: ``billion_yuan(3324.3) -> "332.4"``
    (the figure :func:`yuan_100m` prints, without the unit, for table columns headed "billion yuan")."""
    if value is None or is_missing(value):  # the None test narrows the type for mypy; is_missing adds NaN, NA, NaT
        return MISSING
    return f"{rounded(float(value) / 10, digits):,.{digits}f}".replace("-", "\u2212")


def cell(value: Any, digits: int | None = None) -> str:
    """A table cell's text: missing values as "—", floats with ``digits`` decimals (default: as given, at most 4;
    trailing zeros dropped), booleans as yes/no, everything else as ``str``."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None or is_missing(value):  # the None test narrows the type for mypy; is_missing adds NaN, NA, NaT
        return "\u2014"
    if isinstance(value, float) or (hasattr(value, "dtype") and value.dtype.kind == "f"):
        return number(value, digits) if digits is not None else as_given(value)
    return str(value)
