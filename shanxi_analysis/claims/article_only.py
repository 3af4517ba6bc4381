"""The check of a figure only the article gives: compared with the ``comparable`` rows of
``data/raw/independent_figures.csv`` filed under the claim, by the rule its definition states (more than / nearly /
about with a ``step``, exact, event).  Rows that are not comparable are named in the evidence, never used for the
verdict; without a comparable row the claim is unverifiable and the definition's ``settle`` (``settle_zh`` in
Chinese) says what would decide it.

A definition names this check as ``check: article_only`` (see :mod:`.definitions`); its optional ``extra``
parameter names a function registered with :func:`register_extra` (in the module of its subject, e.g.
:mod:`.projects`) that adds a sentence to the evidence.

The words are the catalog's (``claims.article_only.*`` in ``shanxi_analysis/messages/<lang>.yml``); the rows of
``independent_figures()`` reach them as facts (:func:`figure_facts`), their English texts written in Chinese by the
``term`` filter (``messages/terms/zh.yml``).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..messages import Message
from .definitions import DefinitionError, register_check_builder
from .evidence import EPS, Finding, Text, article_value, cite, digits_as_given, is_publisher, unverifiable

#: name -> a function adding a sentence to an article-only claim's evidence (the ``extra`` parameter).
EXTRAS: dict[str, Callable[..., Text]] = {}


def register_extra(name: str) -> Callable[[Callable[..., Text]], Callable[..., Text]]:
    """Register ``func(claim, <dataset names>...) -> Message`` (or a tuple of them) under ``name``, for the
    ``extra`` parameter of an article-only definition: the sentence it returns ends the claim's evidence."""

    def deco(func: Callable[..., Text]) -> Callable[..., Text]:
        EXTRAS[name] = func
        return func

    return deco


@dataclass(frozen=True)
class _Rule:
    """How an article-only figure is compared: ``kind`` is ``"more than"`` (from the figure up to, not
    including, the figure + ``step``), ``"nearly"`` (from the figure − ``step`` up to the figure), ``"about"``
    (within ± ``step``), ``"exact"`` or ``"event"`` (1 = an independent record confirms it, 0 = contradicts)."""

    kind: str
    step: float = 0.0

    def bounds(self, article: float) -> tuple[float, float, bool]:
        """(low, high, high included)."""
        if self.kind == "more than":
            return article, article + self.step, False
        if self.kind == "nearly":
            return article - self.step, article, True
        if self.kind == "about":
            return article - self.step, article + self.step, True
        if self.kind == "exact":
            return article, article, True
        return 1.0, 1.0, True  # event

    def holds(self, value: float, article: float) -> bool:
        low, high, closed = self.bounds(article)
        return low - EPS <= value and (value <= high + EPS if closed else value < high - EPS)

    def describe(self, article: float, unit: str) -> Message:
        """The rule in words (message ``claims.article_only.rule``): the bounds and the article's precision, each
        with the decimals it is given with."""
        low, high, _ = self.bounds(article)
        figures = {"article": article, "low": low, "high": high, "step": self.step, "rounding": self.step * 2}
        return Message(
            "claims.article_only.rule",
            kind=self.kind,
            claim_unit=unit,
            **figures,
            **{f"{name}_digits": digits_as_given(v) for name, v in figures.items()},
        )


def figure_facts(r: pd.Series) -> dict[str, Any]:
    """A row of ``independent_figures()`` as the facts of a catalog message: ``value`` with the ``digits`` it is
    given with, ``unit``, ``period``, ``derived`` (derived by arithmetic, not published), ``what`` (without a final
    full stop) and ``source`` (``source_desc``); the templates write them (a ``unit`` of ``event`` is a document, a
    unit starting with ``year`` a calendar year)."""
    return {
        "value": float(r["value"]),
        "digits": digits_as_given(r["value"]),
        "unit": str(r["unit"]),
        "period": str(r["period"]),
        "derived": bool(r["derived"]),
        "what": str(r["what"]).strip().rstrip("."),
        "source": str(r["source_desc"]),
    }


def _texts(text: Text) -> tuple[Message, ...]:
    """A text of a :class:`Finding` as a tuple of messages (an extra's sentence is added after the evidence)."""
    if isinstance(text, str):
        raise TypeError(f"an extra returns catalog messages, not plain text: {text!r}")
    return (text,) if isinstance(text, Message) else tuple(text)


#: The ``rule`` values of an article-only claim, and whether each needs a ``step``.
ARTICLE_ONLY_RULES = {"more than": True, "nearly": True, "about": True, "exact": False, "event": False}

_NUMBER = (int, float)


