"""The claims ledger as an editor publishes it: the display table, the notes with every claim's full evidence and
linked sources, and the verdict vocabulary as a list.

The ledger itself (:func:`shanxi_analysis.claims.ledger`) is plain data; this module only presents it.  Data text
is escaped where it is rendered (:func:`.markdown.escape`) and links go only to http(s) addresses.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import pandas as pd
from markupsafe import Markup

from .. import numbers as fmt
from ..claims import (
    COLUMNS,
    RULEBOOK,
    SOURCE_SEP,
    VERDICTS,
    YEAR,
    basis_name,
    rule_text,
    verdict_meaning,
    verdict_word,
)
from ..errors import ParameterError
from ..messages import DEFAULT_LANG, FILTERS, say, term
from .citations import CLAIMS_REPORT, claim_anchor, source_name
from .claimreview import first_sentence
from .markdown import escape, link, safe_url

#: The ledger's downloads, written beside the article-check pages by the report builder and linked from the
#: ledger page: format -> file name.
LEDGER_FILES = {"csv": "claims-ledger.csv", "json": "claims-ledger.json"}

#: The order a reader needs the verdicts in: errors first, then what holds, then what cannot be known.
VERDICT_ORDER = ("contradicted", "misleading", "confirmed", "consistent", "unverifiable")


def columns(names: list[str], lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Columns -> their headers in ``lang`` (the catalog's ``article.column``), for
    :func:`~shanxi_analysis.present.tables.html_table`."""
    return {c: say("article.column", lang, column=c) for c in names}


#: The columns of :func:`display_table`, in display order.
DISPLAY_NAMES = ["claim", "article", "data", "verdict", "basis", "evidence", "sources"]
#: Columns of :func:`display_table` -> their English headers (``columns(DISPLAY_NAMES, lang)`` in another language).
DISPLAY_COLUMNS = columns(DISPLAY_NAMES)


