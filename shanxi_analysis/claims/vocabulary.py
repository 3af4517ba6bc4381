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
    nothing but the article.

:func:`headline` is the sentence every page uses to report the counts; it says what it counts.
"""

from __future__ import annotations

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
        f"ledger, {fmt.join(parts)}. Of these verdicts, {fmt.join(kind_parts)}."
    )