@register_check_builder(
    "article_only",
    {
        "rule": ((str,), True),
        "step": (_NUMBER, False),
        "settle": ((str,), True),
        "settle_zh": ((str,), True),
        "related": ((list,), False),
        "extra": ((str,), False),
    },
)
def _build_article_only(claim_id: str, topic: str, params: dict[str, Any]) -> Callable[..., Finding]:
    """The check of an article-only claim from its definition's ``params``: ``rule`` (one of
    :data:`ARTICLE_ONLY_RULES`), ``step`` (the article's precision, for more than / nearly / about), ``settle``
    and ``settle_zh`` (what would settle the claim, in English and in Chinese), ``related`` (claim ids whose
    non-comparable figures are named too) and ``extra`` (a name in :data:`EXTRAS`)."""
    kind = params["rule"]
    if kind not in ARTICLE_ONLY_RULES:
        raise DefinitionError("params.rule", f"unknown rule {kind!r}; use one of {', '.join(ARTICLE_ONLY_RULES)}")
    if ARTICLE_ONLY_RULES[kind] and "step" not in params:
        raise DefinitionError("params.step", f"rule {kind!r} needs a step (the article's precision)")
    if not ARTICLE_ONLY_RULES[kind] and "step" in params:
        raise DefinitionError("params.step", f"rule {kind!r} takes no step")
    related = params.get("related", [])
    if not all(isinstance(r, str) for r in related):
        raise DefinitionError("params.related", f"expected a list of claim ids, got {related!r}")
    extra = params.get("extra")
    if extra is not None and extra not in EXTRAS:
        raise DefinitionError("params.extra", f"unknown extra {extra!r}; known: {', '.join(sorted(EXTRAS))}")
    return _article_only(
        claim_id,
        topic,
        _Rule(kind, params.get("step", 0.0)),
        Message("claims.article_only.settle", settle=params["settle"], settle_zh=params["settle_zh"]),
        tuple(related),
        None if extra is None else EXTRAS[extra],
    )


def _article_only(
    claim_id: str,
    topic: str,
    rule: _Rule,
    settle: Message,
    related: tuple[str, ...] = (),
    extra: Callable[..., Text] | None = None,
) -> Callable[..., Finding]:
    """Build the check of a claim resting on the article alone: compare with ``comparable`` rows of
    independent_figures() within ``rule``; without one the claim is unverifiable and the evidence names the
    figures that are not comparable (also those filed under the ``related`` claims)."""

    def check(claim: pd.Series, independent_figures: pd.DataFrame, **other: pd.DataFrame) -> Finding:
        art = article_value(claim)
        unit = str(claim["unit"])
        tolerance = rule.describe(art, unit)
        mine = independent_figures[independent_figures["claim_id"] == claim_id]
        # the article's own publisher is context, never evidence (the rulebook): its figures never decide
        own = pd.Series([is_publisher(r["source_desc"], r["source_url"]) for _, r in mine.iterrows()], index=mine.index)
        comparable = mine[mine["comparable"] & ~own] if len(mine) else mine
        near = pd.concat(
            [
                mine[~mine["comparable"] | own] if len(mine) else mine,
                independent_figures[independent_figures["claim_id"].isin(related) & ~independent_figures["comparable"]],
            ]
        )
        tail = () if extra is None else _texts(extra(claim, **other))
        if not comparable.empty:
            values = comparable["value"].astype(float)
            fails = comparable[[not rule.holds(v, art) for v in values]]
            ok = fails.empty
            used = comparable.iloc[0] if ok else fails.iloc[0]
            named = comparable if ok else fails.iloc[:1]
            found = Message(
                "claims.article_only.compared",
                figures=[figure_facts(r) for _, r in named.iterrows()],
                agrees=ok,
                article=None if math.isnan(art) else art,
                article_digits=digits_as_given(art),
                claim_unit=unit,
            )
            srcs = tuple(cite(r["source_desc"], r["source_url"]) for _, r in comparable.iterrows())
            return Finding(
                float(used["value"]), "confirmed" if ok else "contradicted", tolerance, (found, *tail), (), srcs
            )
        figures = [figure_facts(r) for _, r in near.iterrows()]
        text: tuple[Message, ...]
        if near.empty:
            text = (Message("claims.article_only.only_article"),)
        elif unit == "event":
            text = (Message("claims.article_only.no_record", figures=figures),)
        else:
            text = (
                Message("claims.article_only.not_comparable", figures=figures),
                Message("claims.article_only.what_they_are", figures=figures),
            )
        srcs = tuple(cite(r["source_desc"], r["source_url"]) for _, r in near.iterrows())
        return unverifiable(tolerance, (*text, *tail), settle, srcs)

    if extra is not None:  # expose the extra datasets in the signature, so ledger() passes them in
        params = [
            inspect.Parameter("claim", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter("independent_figures", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        ]
        params += [
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
            for p in list(inspect.signature(extra).parameters.values())[1:]
        ]
        check.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    else:
        check.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            list(inspect.signature(check).parameters.values())[:2]
        )
    check.__name__ = check.__qualname__ = f"check_{claim_id}"
    check.__doc__ = f"Claim ``{claim_id}`` ({topic}) against comparable independent figures; rule: {rule.kind}."
    return check
