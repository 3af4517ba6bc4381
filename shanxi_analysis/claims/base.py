"""The machinery every claim check shares: the article's constants, :class:`Finding`, the registry of checks and
the small formatting and comparison helpers.

Each claim of ``data/raw/article_claims.csv`` has one check in :data:`CHECKS`: a small pure function of the
datasets it needs, which it receives as DataFrames (a parameter named after a dataset function, e.g.
``fai_growth``, receives that dataset; ``claim`` receives the claim's row).  A check returns a :class:`Finding`.
Checks are registered here by name (:data:`RULES`) and assigned to claims by ``definitions.yml``
(:mod:`.definitions`).
Verdicts come from the data, never from the code; their meaning is in :mod:`.vocabulary`.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd

from ..data import datasets
from .. import numbers as fmt

#: The article every claim comes from.
ARTICLE_URL = datasets.ARTICLE_URL

#: How the article is cited in the ``sources`` column (always first).
ARTICLE_SOURCE = f"China Daily, 'Investment booms in Shanxi in 2020' (2021-03-26) <{ARTICLE_URL}>"

#: The article's subject: the province and the year it writes about.
PROVINCE = "Shanxi"
YEAR = 2020

#: The month the article was published: the rate "current at publication" is this month's average.
PUBLISHED_MONTH = "2021-03"

#: "Two decades" before :data:`YEAR`: the 20 years 2000-2019.
TWO_DECADES = (YEAR - 20, YEAR - 1)

#: "Much higher than the national average": at least this many percentage points above it ...
MUCH_HIGHER_MIN_GAP_PP = 2.0
#: ... and at least this multiple of it (the ratio test is skipped when national growth is zero or negative).
MUCH_HIGHER_MIN_RATIO = 1.5

#: Tolerance of growth rates given to one decimal.
ONE_DECIMAL_PP = 0.05

#: Separator between the entries of the ``sources`` column.
SOURCE_SEP = " | "

_EPS = 1e-9  # absorbs binary floating-point error in comparisons of decimal figures (10.6 - 2.9 != 7.7 exactly)


class Finding(NamedTuple):
    """What one check found.

    Attributes
    ----------
    data_value : float
        The independent figure compared with the article's (NaN when none exists).
    verdict : str
        One of :data:`~.vocabulary.VERDICTS`.
    tolerance : str
        The rounding tolerance or decision rule used, in words.
    evidence : str
        One or two sentences naming the figures compared.
    settle : str
        For ``unverifiable``: the data that would settle the claim; else ``""``.
    sources : tuple of str
        "publisher <URL>" of each figure used (the article is added by the ledger).
    kind : str
        The evidence kind (:data:`~.vocabulary.EVIDENCE_KINDS`); empty means the usual one for the verdict:
        independent data for ``confirmed`` and ``contradicted``, the article alone for ``unverifiable``.
    shown : tuple of (str, str)
        The article's figure and the data's, in words, in the same unit and rounding (e.g. ``("7.7%", "2.9%")``);
        empty strings mean "format ``article_value`` and ``data_value`` in the claim's unit".
    """

    data_value: float
    verdict: str
    tolerance: str
    evidence: str
    settle: str
    sources: tuple[str, ...]
    kind: str = ""
    shown: tuple[str, str] = ("", "")


# --------------------------------------------------------------------------------------------- registry
#: claim_id -> check function, filled from ``definitions.yml`` by :mod:`.definitions`.
CHECKS: dict[str, Callable[..., Finding]] = {}

#: claim_id -> short label of what the claim is about, filled from ``definitions.yml``.
TOPICS: dict[str, str] = {}


class DefinitionError(ValueError):
    """A claim definition's field is wrong; :mod:`.definitions` adds the file and the claim id."""

    def __init__(self, field: str, problem: str):
        super().__init__(problem)
        self.field, self.problem = field, problem


