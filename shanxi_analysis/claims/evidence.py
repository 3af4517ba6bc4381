"""What a check returns and the pieces its evidence is made of: :class:`Finding`, figures written as given,
sources cited as "publisher <URL>", and comparisons of decimal figures within a tolerance.

A check decides what its evidence says, never the words: each text of a :class:`Finding` is a
:class:`~shanxi_analysis.messages.Message` (a message id of the catalog ``shanxi_analysis/messages/<lang>.yml`` and
its facts) or a tuple of them read one after another, rendered in the reader's language by :func:`written`.

Every check module (:mod:`.growth`, :mod:`.pandemic`, :mod:`.bureau`, :mod:`.ranks`, :mod:`.projects`,
:mod:`.article_only`) builds its :class:`Finding` from these, so the ledger words figures and cites sources the same
way for every claim.  Verdicts come from the data, never from the code; their meaning is in :mod:`.vocabulary`.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import pandas as pd

from .. import numbers as fmt
from ..messages import JOIN_LINES, Message

#: A text of a :class:`Finding`: one message, or several read one after another (``()`` is no text).
Text = Message | tuple[Message, ...]

#: Absorbs binary floating-point error in comparisons of decimal figures (10.6 - 2.9 != 7.7 exactly).
EPS = 1e-9


class Finding(NamedTuple):
    """What one check found.

    Attributes
    ----------
    data_value : float
        The independent figure compared with the article's (NaN when none exists).
    verdict : str
        One of :data:`~.vocabulary.VERDICTS`.
    tolerance : Text
        The rounding tolerance or decision rule used (a message, or ``()``).
    evidence : Text
        One or two sentences naming the figures compared.
    settle : Text
        For ``unverifiable``: the data that would settle the claim; else ``()``.
    sources : tuple of str
        "publisher <URL>" of each figure used (the article is added by the ledger).
    kind : str
        The evidence kind (:data:`~.vocabulary.EVIDENCE_KINDS`); empty means the usual one for the verdict:
        independent data for ``confirmed`` and ``contradicted``, the article alone for ``unverifiable``.
    shown : tuple of (Text, Text)
        The article's figure and the data's, in words, in the same unit and rounding (messages, e.g. the catalog's
        ``claims.shown.pct`` for 7.7% and 2.9%); an empty one (``()`` or ``""``) means "write ``article_value`` or
        ``data_value`` in the claim's unit" (:func:`~.runner.ledger` does, in the ledger's language).
    """

    data_value: float
    verdict: str
    tolerance: Text
    evidence: Text
    settle: Text
    sources: tuple[str, ...]
    kind: str = ""
    shown: tuple[Text, Text] = ((), ())


def unverifiable(
    tolerance: Text, evidence: Text, settle: Text, sources: tuple[str, ...] = (), shown: tuple[Text, Text] = ((), ())
) -> Finding:
    """The :class:`Finding` of a claim no independent figure decides: no data value, verdict ``unverifiable``,
    evidence kind ``article only``; ``settle`` says what data would decide it."""
    return Finding(float("nan"), "unverifiable", tolerance, evidence, settle, sources, "article only", shown)


def written(text: Text | str, lang: str) -> str:
    """A :class:`Finding`'s text in ``lang``: each message rendered by the catalog, joined as the language joins
    sentences (a space in English, nothing in Chinese).

    Raises
    ------
    TypeError
        A text that is not a message (a plain string): a check must not write words itself.
    """
    parts = (text,) if isinstance(text, Message | str) else tuple(text)
    messages = [p for p in parts if isinstance(p, Message)]
    if len(messages) < len(parts):
        bad = next(p for p in parts if not isinstance(p, Message))
        raise TypeError(
            f"A claim check returned the text {bad!r} instead of a shanxi_analysis.messages.Message: put the "
            "sentence in shanxi_analysis/messages/<lang>.yml (and every other catalog) and return Message(id, **facts)."
        )
    return JOIN_LINES.get(lang, " ").join(m.text(lang) for m in messages).strip()


# --------------------------------------------------------------------------------------------- comparisons
def within(a: float, b: float, tol: float) -> bool:
    """Whether ``a`` and ``b`` differ by at most ``tol`` (plus :data:`EPS` for floating-point error)."""
    return abs(float(a) - float(b)) <= tol + EPS


# --------------------------------------------------------------------------------------------- figures as given
def decimals_as_given(value: float, least: int = 1, most: int = 4) -> int:
    """Decimals needed to show ``value`` as given (at least ``least``), so no figure is rounded for display."""
    for d in range(least, most + 1):
        if abs(round(float(value), d) - float(value)) < EPS:
            return d
    return most


def given(**values: float) -> dict[str, float | int]:
    """Facts for a message: each figure with the decimals it was given with (:func:`decimals_as_given`), so the
    catalog's filters write it as given in every language: ``given(growth=10.6) -> {"growth": 10.6,
    "growth_digits": 1}``."""
    out: dict[str, float | int] = {}
    for name, value in values.items():
        out[name] = float(value)
        out[f"{name}_digits"] = decimals_as_given(value)
    return out


def pct_shown(value: float) -> Message:
    """A percentage as given, for a :class:`Finding`'s ``shown`` (the catalog's ``claims.shown.pct``: 10.6%)."""
    return Message("claims.shown.pct", **given(value=value))


def digits_as_given(value: float) -> int:
    """The decimals a figure was given with, 0 for a whole number or a missing one (1010 -> 0, 0.7306 -> 4): the fact
    a catalog template needs to write a figure as given in any language (``{{ value|number(digits) }}``)."""
    if fmt.is_missing(value) or float(value) == int(float(value)):
        return 0
    return decimals_as_given(float(value), least=1, most=6)


def article_value(claim: pd.Series) -> float:
    """The article's figure of a claim row (``article_value``), NaN for a claim made in words."""
    v = claim["article_value"]
    return float("nan") if fmt.is_missing(v) else float(v)


# --------------------------------------------------------------------------------------------- sources
def cite(desc: Any, url: Any) -> str:
    """One entry of the ``sources`` column: ``"publisher <URL>"``, or the publisher alone without a URL."""
    desc, url = str(desc or "").strip(), str(url or "").strip()
    return f"{desc} <{url}>" if url else desc


def dataset_sources(df: pd.DataFrame) -> tuple[str, ...]:
    """The citation of a dataset: its first entry of ``attrs["sources"]`` (publisher and URL), as a 1-tuple."""
    return tuple(cite(s.get("publisher", ""), s.get("url", "")) for s in df.attrs.get("sources", [])[:1])


def is_publisher(desc: Any, url: Any = "") -> bool:
    """Whether a source is the article's own publisher (China Daily: named first in the description, or its web
    site): such a source is context, never independent evidence for the article's claims."""
    from .article import PUBLISHER, PUBLISHER_SITE

    host = re.sub(r"^https?://", "", str(url or "")).split("/")[0].lower()
    return (
        str(desc or "").strip().startswith(PUBLISHER) or host == PUBLISHER_SITE or host.endswith("." + PUBLISHER_SITE)
    )


def figures_for(independent_figures: pd.DataFrame, claim_id: str) -> pd.DataFrame:
    """The rows of independent_figures() filed under ``claim_id``."""
    return independent_figures[independent_figures["claim_id"] == claim_id]


def figure_sources(rows: pd.DataFrame) -> tuple[str, ...]:
    """The citation of each row of independent_figures() (``source_desc`` and ``source_url``)."""
    return tuple(cite(r["source_desc"], r["source_url"]) for _, r in rows.iterrows())
