"""How numbers read in text: one formatter per kind of figure, so every report writes them the same way.

Every formatter turns a missing value (None, NaN, ``pd.NA``) into :data:`MISSING` instead of printing "nan",
so a gap in the data stays visible in the prose.  Nothing here rounds a figure beyond the precision it is
asked to show, and nothing converts between quantities other than units (100 million yuan -> billion yuan).

:func:`glue` is the one non-formatting helper: it records a notebook's key results as a machine-readable
output (``application/json``), so tests and report builders can read them back from an executed notebook.

>>> pct(10.6), pp(7.7, signed=True), ordinal(2), yuan_100m(3324.3)
('10.6%', '+7.7 pp', '2nd', '332.4 billion yuan')
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Mapping

#: What the text says where a figure is missing.
MISSING = "not available"

#: The mime type of :func:`glue` outputs.
GLUE_MIME = "application/json"

#: The key under which :func:`glue` nests its values, so other JSON outputs are not mistaken for it.
GLUE_KEY = "shanxi_analysis.results"


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
    if is_missing(value):
        return MISSING
    return f"{float(value):,.{digits}f}"


def integer(value: float | int | None) -> str:
    """A whole number with thousands separators: ``integer(1411778724) -> "1,411,778,724"``."""
    if is_missing(value):
        return MISSING
    return f"{int(round(float(value))):,}"


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
    if is_missing(value):
        return MISSING
    v = float(value)
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
    if is_missing(value):
        return MISSING
    v = float(value)
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
    if is_missing(n):
        return MISSING
    n = int(n)
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
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
    if is_missing(value):
        return MISSING
    v = float(value)
    if abs(v) >= 10_000:
        return f"{v / 10_000:,.{digits + 1}f} trillion yuan".replace("-", "\u2212")
    return f"{v / 10:,.{digits}f} billion yuan".replace("-", "\u2212")


def yuan(value: float | None, digits: int = 0) -> str:
    """An amount in yuan with separators: ``yuan(50528.3) -> "50,528 yuan"``."""
    if is_missing(value):
        return MISSING
    return f"{float(value):,.{digits}f} yuan".replace("-", "\u2212")


def join(items: Iterable[Any], conjunction: str = "and") -> str:
    """An English list: ``join(["a", "b", "c"]) -> "a, b and c"``; ``""`` for no items."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    """``plural(1, "year") -> "1 year"``, ``plural(3, "year") -> "3 years"``."""
    return f"{n} {word if n == 1 else (plural_word or word + 's')}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if is_missing(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def glue_payload(**values: Any) -> dict[str, Any]:
    """The JSON document :func:`glue` displays: ``{GLUE_KEY: {name: value}}``, with numpy scalars as plain
    Python values and missing values as ``None``.

    Parameters
    ----------
    **values
        Named results (numbers, strings, lists, dicts).

    Returns
    -------
    dict
    """
    return {GLUE_KEY: _jsonable(values)}


def glue(**values: Any) -> None:
    """Record named results as an ``application/json`` output of the current notebook cell.

    The output is invisible in HTML reports exported with nbconvert (no renderer for JSON); read it back from
    the executed notebook with :func:`read_glued`.

    Parameters
    ----------
    **values
        Named results, e.g. ``glue(province="Shanxi", year=2020, rank=2)``.
    """
    from IPython.display import display

    display({GLUE_MIME: glue_payload(**values)}, raw=True)


def read_glued(notebook: Any) -> dict[str, Any]:
    """Every value a notebook recorded with :func:`glue`, merged in cell order.

    Parameters
    ----------
    notebook : nbformat.NotebookNode or dict
        An executed notebook.

    Returns
    -------
    dict
        ``name -> value``; later cells overwrite earlier ones.
    """
    out: dict[str, Any] = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(GLUE_MIME)
            if isinstance(data, dict) and GLUE_KEY in data:
                out.update(data[GLUE_KEY])
    return out


# --------------------------------------------------------------------------------------------- links and tables
#: The HTML report of the claims notebook, relative to the other reports (they sit side by side).
CLAIMS_REPORT = "05-claims.html"


def claim_anchor(claim_id: str) -> str:
    """The HTML id of a claim's row in the claims report: ``claim-<claim_id>``."""
    return f"claim-{claim_id}"


def claim_link(claim_id: str) -> str:
    """A Markdown link to a claim's row in the claims report: ``[rank_2020](05-claims.html#claim-rank_2020)``."""
    return f"[{claim_id}]({CLAIMS_REPORT}#{claim_anchor(claim_id)})"


def cell(value: Any, digits: int | None = None) -> str:
    """A table cell's text: missing values as "—", floats with up to ``digits`` decimals (trailing zeros
    dropped), booleans as yes/no, everything else as ``str``."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if is_missing(value):
        return "\u2014"
    if isinstance(value, float) or (hasattr(value, "dtype") and getattr(value, "dtype").kind == "f"):
        v = float(value)
        text = f"{v:,.{digits}f}" if digits is not None else f"{v:,.6f}".rstrip("0").rstrip(".")
        return text.replace("-", "\u2212")
    return str(value)


def html_table(df: Any, columns: Mapping[str, str], *, id_column: str | None = None,
               id_format: Any = claim_anchor) -> str:
    """An HTML table of selected columns, text escaped, optional row ids (for links to a row).

    Parameters
    ----------
    df : DataFrame
        The rows.
    columns : Mapping[str, str]
        ``column -> header`` in display order.
    id_column : str, optional
        Column whose value, through ``id_format``, becomes each row's ``id`` attribute.
    id_format : callable, default :func:`claim_anchor`

    Returns
    -------
    str
        ``<table class="sa-table">...</table>``; missing cells show "—".
    """
    from html import escape

    head = "".join(f"<th>{escape(h)}</th>" for h in columns.values())
    rows = []
    for _, r in df.iterrows():
        rid = f' id="{escape(id_format(r[id_column]))}"' if id_column else ""
        tds = "".join(f"<td>{escape(cell(r[c]))}</td>" for c in columns)
        rows.append(f"<tr{rid}>{tds}</tr>")
    return (f'<table class="sa-table" style="font-size:0.9em; text-align:left"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


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