@dataclass(frozen=True)
class CheckRule:
    """A check that ``definitions.yml`` can name in a claim's ``check`` field.

    ``params`` maps each parameter the check takes from the definition to ``(types, required)``; ``build`` makes
    the claim's check function from ``(claim_id, topic, params)`` (for a check without parameters it returns the
    function itself).
    """

    name: str
    build: Callable[[str, str, dict[str, Any]], Callable[..., Finding]]
    params: dict[str, tuple[tuple[type, ...], bool]]


#: check name (the ``check`` field of a definition) -> :class:`CheckRule`.
RULES: dict[str, CheckRule] = {}


def _rule(name: str) -> Callable[[Callable[..., Finding]], Callable[..., Finding]]:
    """Register a check function without parameters under ``name``."""

    def deco(func: Callable[..., Finding]) -> Callable[..., Finding]:
        if name in RULES:
            raise RuntimeError(f"Two checks in shanxi_analysis/claims are registered as {name!r}; rename one.")
        RULES[name] = CheckRule(name, lambda claim_id, topic, params: func, {})
        return func

    return deco


def _rule_builder(
    name: str, params: dict[str, tuple[tuple[type, ...], bool]]
) -> Callable[[Callable[..., Callable[..., Finding]]], Callable[..., Callable[..., Finding]]]:
    """Register a function that builds a claim's check from the definition's ``params`` under ``name``."""

    def deco(build: Callable[..., Callable[..., Finding]]) -> Callable[..., Callable[..., Finding]]:
        if name in RULES:
            raise RuntimeError(f"Two checks in shanxi_analysis/claims are registered as {name!r}; rename one.")
        RULES[name] = CheckRule(name, build, params)
        return build

    return deco


#: name -> a function adding a sentence to an article-only claim's evidence (the ``extra`` parameter).
EXTRAS: dict[str, Callable[..., str]] = {}


