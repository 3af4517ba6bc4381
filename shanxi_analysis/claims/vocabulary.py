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

from ..errors import ParameterError
from ..messages import DEFAULT_LANG, say

#: The verdicts, in the order :func:`verdict_counts` and :func:`headline` report them.
VERDICTS = ("confirmed", "consistent", "misleading", "contradicted", "unverifiable")

#: What each verdict means, in one sentence, in English (shown on the ledger page and in the README; the words are
#: the catalog's ``article.verdict_meaning``, in any language by :func:`verdict_meaning`).
VERDICT_MEANING = {v: say("article.verdict_meaning", DEFAULT_LANG, verdict=v) for v in VERDICTS}

#: How :func:`headline` names each verdict after its count ("4 are ..."), in English (``article.verdict_phrase``).
VERDICT_PHRASES = {v: say("article.verdict_phrase", DEFAULT_LANG, verdict=v) for v in VERDICTS}


def verdict_word(verdict: str, lang: str = DEFAULT_LANG) -> str:
    """A verdict as a reader of ``lang`` reads it (``"contradicted"``; in Chinese ``"与数据不符"``)."""
    return say("article.verdict_word", lang, verdict=verdict)


def verdict_meaning(verdict: str, lang: str = DEFAULT_LANG) -> str:
    """What a verdict means, in one sentence in ``lang`` (:data:`VERDICT_MEANING` in English)."""
    return say("article.verdict_meaning", lang, verdict=verdict)


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
#: pages list them.  ``what`` and ``how`` are the English of the catalog's ``article.rule_what`` and
#: ``article.rule_how`` (shown to readers as written; :func:`rule_text` in any language).
_BASIS_VERDICTS: dict[str, tuple[str, ...]] = {
    "official statistics": ("confirmed", "contradicted", "misleading", "unverifiable"),
    "arithmetic on the article's own numbers": ("consistent", "contradicted", "unverifiable"),
    "later official document": ("confirmed", "contradicted", "unverifiable"),
    "personal account": ("confirmed", "contradicted", "unverifiable"),
    "advance notice": ("unverifiable",),
    "the article's own publisher": ("unverifiable",),
    "tie in a ranking": ("confirmed", "misleading", "contradicted", "unverifiable"),
    "article only": ("unverifiable",),
}
RULEBOOK: dict[str, Rule] = {
    basis: Rule(
        basis,
        say("article.rule_what", DEFAULT_LANG, basis=basis),
        say("article.rule_how", DEFAULT_LANG, basis=basis),
        verdicts,
    )
    for basis, verdicts in _BASIS_VERDICTS.items()
}


def rule_text(basis: str, lang: str = DEFAULT_LANG) -> tuple[str, str, str]:
    """A rule of :data:`RULEBOOK` in ``lang``: its basis's name, what the basis is and how the verdict is reached."""
    return (
        say("article.basis_name", lang, basis=basis),
        say("article.rule_what", lang, basis=basis),
        say("article.rule_how", lang, basis=basis),
    )


def basis_name(basis: str, lang: str = DEFAULT_LANG) -> str:
    """The name of a basis of :data:`RULEBOOK` in ``lang`` (the ledger's *Rests on* column)."""
    return say("article.basis_name", lang, basis=basis)


#: The bases, in rulebook order.
BASES = tuple(RULEBOOK)


#: How :func:`headline` names each evidence kind after its count ("12 rest on ..."), in English
#: (``article.kind_phrase``).
KIND_PHRASES = {k: say("article.kind_phrase", DEFAULT_LANG, kind=k) for k in EVIDENCE_KINDS}


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


def headline(ledger_df: pd.DataFrame, lang: str = DEFAULT_LANG) -> str:
    """The ledger's counts in one or two sentences that say exactly what they count.

    The ledger page and the index use this sentence; Shanxi 2020's overview gives the same counts in short (the
    catalog's ``article.counts``, from :func:`verdict_counts` as here), so no two pages disagree.  Verdicts with no
    claim are left out of the list, but the total always equals the number of rows.

    Parameters
    ----------
    ledger_df : DataFrame
        :func:`~shanxi_analysis.claims.ledger`.
    lang : str, default "en"
        The language of the sentence (the catalog's ``article.headline``).

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
    return say(
        "article.headline",
        lang,
        n=len(ledger_df),
        verdicts={str(v): int(c) for v, c in verdicts.items()},
        evidence_kinds={str(k): int(c) for k, c in kinds.items()},
        phrases={v: say("article.verdict_phrase", lang, verdict=v) for v in VERDICTS},
        kind_phrases={k: say("article.kind_phrase", lang, kind=k) for k in EVIDENCE_KINDS},
        once=say("article.one_error_once", lang),
    )


#: How the headline counts: errors, not sentences (in English; the catalog's ``article.one_error_once``).
ONE_ERROR_ONCE = say("article.one_error_once", DEFAULT_LANG)
