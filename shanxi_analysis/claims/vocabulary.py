"""What a verdict means, what kind of evidence it rests on, and the one sentence that counts them.

The ledger speaks an editor's language.  Each claim gets one **verdict**:

``confirmed``
    an independent figure measuring the same thing agrees with the article within the rounding the article uses
    (the rule is stated in the row's evidence);
``consistent``
    arithmetically consistent: the figure follows from the article's own numbers (for example a currency
    conversion at a published rate), but no independent figure for the quantity itself was found.  The arithmetic
    is right; the figure is not confirmed;
``misleading``
    the figure is right or cannot be known, but the framing around it (a cause, a comparison, a characterisation)
    is not supported by the data;
``contradicted``
    an independent figure measuring the same thing disagrees;
``unverifiable``
    no independent figure measuring the same thing was found; the row says what is known and what would settle it.

and one **evidence kind**, saying what the verdict rests on:

``independent data``
    figures published by someone other than the article (NBS, the Shanxi Statistics Bureau, company filings ...);
``arithmetic on the article's own numbers``
    only the article's figures, combined by arithmetic (with a published conversion factor where one is needed);
``article only``
    nothing independent of the article: the article itself, its own publisher, or a notice published before the
    event it announces.

Beneath the three evidence kinds, the **rulebook** (:data:`RULEBOOK`) says for each *basis* a claim can rest on
(official statistics, arithmetic on the article's own numbers, a later official document, a personal account, an
advance notice, the article's own publisher, a tie in a ranking, nothing but the article) how the verdict is reached
and which verdicts it can give.  Every claim names its basis in ``definitions.yml``; the ledger refuses a verdict
its basis does not allow, so two claims resting on the same kind of evidence are judged by the same rule.

:func:`headline` is the sentence every page uses to report the counts; it says what it counts.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from .. import numbers as fmt
from ..errors import ParameterError

#: The verdicts, in the order :func:`verdict_counts` and :func:`headline` report them.
VERDICTS = ("confirmed", "consistent", "misleading", "contradicted", "unverifiable")

#: What each verdict means, in one sentence (shown on the ledger page and in the README).
VERDICT_MEANING = {
    "confirmed": "an independent figure measuring the same thing agrees with the article within the article's rounding",
    "consistent": "the figure follows by arithmetic from the article's own numbers, but no independent figure for "
    "it was found (arithmetic checked, figure not confirmed)",
    "misleading": "the figure is right or cannot be known, but the framing around it is not supported by the data",
    "contradicted": "an independent figure measuring the same thing disagrees with the article",
    "unverifiable": "no independent figure measuring the same thing was found",
}

#: How :func:`headline` names each verdict after its count ("4 are ...").
VERDICT_PHRASES = {
    "confirmed": "confirmed by an independent figure",
    "consistent": "only arithmetically consistent with the article's own numbers",
    "misleading": "misleading (the figure may stand, the framing is not supported)",
    "contradicted": "contradicted by an independent figure",
    "unverifiable": "unverifiable with the public data found",
}

#: The kinds of evidence a verdict can rest on, in reporting order.
EVIDENCE_KINDS = ("independent data", "arithmetic on the article's own numbers", "article only")

#: Which evidence kinds each verdict allows (a confirmation needs independent data, and so on).
ALLOWED_KINDS = {
    "confirmed": {"independent data"},
    "consistent": {"arithmetic on the article's own numbers"},
    "misleading": {"independent data", "arithmetic on the article's own numbers"},
    "contradicted": {"independent data"},
    "unverifiable": {"article only"},
}


class Rule(NamedTuple):
    """One entry of the rulebook: what a basis is, how the verdict is reached on it, and the verdicts it can
    give (an unverifiable verdict always rests on the article alone, see :data:`ALLOWED_KINDS`)."""

    name: str
    what: str
    how: str
    verdicts: tuple[str, ...]


#: The rulebook: basis (the ``basis`` field of a claim in ``definitions.yml``) -> :class:`Rule`, in the order the
#: pages list them.  The ``how`` sentences are shown to readers as written.
RULEBOOK: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule(
            "official statistics",
            "a figure from the National Bureau of Statistics or a provincial statistics bureau measuring the same "
            "thing as the article",
            "Confirmed when the official figure agrees with the article's within the article's own rounding "
            "(a growth rate given to one decimal: within 0.05 percentage points); contradicted when it does not; "
            "unverifiable when the statistics do not cover the year. "
            "Where the figure stands but the words around it (a cause, a comparison) go beyond what the statistics "
            "show, misleading. Only the full-year figure decides a claim about the year; figures for parts of the "
            "year, derived figures and figures from other agencies are context, and are labelled so wherever they "
            "are shown.",
            ("confirmed", "contradicted", "misleading", "unverifiable"),
        ),
        Rule(
            "arithmetic on the article's own numbers",
            "the article's own figures combined by arithmetic, with a published rate where one is needed",
            "Consistent when the figure follows from the article's other figures within its rounding (the "
            "arithmetic is right; the amount itself is not confirmed); contradicted when it does not follow at "
            "the published rate; unverifiable when the rate is not published.",
            ("consistent", "contradicted", "unverifiable"),
        ),
        Rule(
            "later official document",
            "a government, court or stock-exchange document published after the article that records the fact",
            "Confirmed when the document records the same fact or count as the article; contradicted when it "
            "records a different one; a document that counts something else is named but decides nothing.",
            ("confirmed", "contradicted", "unverifiable"),
        ),
        Rule(
            "personal account",
            "a count or fact given by a person quoted in the article",
            "Checked against the official count of the same thing, the same way for every account: a count the "
            "speaker qualified ('about 30') is confirmed when the official count is within the speaker's rounding; "
            "a count given as exact ('six') is confirmed only when the official count equals it and is "
            "contradicted otherwise. The evidence says what the official count covers (for example the whole "
            "province rather than one company).",
            ("confirmed", "contradicted", "unverifiable"),
        ),
        Rule(
            "advance notice",
            "a notice, published before an event, that the event would take place",
            "Never a record of the event: a claim that the event happened stays unverifiable until a report "
            "published after it is found.",
            ("unverifiable",),
        ),
        Rule(
            "the article's own publisher",
            "another report by China Daily, the publisher of the article under check",
            "Never independent evidence for the article's claims: it is shown as context and cannot confirm or "
            "contradict. A claim resting on it alone is unverifiable; a claim with an official figure is judged on "
            "that figure alone.",
            ("unverifiable",),
        ),
        Rule(
            "tie in a ranking",
            "a record claim ('the best ranking in two decades') set against every year of the period",
            "Contradicted when another year in the period ranked better; misleading when another year ranked "
            "equally (the rank stands, the record does not); confirmed only when every other year ranked worse.",
            ("confirmed", "misleading", "contradicted", "unverifiable"),
        ),
        Rule(
            "article only",
            "nothing but the article: no other source bearing on the claim was found",
            "Unverifiable; the ledger says what is known nearby and which document would settle it.",
            ("unverifiable",),
        ),
    )
}

#: The bases, in rulebook order.
BASES = tuple(RULEBOOK)


#: How :func:`headline` names each evidence kind after its count ("12 rest on ...").
KIND_PHRASES = {
    "independent data": "independent data",
    "arithmetic on the article's own numbers": "arithmetic on the article's own numbers",
    "article only": "the article alone",
}


def _counts(ledger_df: pd.DataFrame, column: str, allowed: tuple[str, ...], caller: str) -> pd.Series:
    if column not in ledger_df.columns:
        raise ParameterError(
            f"{caller}() needs a DataFrame with a {column!r} column, such as claims.ledger(); "
            f"got columns {list(ledger_df.columns)}."
        )
    bad = sorted(set(ledger_df[column]) - set(allowed))
    if bad:
        raise ParameterError(f"{caller}(): unknown {column} value(s) {bad}; allowed: {', '.join(allowed)}.")
    counts = ledger_df[column].value_counts().reindex(list(allowed), fill_value=0).astype(int)
    counts.index.name = column
    return counts.rename("claims")


def verdict_counts(ledger_df: pd.DataFrame) -> pd.Series:
    """How many claims got each verdict.

    Parameters
    ----------
    ledger_df : DataFrame
        :func:`~shanxi_analysis.claims.ledger` (or any frame with a ``verdict`` column).

    Returns
    -------
    Series
        Counts indexed by :data:`VERDICTS` (zeros included), named ``claims``.

    Raises
    ------
    ParameterError
        If there is no ``verdict`` column or it holds a value outside :data:`VERDICTS`.
    """
    return _counts(ledger_df, "verdict", VERDICTS, "verdict_counts")


def kind_counts(ledger_df: pd.DataFrame) -> pd.Series:
    """How many claims rest on each kind of evidence (counts indexed by :data:`EVIDENCE_KINDS`).

    Raises
    ------
    ParameterError
        If there is no ``evidence_kind`` column or it holds a value outside :data:`EVIDENCE_KINDS`.
    """
    return _counts(ledger_df, "evidence_kind", EVIDENCE_KINDS, "kind_counts")


def headline(ledger_df: pd.DataFrame) -> str:
    """The ledger's counts in one or two sentences that say exactly what they count.

    Every page that shows the counts uses this sentence, so the overview, the article check and the ledger never
    disagree.  Verdicts with no claim are left out of the list, but the total always equals the number of rows.

    Parameters
    ----------
    ledger_df : DataFrame
        :func:`~shanxi_analysis.claims.ledger`.

    Returns
    -------
    str
        Plain text (no Markdown), e.g. "Of the 27 checkable claims of the China Daily article held in this ledger,
        7 are confirmed by an independent figure, ... . Of these verdicts, 12 rest on independent data, ...".

    Raises
    ------
    ParameterError
        If the frame lacks the ``verdict`` or ``evidence_kind`` column or holds unknown values.
    """
    verdicts = verdict_counts(ledger_df)
    kinds = kind_counts(ledger_df)
    n = len(ledger_df)
    parts = [f"{int(c)} {'is' if c == 1 else 'are'} {VERDICT_PHRASES[str(v)]}" for v, c in verdicts.items() if c]
    kind_parts = [f"{int(c)} on {KIND_PHRASES[str(k)]}" for k, c in kinds.items() if c]
    if not n:
        return "The ledger holds no claims of the China Daily article."
    kind_parts[0] = kind_parts[0].replace(" on ", f" {'rests' if kinds[kinds > 0].iloc[0] == 1 else 'rest'} on ", 1)
    return (
        f"Of the {fmt.plural(n, 'checkable claim')} of the China Daily article (26 March 2021) held in this "
        f"ledger, {fmt.join(parts)}. Of these verdicts, {fmt.join(kind_parts)}. {ONE_ERROR_ONCE}"
    )


#: How the headline counts: errors, not sentences.
ONE_ERROR_ONCE = (
    "Each error is counted once, under the claim it belongs to: a sentence that repeats an error counted elsewhere "
    "is judged on what else it says."
)
