"""The claims ledger as an editor publishes it: the display table, the notes with every claim's full evidence and
linked sources, and the verdict vocabulary as a list.

The ledger itself (:func:`shanxi_analysis.claims.ledger`) is plain data; this module only presents it.  Data text
is escaped where it is rendered (:func:`.markdown.escape`) and links go only to http(s) addresses.
"""

from __future__ import annotations

import re

import pandas as pd
from markupsafe import Markup

from ..claims import COLUMNS, SOURCE_SEP, VERDICT_MEANING, VERDICTS
from ..errors import ParameterError
from .markdown import escape, link

#: Columns of :func:`display_table` -> their headers, for :func:`~shanxi_analysis.present.tables.html_table`.
DISPLAY_COLUMNS = {
    "claim": "Claim",
    "article": "Article says",
    "data": "Data says",
    "verdict": "Verdict",
    "evidence_kind": "Evidence kind",
    "evidence": "Evidence",
    "sources": "Sources",
}

_SENTENCE_END = re.compile(r"(?<=[.!?\u201d])\s+(?=[A-Z\u201c])")
_SOURCE = re.compile(r"^(?P<name>.*?)\s*<(?P<url>[^<>\s]+)>$")


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def source_links(sources: str) -> list[tuple[str, str]]:
    """The ``sources`` cell of a ledger row (entries joined by :data:`~shanxi_analysis.claims.SOURCE_SEP`) as
    ``(name, url)`` pairs (url ``""`` where none was given)."""
    out = []
    for entry in str(sources or "").split(SOURCE_SEP):
        entry = entry.strip()
        if entry:
            m = _SOURCE.match(entry)
            out.append((m["name"], m["url"]) if m else (entry, ""))
    return out


def display_table(ledger_df: pd.DataFrame) -> pd.DataFrame:
    """The ledger as an editor publishes it: one row per claim, plain words, for
    :func:`~shanxi_analysis.present.tables.html_table` with :data:`DISPLAY_COLUMNS` (and ``id_column="claim_id"``).

    Parameters
    ----------
    ledger_df : DataFrame
        :func:`~shanxi_analysis.claims.ledger`.

    Returns
    -------
    DataFrame
        ``claim_id``, ``claim`` (what the claim is about), ``article`` and ``data`` (the two figures in the same
        unit and rounding), ``verdict``, ``evidence_kind``, ``evidence`` (its first sentence; the full text and the
        rule are in :func:`notes_markdown`) and ``sources`` (``"publisher <url>"`` items joined by ``" | "``, the
        article first: pass ``sources={"sources": None}`` to :func:`~shanxi_analysis.present.tables.html_table`
        to cite them by short name with a numbered list of full references).

    Raises
    ------
    ParameterError
        If a column of :data:`~shanxi_analysis.claims.COLUMNS` is missing.
    """
    missing = [c for c in COLUMNS if c not in ledger_df.columns]
    if missing:
        raise ParameterError(f"display_table() needs claims.ledger(); the frame lacks {', '.join(missing)}.")
    return pd.DataFrame(
        {
            "claim_id": ledger_df["claim_id"],
            "claim": ledger_df["topic"],
            "article": ledger_df["article_shown"],
            "data": ledger_df["data_shown"],
            "verdict": ledger_df["verdict"],
            "evidence_kind": ledger_df["evidence_kind"],
            "evidence": ledger_df["evidence"].map(_first_sentence),
            "sources": ledger_df["sources"].map(
                lambda s: " | ".join(f"{n} <{u}>" if u else n for n, u in source_links(s))
            ),
        }
    ).reset_index(drop=True)


def notes_markdown(ledger_df: pd.DataFrame) -> Markup:
    """Every claim's full evidence, rule and linked sources as safe Markdown (data text escaped once, here, by
    :func:`shanxi_analysis.present.escape`; links only to http(s) addresses; claim ids are validated plain names
    and shown as code, unescaped).

    Parameters
    ----------
    ledger_df : DataFrame
        :func:`~shanxi_analysis.claims.ledger`.

    Returns
    -------
    Markup
        One list item per claim: topic, claim id, verdict, the quote, the full evidence (ending with its rule),
        what would settle it where unverifiable, and the sources as links.
    """
    esc = escape
    items = []
    for r in ledger_df.itertuples():
        links = ", ".join(link(u, n) if u else esc(n) for n, u in source_links(str(r.sources)))
        cid = str(r.claim_id) if re.fullmatch(r"[a-z0-9_]+", str(r.claim_id)) else esc(r.claim_id)
        item = (
            f"- **{esc(r.topic)}** (`{cid}`, {esc(r.verdict)}, {esc(r.evidence_kind)}). "
            f"The article: \u201c{esc(r.quote)}\u201d {esc(r.evidence)}"
        )
        if r.settle:
            item += f" What would settle it: {esc(r.settle)}"
        items.append(item + f" Sources: {links}.")
    return Markup("\n".join(items))


def vocabulary_markdown() -> Markup:
    """The verdict vocabulary as a safe Markdown list (for the ledger page)."""
    return Markup("\n".join(f"- **{v}**: {escape(VERDICT_MEANING[v])}." for v in VERDICTS))