def display_columns(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """:data:`DISPLAY_COLUMNS` in ``lang``."""
    return columns(DISPLAY_NAMES, lang)


_SOURCE = re.compile(r"^(?P<name>.*?)\s*<(?P<url>[^<>\s]+)>$")


def source_links(sources: str, *, once: bool = False) -> list[tuple[str, str]]:
    """The ``sources`` cell of a ledger row (entries joined by :data:`~shanxi_analysis.claims.SOURCE_SEP`) as
    ``(name, url)`` pairs (url ``""`` where none was given).  ``once``: each address once, under its first name (a
    figure derived from a source cites its address again, "derived from cinic figures", which the Chinese page,
    naming sources by address, listed twice as the same source)."""
    out = []
    seen: set[str] = set()
    for entry in str(sources or "").split(SOURCE_SEP):
        entry = entry.strip()
        if entry:
            m = _SOURCE.match(entry)
            name, url = (m["name"], m["url"]) if m else (entry, "")
            if once and (url or name) in seen:
                continue
            seen.add(url or name)
            out.append((name, url))
    return out


class FoundDocuments(NamedTuple):
    """What was found on some of the article's claims beyond the article: ``documents`` (counted once by address),
    and how many of the ``claims`` they bear on."""

    documents: int
    claims: int


def documents_found(ledger: pd.DataFrame, figures: pd.DataFrame, claim_ids: list[str]) -> FoundDocuments:
    """The documents found on ``claim_ids`` other than the article's own publisher's: every source the ``ledger``'s
    rows cite (:func:`source_links`) and every figure filed under them (``figures``:
    :func:`shanxi_analysis.data.independent_figures`), each counted once by its address (or name, without one),
    and the number of those claims they bear on.  A claim's sources count even where they do not decide its
    verdict: 03 said the claims without a figure "rest on the article alone" while Jinbo's first-collagen claim
    cited the Taiyuan Evening News."""
    from ..claims.evidence import is_publisher

    docs: set[str] = set()
    claims: set[str] = set()
    rows = ledger[ledger["claim_id"].isin(claim_ids)]
    for cid, sources in zip(rows["claim_id"], rows["sources"], strict=True):
        for name, url in source_links(sources):
            if not is_publisher(name, url):
                docs.add(url or name)
                claims.add(str(cid))
    for r in figures[figures["claim_id"].isin(claim_ids)].itertuples():
        if not is_publisher(r.source_desc, r.source_url):
            docs.add(str(r.source_url or r.source_desc))
            claims.add(str(r.claim_id))
    return FoundDocuments(len(docs), len(claims))


#: The columns of :func:`figures_table`, in display order.
FIGURE_NAMES = ["claim_id", "figure", "period", "what", "role", "source"]
#: Columns of :func:`figures_table` -> their English headers.
FIGURE_COLUMNS = columns(FIGURE_NAMES)


def figure_columns(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """:data:`FIGURE_COLUMNS` in ``lang``."""
    return columns(FIGURE_NAMES, lang)


def _figure_text(value: Any, unit: str, lang: str = DEFAULT_LANG) -> str:
    if unit == "event":
        return say("article.figure_document", lang)
    v = float(value)
    if unit.startswith("year"):  # a calendar year: no thousands separator
        return f"{int(v)} ({unit})" if lang == DEFAULT_LANG else f"{int(v)}年（{term(unit, lang)}）"
    if lang != DEFAULT_LANG:  # the language's amount filter: 6041亿元, 7306亿元, 12万辆/年, every digit kept
        return str(FILTERS[lang]["amount"](v, next(d for d in range(5) if round(v, d) == round(v, 4)), unit))
    number = f"{v:,.0f}" if v == int(v) else f"{v:,.4f}".rstrip("0")
    return f"{number} {unit}"


def figures_table(figures: pd.DataFrame, claim_ids: list[str], lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The figures found that bear on some claims, as sentences and numbers with their units, for
    :func:`~shanxi_analysis.present.tables.html_table` with :data:`FIGURE_COLUMNS` (``claims=["claim_id"]``,
    ``sources={"source": None}``).

    Parameters
    ----------
    figures : DataFrame
        :func:`shanxi_analysis.data.independent_figures`.
    claim_ids : list of str
        The claims, in display order.
    lang : str, default "en"
        The language of the figures' units, roles, periods and of what each is (in a language other than English,
        from ``messages/terms/<lang>.yml``: a figure without an entry there stops with an error naming the file).

    Returns
    -------
    DataFrame
        ``claim_id``, ``figure`` (value and unit; a year without a thousands separator), ``period`` ("2020-01 to
        2020-04"), ``what``, ``role`` (whether it decides the verdict, and why not: it measures something else, it
        comes from the article's own publisher, it was derived by arithmetic) and ``source`` ("publisher <url>").
    """
    from ..claims.evidence import is_publisher

    rows = []
    for cid in claim_ids:
        for r in figures[figures["claim_id"] == cid].itertuples():
            own = is_publisher(r.source_desc, r.source_url)
            role = say("article.figure_role", lang, comparable=bool(r.comparable), own=own, derived=bool(r.derived))
            rows.append(
                {
                    "claim_id": cid,
                    "figure": _figure_text(r.value, str(r.unit), lang),
                    "period": fmt.period(r.period) if lang == DEFAULT_LANG else FILTERS[lang]["dates"](r.period),
                    "what": str(r.what).strip().rstrip(".") + "."
                    if lang == DEFAULT_LANG
                    else term(str(r.what).strip(), lang),  # messages/terms/<lang>.yml
                    "role": role,
                    "source": f"{r.source_desc} <{r.source_url}>" if r.source_url else str(r.source_desc),
                }
            )
    return pd.DataFrame(rows, columns=list(FIGURE_COLUMNS))


def ledger_records(ledger_df: pd.DataFrame) -> list[dict]:
    """The ledger as JSON-ready records (one dict per claim, :func:`by_importance` order, missing numbers as
    None), for :func:`~shanxi_analysis.present.glue` and the downloads of :data:`LEDGER_FILES`."""
    df = by_importance(ledger_df)
    return [{k: (None if fmt.is_missing(v) else v) for k, v in row.items()} for row in df.to_dict("records")]


def by_importance(ledger_df: pd.DataFrame) -> pd.DataFrame:
    """The ledger's rows in the order that matters to a reader (:data:`VERDICT_ORDER`: contradicted and misleading
    first, then confirmed, consistent, unverifiable), the article's order kept within a verdict."""
    rank = ledger_df["verdict"].map({v: i for i, v in enumerate(VERDICT_ORDER)}).fillna(len(VERDICT_ORDER))
    return ledger_df.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")


def display_table(ledger_df: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The ledger as an editor publishes it: one row per claim, in :func:`by_importance` order, plain words, for
    :func:`~shanxi_analysis.present.tables.html_table` with :data:`DISPLAY_COLUMNS` (and ``id_column="claim_id"``).

    Parameters
    ----------
    ledger_df : DataFrame
        :func:`~shanxi_analysis.claims.ledger` (in ``lang``: ``claims.ledger(lang)``).
    lang : str, default "en"
        The language of the words this function adds (the basis); pass ``lang=`` to ``html_table`` too, for the
        verdicts' badges, and :func:`display_columns` for the headers.

    Returns
    -------
    DataFrame
        ``claim_id``, ``claim`` (what the claim is about), ``article`` and ``data`` (the two figures in the same
        unit and rounding), ``verdict``, ``basis`` (the rulebook's kind of evidence), ``evidence`` (its first
        sentence; the full text and the
        rule are in :func:`notes_markdown`) and ``sources`` (``"publisher <url>"`` items joined by ``" | "``, the
        article first: pass ``sources={"sources": None}`` to :func:`~shanxi_analysis.present.tables.html_table`
        to cite them by short name with a numbered list of full references).  ``attrs["sources"]`` keeps the
        ledger's provenance records, so a Chinese table cites those documents as the charts do (in Chinese).

    Raises
    ------
    ParameterError
        If a column of :data:`~shanxi_analysis.claims.COLUMNS` is missing.
    """
    missing = [c for c in COLUMNS if c not in ledger_df.columns]
    if missing:
        raise ParameterError(f"display_table() needs claims.ledger(); the frame lacks {', '.join(missing)}.")
    sources = list(ledger_df.attrs.get("sources", []))  # the datasets' provenance: cited as the charts cite it
    ledger_df = by_importance(ledger_df)
    out = pd.DataFrame(
        {
            "claim_id": ledger_df["claim_id"],
            "claim": ledger_df["topic"],
            "article": ledger_df["article_shown"],
            "data": ledger_df["data_shown"],
            "verdict": ledger_df["verdict"],
            "basis": ledger_df["basis"]
            if lang == DEFAULT_LANG
            else ledger_df["basis"].map(lambda b: basis_name(b, lang)),
            "evidence": ledger_df["evidence"].map(lambda t: first_sentence(t, lang)),
            "sources": ledger_df["sources"].map(
                lambda s: " | ".join(f"{n} <{u}>" if u else n for n, u in source_links(s, once=True))
            ),
        }
    ).reset_index(drop=True)
    out.attrs["sources"] = sources
    return out


def quote_translation(row: Any) -> str:
    """The project's rendering of a ledger row's English quote (the ledger's ``quote_translation``; "" in English
    or where the ledger does not have the column yet)."""
    value = getattr(row, "quote_translation", "") if not isinstance(row, dict) else row.get("quote_translation", "")
    return "" if fmt.is_missing(value) else str(value or "")


def notes_markdown(ledger_df: pd.DataFrame, lang: str = DEFAULT_LANG) -> Markup:
    """Every claim's full evidence, rule and linked sources as safe Markdown (data text escaped once, here, by
    :func:`shanxi_analysis.present.escape`; links only to http(s) addresses), in :func:`by_importance` order.

    Parameters
    ----------
    ledger_df : DataFrame
        :func:`~shanxi_analysis.claims.ledger` (in ``lang``).
    lang : str, default "en"
        The page's language (the catalog's ``article.note``); on a page not in English the article's English quote
        is kept verbatim, with the project's translation (``quote_translation``) beside it.

    Returns
    -------
    Markup
        One list item per claim: topic (linked to its row in the ledger table), verdict and what it rests on, the
        quote, the full evidence (ending with its rule), what would settle it where unverifiable, and the sources as
        links, each source once.
    """
    esc = escape
    records = {u: rec for rec in ledger_df.attrs.get("sources", []) if (u := safe_url(rec.get("url")))}
    items = []
    for r in by_importance(ledger_df).itertuples():
        cited = [(source_name(n, u, lang, records), u) for n, u in source_links(str(r.sources), once=True)]
        # Chinese names hold commas and 、 themselves: the sources are set apart by semicolons there
        links = (", " if lang == DEFAULT_LANG else "；").join(link(u, n) if u else esc(n) for n, u in cited)
        anchor = claim_anchor(str(r.claim_id)) if re.fullmatch(r"[a-z0-9_]+", str(r.claim_id)) else ""
        title = f"[{esc(r.topic)}](#{anchor})" if anchor else esc(r.topic)
        text = say(
            "article.note",
            lang,
            title=title,
            verdict=esc(verdict_word(str(r.verdict), lang)),
            basis=esc(basis_name(str(r.basis), lang)),
            quote=esc(r.quote),
            translation=esc(quote_translation(r)),
            evidence=esc(r.evidence),
            settle=esc(r.settle) if r.settle else "",
            sources=links,
        )
        items.append("- " + text)
    return Markup("\n".join(items))


def rulebook_markdown(lang: str = DEFAULT_LANG) -> Markup:
    """The rulebook as a safe Markdown list: for each kind of evidence, what it is and how the verdict is reached
    on it (:data:`shanxi_analysis.claims.RULEBOOK`), in ``lang``."""
    items = []
    for basis in RULEBOOK:
        name, what, how = rule_text(basis, lang)
        items.append("- " + say("article.rule_item", lang, name=escape(name), what=escape(what), how=escape(how)))
    return Markup("\n".join(items))


def _claim_href(claim_id: str) -> str:
    return f"{CLAIMS_REPORT}#{claim_anchor(claim_id)}"


def lede_markdown(ledger_df: pd.DataFrame, lang: str = DEFAULT_LANG) -> Markup:
    """The catch, first: in plain words what the article got wrong and what holds, with the numbers, each linked
    to its row of the ledger.  Every sentence is written only when the ledger's verdict and figures bear it out; the
    figures come from the ledger.

    Parameters
    ----------
    ledger_df : DataFrame
        :func:`~shanxi_analysis.claims.ledger`.
    lang : str, default "en"
        The language of the paragraphs (the catalog's ``article.lede_*``).

    Returns
    -------
    Markup
        Two paragraphs of safe Markdown ("What the article got wrong", "What holds"); an empty Markup when the
        ledger holds none of the claims it speaks of.
    """
    rows = ledger_df.set_index("claim_id")

    def get(cid: str) -> pd.Series | None:
        return rows.loc[cid] if cid in rows.index else None

    def more(cid: str) -> str:
        return say("article.lede_more", lang, claim=cid, href=_claim_href(cid))

    wrong: list[str] = []
    rank, much = get("rank_2020"), get("much_higher_than_national")
    nat, growth = get("national_average_2020"), get("fai_growth_2020")
    if nat is not None and nat["verdict"] == "contradicted" and growth is not None:
        a, d, g = float(nat["article_value"]), float(nat["data_value"]), float(growth["data_value"])
        wrong.append(
            say(
                "article.lede_national",
                lang,
                stated=a,
                national=d,
                own=g,
                exact=abs((g - d) - a) <= 0.05 + 1e-9,
                links=more("national_average_2020"),
            )
        )
    drove = get("projects_drove_growth")
    if drove is not None and drove["verdict"] == "misleading" and not fmt.is_missing(drove["data_value"]):
        wrong.append(
            say(
                "article.lede_drove",
                lang,
                stated=float(drove["article_value"]),
                fai=float(drove["data_value"]),
                links=more("projects_drove_growth"),
            )
        )
    best = get("best_rank_two_decades")
    if best is not None and best["verdict"] in ("misleading", "contradicted"):
        place = int(rank["data_value"]) if rank is not None and not fmt.is_missing(rank["data_value"]) else None
        wrong.append(
            say(
                "article.lede_best_rank",
                lang,
                rank=place,
                year=YEAR,
                record=YEAR - int(best["data_value"]),
                tie=best["verdict"] == "misleading",
                links=more("best_rank_two_decades"),
            )
        )
    six = get("approval_procedures")
    if six is not None and six["verdict"] == "contradicted":
        wrong.append(
            say("article.lede_six", lang, official=float(six["data_value"]), links=more("approval_procedures"))
        )
    holds: list[str] = []
    if growth is not None and growth["verdict"] == "confirmed":
        confirmed_rank = rank is not None and rank["verdict"] == "confirmed"
        compared = nat is not None and much is not None and much["verdict"] == "confirmed"
        holds.append(
            say(
                "article.lede_growth",
                lang,
                growth=float(growth["data_value"]),
                rank=int(rank["data_value"]) if rank is not None and confirmed_rank else None,
                national=float(nat["data_value"]) if nat is not None and compared else None,
                links=more("fai_growth_2020"),
                more_rank=more("rank_2020"),
                more_national=more("much_higher_than_national"),
            )
        )
    before = get("procedures_before")
    if before is not None and before["verdict"] == "confirmed":
        holds.append(
            say("article.lede_before", lang, official=float(before["data_value"]), links=more("procedures_before"))
        )
    unverifiable = int((ledger_df["verdict"] == "unverifiable").sum())
    if unverifiable:
        holds.append(say("article.lede_unverifiable", lang, n=unverifiable, total=len(ledger_df)))
    joiner = " " if lang == DEFAULT_LANG else ""
    out = []
    if wrong:
        out.append(say("article.lede_heading", lang, which="wrong") + joiner + joiner.join(wrong))
    if holds:
        out.append(say("article.lede_heading", lang, which="holds") + joiner + joiner.join(holds))
    return Markup("\n\n".join(out))


def vocabulary_markdown(lang: str = DEFAULT_LANG) -> Markup:
    """The verdict vocabulary as a safe Markdown list (for the ledger page), in ``lang``."""
    return Markup(
        "\n".join(
            "- "
            + say(
                "article.vocabulary_item",
                lang,
                word=escape(verdict_word(v, lang)),
                meaning=escape(verdict_meaning(v, lang)),
            )
            for v in VERDICTS
        )
    )
