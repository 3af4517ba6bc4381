"""The check of a figure only the article gives: compared with the ``comparable`` rows of
``data/raw/independent_figures.csv`` filed under the claim, by the rule its definition states (more than / nearly /
about with a ``step``, exact, event).  Rows that are not comparable are named in the evidence, never used for the
verdict; without a comparable row the claim is unverifiable and the definition's ``settle`` says what would decide
it.

A definition names this check as ``check: article_only`` (see :mod:`.definitions`); its optional ``extra``
parameter names a function registered with :func:`register_extra` (in the module of its subject, e.g.
:mod:`.projects`) that adds a sentence to the evidence.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import numbers as fmt
from .definitions import DefinitionError, register_check_builder
from .evidence import EPS, Finding, article_value, cite, is_publisher, number_as_given, unverifiable

#: name -> a function adding a sentence to an article-only claim's evidence (the ``extra`` parameter).
EXTRAS: dict[str, Callable[..., str]] = {}


def register_extra(name: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Register ``func(claim, <dataset names>...) -> str`` under ``name``, for the ``extra`` parameter of an
    article-only definition: the sentence it returns ends the claim's evidence."""

    def deco(func: Callable[..., str]) -> Callable[..., str]:
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

    def describe(self, article: float, unit: str) -> str:
        if self.kind == "event":
            return (
                "an independent record of the event, made after it, confirms it; one that says otherwise "
                "contradicts it; a notice published before the event is not a record of it"
            )
        low, high, closed = self.bounds(article)
        if self.kind == "more than":
            return (
                f"'more than {number_as_given(article)}' agrees with a comparable figure from "
                f"{number_as_given(low)} up to, not including, {number_as_given(high)} (the article's precision is "
                f"{number_as_given(self.step)})"
            )
        if self.kind == "nearly":
            return (
                f"'nearly {number_as_given(article)}' agrees with a comparable figure from {number_as_given(low)} "
                f"to {number_as_given(high)} (the article's precision is {number_as_given(self.step)})"
            )
        if self.kind == "exact":
            return (
                f"a count given as exact ({number_as_given(article)} {unit}) must equal the official count of the "
                "same thing"
            )
        return (
            f"within ±{number_as_given(self.step)} {unit}, since the article's figure is rounded to the nearest "
            f"{number_as_given(self.step * 2)}"
        )


def _short_figure(r: pd.Series) -> str:
    """``"1,010 projects (2020-02-28 to 2020-08-08, derived by arithmetic, not published)"``; an event as
    ``"a document (period)"``."""
    when = f"({fmt.period(r['period'])}{', derived by arithmetic, not published' if bool(r['derived']) else ''})"
    if r["unit"] == "event":
        return f"a document {when}"
    if str(r["unit"]).startswith("year"):  # a calendar year, written without a thousands separator
        return f"the {r['unit']} ({int(r['value'])})"
    return f"{number_as_given(r['value'])} {r['unit']} {when}"


def _describe_figure(r: pd.Series) -> str:
    """``"1,010 projects (2020-02-28..2020-08-08, DERIVED): what it is"`` without a final full stop."""
    return f"{_short_figure(r)}: {str(r['what']).strip().rstrip('.')}"


#: The ``rule`` values of an article-only claim, and whether each needs a ``step``.
ARTICLE_ONLY_RULES = {"more than": True, "nearly": True, "about": True, "exact": False, "event": False}

_NUMBER = (int, float)


@register_check_builder(
    "article_only",
    {
        "rule": ((str,), True),
        "step": (_NUMBER, False),
        "settle": ((str,), True),
        "related": ((list,), False),
        "extra": ((str,), False),
    },
)
def _build_article_only(claim_id: str, topic: str, params: dict[str, Any]) -> Callable[..., Finding]:
    """The check of an article-only claim from its definition's ``params``: ``rule`` (one of
    :data:`ARTICLE_ONLY_RULES`), ``step`` (the article's precision, for more than / nearly / about), ``settle``,
    ``related`` (claim ids whose non-comparable figures are named too) and ``extra`` (a name in :data:`EXTRAS`)."""
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
        params["settle"],
        tuple(related),
        None if extra is None else EXTRAS[extra],
    )


def _article_only(
    claim_id: str,
    topic: str,
    rule: _Rule,
    settle: str,
    related: tuple[str, ...] = (),
    extra: Callable[..., str] | None = None,
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
        tail = "" if extra is None else " " + extra(claim, **other)
        if not comparable.empty:
            values = comparable["value"].astype(float)
            fails = comparable[[not rule.holds(v, art) for v in values]]
            ok = fails.empty
            used = comparable.iloc[0] if ok else fails.iloc[0]
            shown = "the article's claim" if math.isnan(art) else f"the article's {number_as_given(art)} {unit}"
            named = comparable if ok else fails.iloc[:1]
            text = (
                "; ".join(f"{r['source_desc']} gives {_describe_figure(r)}" for _, r in named.iterrows())
                + ("; this agrees with " if len(named) == 1 else "; these agree with ") * ok
                + ("" if ok else "; this contradicts ")
                + shown
                + "."
            )
            srcs = tuple(cite(r["source_desc"], r["source_url"]) for _, r in comparable.iterrows())
            return Finding(
                float(used["value"]), "confirmed" if ok else "contradicted", tolerance, text + tail, "", srcs
            )
        if near.empty:
            text = "Only the article gives this; no other source found bears on it."
        elif unit == "event":
            text = (
                "No record of the event made after it was found; what was found: "
                + "; ".join(_describe_figure(r) for _, r in near.iterrows())
                + "."
            )
        else:
            text = (
                "No independent figure measures this; the closest found, not comparable: "
                + fmt.join(_short_figure(r) for _, r in near.iterrows())
                + ". What they are: "
                + "; ".join(_describe_figure(r) for _, r in near.iterrows())
                + "."
            )
        srcs = tuple(cite(r["source_desc"], r["source_url"]) for _, r in near.iterrows())
        return unverifiable(tolerance, text + tail, settle, srcs)

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
