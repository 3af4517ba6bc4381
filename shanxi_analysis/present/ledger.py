"""The claims ledger as an editor publishes it: the display table, the notes with every claim's full evidence and
linked sources, and the verdict vocabulary as a list.

The ledger itself (:func:`shanxi_analysis.claims.ledger`) is plain data; this module only presents it.  Data text
is escaped where it is rendered (:func:`.markdown.escape`) and links go only to http(s) addresses.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from markupsafe import Markup

from .. import numbers as fmt
from ..claims import COLUMNS, RULEBOOK, SOURCE_SEP, VERDICT_MEANING, VERDICTS, YEAR
from ..errors import ParameterError
from .citations import CLAIMS_REPORT, claim_anchor
from .markdown import escape, link

#: The ledger's downloads, written beside the article-check pages by the report builder and linked from the
#: ledger page: format -> file name.
LEDGER_FILES = {"csv": "claims-ledger.csv", "json": "claims-ledger.json"}

#: The order a reader needs the verdicts in: errors first, then what holds, then what cannot be known.
VERDICT_ORDER = ("contradicted", "misleading", "confirmed", "consistent", "unverifiable")

#: Columns of :func:`display_table` -> their headers, for :func:`~shanxi_analysis.present.tables.html_table`.
DISPLAY_COLUMNS = {
    "claim": "Claim",
    "article": "Article says",
    "data": "Data says",
    "verdict": "Verdict",
    "basis": "Rests on",
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


#: Columns of :func:`figures_table` -> their headers.
FIGURE_COLUMNS = {
    "claim_id": "Claim",
    "figure": "Figure",
    "period": "Period",
    "what": "What it is",
    "role": "Used for the verdict?",
    "source": "Source",
}


def _figure_text(value: Any, unit: str) -> str:
    if unit == "event":
        return "a document (see what it is)"
    if unit.startswith("year"):
        return f"{int(float(value))} ({unit})"  # a calendar year: no thousands separator
    v = float(value)
    number = f"{v:,.0f}" if v == int(v) else f"{v:,.4f}".rstrip("0")
    return f"{number} {unit}"


def figures_table(figures: pd.DataFrame, claim_ids: list[str]) -> pd.DataFrame:
    """The figures found that bear on some claims, as sentences and numbers with their units, for
    :func:`~shanxi_analysis.present.tables.html_table` with :data:`FIGURE_COLUMNS` (``claims=["claim_id"]``,
    ``sources={"source": None}``).

    Parameters
    ----------
    figures : DataFrame
        :func:`shanxi_analysis.data.independent_figures`.
    claim_ids : list of str
        The claims, in display order.

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
            if r.comparable and not own:
                role = "Yes: it measures the same thing as the article"
            elif own:
                role = "No: context only, from China Daily, the article's own publisher"
            else:
                role = "No: context only, it measures something else"
            if bool(r.derived):
                role += "; derived by arithmetic from published figures, not published itself"
            rows.append(
                {
                    "claim_id": cid,
                    "figure": _figure_text(r.value, str(r.unit)),
                    "period": fmt.period(r.period),
                    "what": str(r.what).strip().rstrip(".") + ".",
                    "role": role + ".",
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


def display_table(ledger_df: pd.DataFrame) -> pd.DataFrame:
    """The ledger as an editor publishes it: one row per claim, in :func:`by_importance` order, plain words, for
    :func:`~shanxi_analysis.present.tables.html_table` with :data:`DISPLAY_COLUMNS` (and ``id_column="claim_id"``).

    Parameters
    ----------
    ledger_df : DataFrame
        :func:`~shanxi_analysis.claims.ledger`.

    Returns
    -------
    DataFrame
        ``claim_id``, ``claim`` (what the claim is about), ``article`` and ``data`` (the two figures in the same
        unit and rounding), ``verdict``, ``basis`` (the rulebook's kind of evidence), ``evidence`` (its first
        sentence; the full text and the
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
    ledger_df = by_importance(ledger_df)
    return pd.DataFrame(
        {
            "claim_id": ledger_df["claim_id"],
            "claim": ledger_df["topic"],
            "article": ledger_df["article_shown"],
            "data": ledger_df["data_shown"],
            "verdict": ledger_df["verdict"],
            "basis": ledger_df["basis"],
            "evidence": ledger_df["evidence"].map(_first_sentence),
            "sources": ledger_df["sources"].map(
                lambda s: " | ".join(f"{n} <{u}>" if u else n for n, u in source_links(s))
            ),
        }
    ).reset_index(drop=True)


def notes_markdown(ledger_df: pd.DataFrame) -> Markup:
    """Every claim's full evidence, rule and linked sources as safe Markdown (data text escaped once, here, by
    :func:`shanxi_analysis.present.escape`; links only to http(s) addresses), in :func:`by_importance` order.

    Parameters
    ----------
    ledger_df : DataFrame
        :func:`~shanxi_analysis.claims.ledger`.

    Returns
    -------
    Markup
        One list item per claim: topic (linked to its row in the ledger table), verdict and what it rests on, the
        quote, the full evidence (ending with its rule), what would settle it where unverifiable, and the sources as
        links, each source once.
    """
    esc = escape
    items = []
    for r in by_importance(ledger_df).itertuples():
        links = ", ".join(link(u, n) if u else esc(n) for n, u in dict.fromkeys(source_links(str(r.sources))))
        anchor = claim_anchor(str(r.claim_id)) if re.fullmatch(r"[a-z0-9_]+", str(r.claim_id)) else ""
        title = f"[{esc(r.topic)}](#{anchor})" if anchor else esc(r.topic)
        item = (
            f"- **{title}**: {esc(r.verdict)}, resting on {esc(r.basis)}. "
            f"The article: \u201c{esc(r.quote)}\u201d {esc(r.evidence)}"
        )
        if r.settle:
            item += f" What would settle it: {esc(r.settle)}"
        items.append(item + f" Sources: {links}.")
    return Markup("\n".join(items))


def rulebook_markdown() -> Markup:
    """The rulebook as a safe Markdown list: for each kind of evidence, what it is and how the verdict is reached
    on it (:data:`shanxi_analysis.claims.RULEBOOK`)."""
    return Markup(
        "\n".join(
            f"- **{escape(r.name[0].upper() + r.name[1:])}** ({escape(r.what)}). {escape(r.how)}"
            for r in RULEBOOK.values()
        )
    )


def _claim_href(claim_id: str) -> str:
    return f"{CLAIMS_REPORT}#{claim_anchor(claim_id)}"


def lede_markdown(ledger_df: pd.DataFrame) -> Markup:
    """The catch, first: in plain words what the article got wrong and what holds, with the numbers, each linked
    to its row of the ledger.  Every sentence is written only when the ledger's verdict and figures bear it out; the
    figures come from the ledger.

    Parameters
    ----------
    ledger_df : DataFrame
        :func:`~shanxi_analysis.claims.ledger`.

    Returns
    -------
    Markup
        Two paragraphs of safe Markdown ("What the article got wrong", "What holds"); an empty Markup when the
        ledger holds none of the claims it speaks of.
    """
    rows = ledger_df.set_index("claim_id")

    def get(cid: str) -> pd.Series | None:
        return rows.loc[cid] if cid in rows.index else None

    def more(cid: str, label: str) -> str:
        return f"([{escape(label)}]({_claim_href(cid)}))"

    wrong: list[str] = []
    rank, much = get("rank_2020"), get("much_higher_than_national")
    nat, growth = get("national_average_2020"), get("fai_growth_2020")
    if nat is not None and nat["verdict"] == "contradicted" and growth is not None:
        a, d, g = float(nat["article_value"]), float(nat["data_value"]), float(growth["data_value"])
        gap = (
            f", and {fmt.number(a, 1)} is exactly the gap between Shanxi's {fmt.pct(g, 1)} and that "
            f"{fmt.pct(d, 1)}: the article reported the gap as the national average"
            if abs((g - d) - a) <= 0.05 + 1e-9
            else ""
        )
        wrong.append(
            f"China's investment did not grow by {fmt.pct(a, 1)} in 2020, as the article says: the National Bureau "
            f"of Statistics gives {fmt.pct(d, 1)}{gap} {more('national_average_2020', 'the national figure')}."
        )
    drove = get("projects_drove_growth")
    if drove is not None and drove["verdict"] == "misleading" and not fmt.is_missing(drove["data_value"]):
        wrong.append(
            f"The {fmt.number(float(drove['article_value']), 2)} trillion yuan said to have driven the growth is more "
            f"than Shanxi's entire 2020 fixed-asset investment of about {fmt.number(float(drove['data_value']), 2)} "
            "trillion yuan, so it can only be the projects' planned investment over several years, not what was "
            f"spent in 2020 {more('projects_drove_growth', 'what drove the growth')}."
        )
    best = get("best_rank_two_decades")
    if best is not None and best["verdict"] in ("misleading", "contradicted"):
        year = YEAR - int(best["data_value"])
        place = (
            fmt.ordinal(int(rank["data_value"])) if rank is not None and not fmt.is_missing(rank["data_value"]) else ""
        )
        tie = best["verdict"] == "misleading"
        wrong.append(
            f"Ranking {place or 'where it did'} in {YEAR} was not the best ranking in two decades: Shanxi had "
            f"{'also been ' + place if tie and place else 'ranked as well or better'} in {year}, so {YEAR} "
            f"{'only equalled' if tie else 'did not beat'} that record "
            f"{more('best_rank_two_decades', 'the rank history')}."
        )
    six = get("approval_procedures")
    if six is not None and six["verdict"] == "contradicted":
        wrong.append(
            f"The 'six' approval procedures now needed, an executive's account, is not the official count: "
            f"Shanxi's government lists {fmt.integer(float(six['data_value']))} approval items still required "
            f"province-wide after its reform {more('approval_procedures', 'approval procedures')}."
        )
    holds: list[str] = []
    if growth is not None and growth["verdict"] == "confirmed":
        holds.append(
            f"Shanxi's fixed-asset investment did grow {fmt.pct(float(growth['data_value']), 1)} in 2020 "
            f"{more('fai_growth_2020', 'growth')}"
            + (
                f", the {fmt.ordinal(int(rank['data_value']))} fastest of the provinces {more('rank_2020', 'the rank')}"
                if rank is not None and rank["verdict"] == "confirmed"
                else ""
            )
            + (
                f", far above China's {fmt.pct(float(nat['data_value']), 1)} "
                + more("much_higher_than_national", "the comparison")
                if nat is not None and much is not None and much["verdict"] == "confirmed"
                else ""
            )
            + "."
        )
    before = get("procedures_before")
    if before is not None and before["verdict"] == "confirmed":
        holds.append(
            f"The 'about 30' approval procedures before the reform matches the official count of "
            f"{fmt.integer(float(before['data_value']))} {more('procedures_before', 'before the reform')}."
        )
    unverifiable = int((ledger_df["verdict"] == "unverifiable").sum())
    if unverifiable:
        holds.append(
            f"{unverifiable} of the {len(ledger_df)} claims, most of them figures on projects and companies, cannot "
            "be settled with the public data found: they are listed as unverifiable, with what would settle them."
        )
    out = []
    if wrong:
        out.append("**What the article got wrong.** " + " ".join(wrong))
    if holds:
        out.append("**What holds.** " + " ".join(holds))
    return Markup("\n\n".join(out))


def vocabulary_markdown() -> Markup:
    """The verdict vocabulary as a safe Markdown list (for the ledger page)."""
    return Markup("\n".join(f"- **{v}**: {escape(VERDICT_MEANING[v])}." for v in VERDICTS))
