"""HTML tables as a reader should see them, rendered from the Jinja2 template ``templates/table.html.j2`` with
autoescaping: text left and escaped, numbers right and written by :mod:`.numbers` (:data:`FORMATS`), sources
as short publisher names linked to numbered full references under the table."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..messages import DEFAULT_LANG, FILTERS, JOIN_LINES, LABEL_CHARS, label_phrases, say
from ..numbers import as_given, billion_yuan, cell, integer, is_missing, number, ordinal, pct, pp
from .citations import (
    CLAIMS_REPORT,
    SAME_SOURCE,
    claim_anchor,
    claim_title,
    record_reference,
    short_source,
    source_name,
    split_source,
    url_text,
)
from .markdown import TEMPLATES, safe_url

#: Number formats a table column may declare (``html_table(formats={column: kind})``): each is the helper the
#: prose uses, so a table never rounds a figure differently from the text beside it.
FORMATS: dict[str, Callable[[Any], str]] = {
    "pct": pct,  # 574.0%   (as fmt.pct in the text)
    "pp": pp,  # 7.7 pp
    "number": number,  # 1,284.3  (one decimal)
    "integer": integer,  # 7,200
    "given": as_given,  # 0.7306   (as published, at most 4 decimals)
    "figure": lambda v: as_given(v, most=1),  # 190.4, 2 (computed figures: at most one decimal)
    "billion_yuan": billion_yuan,  # 332.4    (from 100 million yuan; as fmt.yuan_100m)
    "ordinal": ordinal,  # 2nd
}


def number_formats(lang: str = DEFAULT_LANG) -> dict[str, Callable[[Any], str]]:
    """:data:`FORMATS` as a table in ``lang`` writes them: English as above; another language with its catalog's
    filters where it has one (Chinese ``pct``, ``pp`` as 7.7个百分点, ``number``, ``ordinal`` as 第2位) and, for the
    others, the English figure without thousands separators (Chinese statistics write 1284.4, never 1,284.4)."""
    if lang == DEFAULT_LANG:
        return FORMATS
    filters = FILTERS[lang]

    def plain(fn: Callable[[Any], str]) -> Callable[[Any], str]:
        return lambda v: fn(v).replace(",", "")

    out = {kind: plain(fn) for kind, fn in FORMATS.items()}
    out.update({kind: filters[kind] for kind in ("pct", "pp", "number", "ordinal") if kind in filters})
    return out


#: A verdict's icon in its badge (hidden from screen readers: the verdict is also written out).
VERDICT_ICONS = {
    "contradicted": "\u2716",  # heavy multiplication x
    "misleading": "\u26a0",  # warning sign
    "confirmed": "\u2714",  # heavy check mark
    "consistent": "\u2248",  # almost equal to
    "unverifiable": "?",
}
#: The table's template (Jinja2, autoescaped), in :data:`TEMPLATES`.
TABLE_TEMPLATE = "table.html.j2"
_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?(?:\.\.\d{4}-\d{2}(?:-\d{2})?)?\b")
#: A text cell this short (a province's name, a group) is kept on one line: a narrow column would otherwise break
#: a Chinese name between its characters (新/疆).
_SHORT_TEXT = 8
_LONG_TEXT = 60


def _column_format(df: Any, column: str, declared: Any, lang: str = DEFAULT_LANG) -> Callable[[Any], str] | None:
    formats = number_formats(lang)
    if callable(declared):
        return declared
    if declared is not None:
        if declared not in formats:
            raise ValueError(
                f"html_table: unknown format {declared!r} for column {column!r}; "
                f"use one of {', '.join(formats)} or a function."
            )
        return formats[declared]
    kind = getattr(df[column].dtype, "kind", "O")
    if kind == "b":
        return None
    if column.endswith("_pct"):
        return formats["pct"]
    if column.endswith("_pp"):
        return formats["pp"]
    if kind in "iu":
        return str if re.search(r"(^|_)(year|adcode|code|id)s?$", column) else formats["integer"]
    if kind == "f":
        return formats["given"]
    return None


def _segments(text: str, lang: str = DEFAULT_LANG) -> list[tuple[str, bool]]:
    """``text`` as (part, kept) pieces, a kept piece on one line in the template: dates, and the phrases of a short
    Chinese label (:func:`~shanxi_analysis.messages.label_phrases`), so a narrow cell reads 软件和信息技术/服务业,
    never 软件和信息技术服/务业."""
    out: list[tuple[str, bool]] = []
    last = 0
    whole = [text] if len(text) > LABEL_CHARS else None  # a sentence breaks as the language's text does
    for m in _DATE.finditer(text):
        out.append((text[last : m.start()], False))
        out.append((m.group(0), True))
        last = m.end()
    out.append((text[last:], False))
    if whole is not None or lang == DEFAULT_LANG:
        return out
    return [(piece, True) for part, kept in out for piece in ([part] if kept else label_phrases(part, lang)) if piece]


class _Citations:
    """The references cited by one table, numbered in order of first use (same text or URL, same number), named in
    the page's language ``lang``: a document the table's provenance ``records`` hold (same URL) is cited as the
    charts cite it (:func:`~.citations.record_reference`: in Chinese the manifest's Chinese fields), any other by
    the data's own text, its publishers named in ``lang`` (the catalog's ``reference.short``)."""

    def __init__(self, key: str, lang: str = DEFAULT_LANG, records: Iterable[Mapping[str, Any]] = ()) -> None:
        self.key = key
        self.lang = lang
        self.records = {u: r for r in records if (u := safe_url(r.get("url")))}  # by URL
        self.items: list[tuple[str, str, str | None]] = []  # (identity, text, url), in order of first use
        self.by: dict[str, int] = {}  # identity -> number

    def _cited(self, text: str, url: str | None) -> tuple[str, str]:
        """(short name, full text) of a cited document in the table's language (the full text by
        :func:`~.citations.source_name`); English as the data records it."""
        if self.lang == DEFAULT_LANG:
            return short_source(text, url), text
        record = self.records.get(url) if url else None
        ref = record_reference(record, self.lang) if record is not None else None
        short = (
            ref["short"]
            if ref is not None
            else say("reference.short", self.lang, names=short_source(text, url).split(", "))
        )
        return short, source_name(text, url, self.lang, self.records)

    def cite(self, text: str, url: str | None) -> int:
        """The number of the reference ``text``/``url`` (one number per document: same URL, same number)."""
        url = safe_url(url)
        same = text.strip().lower() in SAME_SOURCE  # "same" in the data: the reference of that URL, or of the row above
        ident = url or (self.items[-1][0] if same and self.items else text)
        if ident not in self.by:
            self.by[ident] = len(self.items) + 1
            self.items.append((ident, text, url))
        return self.by[ident]

    def _date(self, text: str, url: str | None) -> str:
        """The date of a cited document: in its text, else in its URL, else the ``published`` date of its provenance
        record (a Wind export cited by a GitHub address is dated by the manifest); "" for an undated document."""
        record = self.records.get(url) if url else None
        published = str((record or {}).get("published") or "")
        m = _DATE.search(text) or _DATE.search(url or "") or _DATE.fullmatch(published)
        return m.group(0) if m else ""

    def short(self, n: int) -> str:
        """The short name of reference ``n``: the publisher, with the document's date (or its number) when the
        table cites several documents of that publisher, so one name never points to two documents.  A web site
        never tells two documents apart: ``NBS, github.com`` names a host, not a document."""
        names = [self._cited(text, url)[0] for _, text, url in self.items]
        name = names[n - 1]
        if names.count(name) == 1:
            return name
        mates = [i for i, x in enumerate(names, 1) if x == name]
        labels = [self._date(*self.items[i - 1][1:]) for i in mates]
        date = labels[mates.index(n)]
        apart = {"name": name, "date": None, "n": mates.index(n) + 1, "total": len(mates)}
        if date and labels.count(date) == 1:
            return say("reference.apart", self.lang, **apart | {"date": date})
        if not date and labels.count("") == 1:  # the one undated document: the dates name the others apart
            return name
        return say("reference.apart", self.lang, **apart)

    def references(self) -> list[tuple[int, str, list[tuple[str, bool]], str | None, str | None]]:
        """The numbered list under the table: (number, short name, text pieces, url, url text)."""
        return [
            (n, self.short(n), _segments(self._cited(text, url)[1]), url, url_text(url) if url else None)
            for n, (_, text, url) in enumerate(self.items, 1)
        ]


def _template() -> Any:
    from ..templating import environment

    return environment(str(TEMPLATES), False).get_template(TABLE_TEMPLATE).module


def html_table(
    df: Any,
    columns: Mapping[str, str],
    *,
    id_column: str | None = None,
    id_format: Any = claim_anchor,
    formats: Mapping[str, Any] | None = None,
    sources: Mapping[str, str | None] | None = None,
    claims: Iterable[str] = (),
    badges: Iterable[str] = ("verdict",),
    caption: str | None = None,
    lang: str = DEFAULT_LANG,
    records: Iterable[Mapping[str, Any]] | None = None,
    titles: Mapping[str, str] | None = None,
) -> str:
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
    badges : iterable of str, default ``("verdict",)``
        Columns holding verdicts, shown as badges: the verdict in words, a colour and an icon hidden from screen
        readers (``<span class="badge verdict-contradicted">``), so they read in print, in grey and aloud.
    caption : str, optional
        A caption above the table.
    lang : str, default "en"
        The page's language: the verdict badges' words (the catalog's ``article.verdict_word``), numbers as it
        writes them (:func:`number_formats`: in Chinese no thousands separator) and the sources in it: a document
        the table's provenance records hold is cited as the page's charts cite it
        (:func:`~.citations.record_reference`; in Chinese, the manifest's ``title_zh``, ``publisher_zh`` and
        ``published_zh`` by the catalog's ``reference.full``), any other by its text in the data with the
        publishers' short names in the language (``reference.short``).
    records : iterable of dict, optional
        The provenance records of the table's sources (default: ``df.attrs["sources"]``), matched by URL.
    titles : Mapping[str, str], optional
        Claim id -> the claim's title in the page's language (default :func:`claim_title`, English), for the
        ``claims`` columns.

    Returns
    -------
    str
        ``<div class="sa-table-wrap" role="region" tabindex="0" aria-label="..."><table class="sa-table">...</table>
        [sources]</div>``; missing cells "—".  The wrapper scrolls sideways on a narrow screen, so it is a region
        a keyboard can reach, named by the caption or else by the column headers.
    """
    formats = dict(formats or {})
    sources = dict(sources or {})
    claims = set(claims)
    badges = {b for b in badges if b in columns}
    unknown = [c for c in [*columns, *sources, *(u for u in sources.values() if u)] if c not in df.columns]
    if unknown:
        raise KeyError(
            f"html_table: no column {', '.join(map(repr, unknown))} in the table "
            f"(columns: {', '.join(map(str, df.columns))})."
        )
    fns = {
        c: (None if c in sources or c in claims or c in badges else _column_format(df, c, formats.get(c), lang))
        for c in columns
    }
    numeric = {c for c, f in fns.items() if f is not None}
    key = "t" + hashlib.sha1(("|".join(columns) + str(len(df)) + str(df.head(3).to_dict())).encode()).hexdigest()[:6]
    cites = _Citations(key, lang, df.attrs.get("sources", []) if records is None else records)
    long_cols: dict[str, float] = {}
    for c in columns:
        if c not in numeric and c not in sources:
            lengths = df[c].map(lambda v: 0 if is_missing(v) else len(str(v)))
            if len(lengths) and lengths.max() > _LONG_TEXT and lengths.mean() > _LONG_TEXT / 2:
                long_cols[c] = float(lengths.mean())
    longest = max(long_cols, key=long_cols.__getitem__) if len(long_cols) > 1 else None
    head = [(c in numeric, str(h)) for c, h in columns.items()]
    macros = _template()
    rendered = []
    for _, r in df.iterrows():
        rid = str(id_format(r[id_column])) if id_column else None
        cells: list[dict[str, Any]] = []
        for c, h in columns.items():
            v, label = r[c], str(h)
            if c in sources:
                url_col = sources[c]
                if url_col:
                    items = (
                        []
                        if is_missing(v) and is_missing(r[url_col])
                        else [(str("" if is_missing(v) else v), r[url_col])]
                    )
                else:
                    items = [split_source(p) for p in ("" if is_missing(v) else str(v)).split(" | ") if p.strip()]
                cells.append(
                    {
                        "kind": "source",
                        "label": label,
                        "cites": list(dict.fromkeys(cites.cite(t, u) for t, u in items)),
                        "sep": say("reference.cite_separator", lang) + JOIN_LINES.get(lang, " "),
                    }
                )
            elif c in claims:
                cells.append(
                    {
                        "kind": "claim",
                        "label": label,
                        "missing": is_missing(v),
                        "href": None if is_missing(v) else f"{CLAIMS_REPORT}#{claim_anchor(str(v))}",
                        "title": None if is_missing(v) else (titles or {}).get(str(v)) or claim_title(str(v)),
                    }
                )
            elif c in badges and not is_missing(v) and str(v) in VERDICT_ICONS:
                cells.append(
                    {
                        "kind": "verdict",
                        "label": label,
                        "verdict": str(v),
                        "word": say("article.verdict_word", lang, verdict=str(v)),
                        "icon": VERDICT_ICONS[str(v)],
                    }
                )
            elif (number_format := fns[c]) is not None:  # the numeric columns
                cells.append(
                    {"kind": "number", "label": label, "text": "\u2014" if is_missing(v) else number_format(v)}
                )
            else:
                text = cell(v)
                cls = (
                    "long longest"
                    if c == longest
                    else "long"
                    if c in long_cols
                    else "date"
                    if _DATE.fullmatch(text)
                    else "mid"
                    if len(text) > 20
                    else "short"
                    if 0 < len(text) <= _SHORT_TEXT
                    else ""
                )
                cells.append({"kind": "text", "label": label, "cls": cls, "segments": _segments(text, lang)})
        rendered.append((rid, cells))
    # short names are given once every reference of the table is known (see _Citations.short)
    rows = []
    for rid, cells in rendered:
        for cl in cells:
            if cl["kind"] == "source":
                cl["cites"] = [(key, n, cites.short(n)) for n in cl["cites"]]
        rows.append(str(macros.row(rid, cells)))
    wide = (
        any(
            df[c].map(lambda v: 0 if is_missing(v) else len(str(v))).max() > _LONG_TEXT
            for c in columns
            if c not in numeric
        )
        if len(df)
        else False
    )
    classes = "sa-table" + (" sa-cards" if long_cols or wide or len(columns) > 4 else "")
    wrap = "sa-table-wrap" + (" sa-long" if len(df) > 12 or sum(len(str(x)) for x in rows) > 6000 else "")
    from markupsafe import Markup

    # the scrolling wrapper's accessible name: the caption, or else the column headers
    label = caption or ", ".join(h for _, h in head)
    colon = say("page.sources_colon", lang) + JOIN_LINES.get(lang, " ")  # between a reference's short name and text
    return str(
        macros.table(wrap, classes, caption, head, [Markup(x) for x in rows], key, cites.references(), label, colon)
    )