def _extra(name: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    def deco(func: Callable[..., str]) -> Callable[..., str]:
        EXTRAS[name] = func
        return func

    return deco


# --------------------------------------------------------------------------------------------- small helpers
def _within(a: float, b: float, tol: float) -> bool:
    return abs(float(a) - float(b)) <= tol + _EPS


def _decimals(value: float, least: int = 1, most: int = 4) -> int:
    """Decimals needed to show ``value`` as given (at least ``least``), so no figure is rounded for display."""
    for d in range(least, most + 1):
        if abs(round(float(value), d) - float(value)) < _EPS:
            return d
    return most


def _pct(value: float) -> str:
    return fmt.pct(value, _decimals(value))


def _pp(value: float) -> str:
    return fmt.pp(value, _decimals(value))


def _num(value: float) -> str:
    """A figure as given: ``1010 -> "1,010"``, ``0.7306 -> "0.7306"``."""
    if fmt.is_missing(value):
        return fmt.MISSING
    v = float(value)
    return f"{v:,.0f}" if v == int(v) else f"{v:,.{_decimals(v, least=1, most=6)}f}"


def _src(desc: Any, url: Any) -> str:
    desc, url = str(desc or "").strip(), str(url or "").strip()
    return f"{desc} <{url}>" if url else desc


def _dataset_source(df: pd.DataFrame) -> tuple[str, ...]:
    return tuple(_src(s.get("publisher", ""), s.get("url", "")) for s in df.attrs.get("sources", [])[:1])


def _article_value(claim: pd.Series) -> float:
    v = claim["article_value"]
    return float("nan") if fmt.is_missing(v) else float(v)


def _unverifiable(
    tolerance: str, evidence: str, settle: str, sources: tuple[str, ...] = (), shown: tuple[str, str] = ("", "")
) -> Finding:
    return Finding(float("nan"), "unverifiable", tolerance, evidence, settle, sources, "article only", shown)


def _figures(independent_figures: pd.DataFrame, claim_id: str) -> pd.DataFrame:
    """The rows of independent_figures() filed under ``claim_id``."""
    return independent_figures[independent_figures["claim_id"] == claim_id]


def _figure_sources(rows: pd.DataFrame) -> tuple[str, ...]:
    return tuple(_src(r["source_desc"], r["source_url"]) for _, r in rows.iterrows())


# --------------------------------------------------------------------------------------------- article-only
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
        return low - _EPS <= value and (value <= high + _EPS if closed else value < high - _EPS)

    def describe(self, article: float, unit: str) -> str:
        if self.kind == "event":
            return (
                "event: confirmed by an independent record of it (value 1), contradicted by one that says "
                "otherwise (value 0)"
            )
        low, high, closed = self.bounds(article)
        if self.kind == "more than":
            return (
                f"'more than {_num(article)}': a comparable figure from {_num(low)} up to, not including, "
                f"{_num(high)} (the article's precision is {_num(self.step)})"
            )
        if self.kind == "nearly":
            return (
                f"'nearly {_num(article)}': a comparable figure from {_num(low)} to {_num(high)} (the article's "
                f"precision is {_num(self.step)})"
            )
        if self.kind == "exact":
            return f"exact: a count of {unit} must equal {_num(article)}"
        return f"±{_num(self.step)} {unit}: the article's figure is rounded to the nearest {_num(self.step * 2)}"


def _short_figure(r: pd.Series) -> str:
    """``"1,010 projects (2020-02-28..2020-08-08, DERIVED)"``; an event as ``"a record (period)"``."""
    when = f"({r['period']}{', DERIVED' if bool(r['derived']) else ''})"
    if r["unit"] == "event":
        return f"a record {when}"
    if str(r["unit"]).startswith("year"):  # a calendar year, written without a thousands separator
        return f"{r['unit']} {int(r['value'])} {when}"
    return f"{_num(r['value'])} {r['unit']} {when}"


def _describe_figure(r: pd.Series) -> str:
    """``"1,010 projects (2020-02-28..2020-08-08, DERIVED): what it is"`` without a final full stop."""
    return f"{_short_figure(r)}: {str(r['what']).strip().rstrip('.')}"


#: The ``rule`` values of an article-only claim, and whether each needs a ``step``.
ARTICLE_ONLY_RULES = {"more than": True, "nearly": True, "about": True, "exact": False, "event": False}

_NUMBER = (int, float)


@_rule_builder(
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
        art = _article_value(claim)
        unit = str(claim["unit"])
        tolerance = rule.describe(art, unit)
        mine = independent_figures[independent_figures["claim_id"] == claim_id]
        comparable = mine[mine["comparable"]]
        near = pd.concat(
            [
                mine[~mine["comparable"]],
                independent_figures[independent_figures["claim_id"].isin(related) & ~independent_figures["comparable"]],
            ]
        )
        tail = "" if extra is None else " " + extra(claim, **other)
        if not comparable.empty:
            values = comparable["value"].astype(float)
            fails = comparable[[not rule.holds(v, art) for v in values]]
            ok = fails.empty
            used = comparable.iloc[0] if ok else fails.iloc[0]
            shown = "the article's claim" if math.isnan(art) else f"the article's {_num(art)} {unit}"
            named = comparable if ok else fails.iloc[:1]
            text = (
                "; ".join(f"{r['source_desc']} gives {_describe_figure(r)}" for _, r in named.iterrows())
                + ("; this agrees with " if len(named) == 1 else "; these agree with ") * ok
                + ("" if ok else "; this contradicts ")
                + shown
                + "."
            )
            srcs = tuple(_src(r["source_desc"], r["source_url"]) for _, r in comparable.iterrows())
            return Finding(
                float(used["value"]), "confirmed" if ok else "contradicted", tolerance, text + tail, "", srcs
            )
        if near.empty:
            text = "Only the article gives this; no other source found bears on it."
        else:
            text = (
                "No independent figure measures this; the closest found, not comparable: "
                + fmt.join(_short_figure(r) for _, r in near.iterrows())
                + ". What they are: "
                + "; ".join(_describe_figure(r) for _, r in near.iterrows())
                + "."
            )
        srcs = tuple(_src(r["source_desc"], r["source_url"]) for _, r in near.iterrows())
        return _unverifiable(tolerance, text + tail, settle, srcs)

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
