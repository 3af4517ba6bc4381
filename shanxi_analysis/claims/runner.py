"""The ledger: every claim's check run on the current data, one row per claim (the table an editor reads is
:mod:`shanxi_analysis.present.ledger`)."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from .. import data
from .. import numbers as fmt
from ..errors import DataError, ParameterError
from ..messages import DEFAULT_LANG, Message
from .article import ARTICLE_SOURCE, ARTICLE_URL, SOURCE_SEP
from .definitions import BASIS, CHECKS, QUOTE_TRANSLATIONS, TOPICS_BY_LANG
from .evidence import Finding, article_value, decimals_as_given, written
from .vocabulary import ALLOWED_KINDS, EVIDENCE_KINDS, VERDICTS

#: Columns of :func:`ledger`, in order.
COLUMNS = [
    "claim_id",
    "topic",
    "quote",
    "quote_translation",
    "article_value",
    "unit",
    "data_value",
    "verdict",
    "evidence_kind",
    "basis",
    "tolerance",
    "evidence",
    "settle",
    "sources",
    "article_shown",
    "data_shown",
]

#: The evidence kind a verdict has when its check does not name one.
_DEFAULT_KIND = {"confirmed": "independent data", "contradicted": "independent data", "unverifiable": "article only"}

_QUALIFIER = re.compile(r"^(?P<base>.*?)\s*\((?P<q>more than|nearly|about)\)$")

#: Units of an amount of money (``unit`` in ``article_claims.csv``) -> the amount's factor to hundreds of millions
#: of the currency, the unit Chinese statistics write amounts in (亿元, 万亿元).
_HUNDRED_MILLIONS = {"million yuan": 0.01, "billion yuan": 10.0, "trillion yuan": 10_000.0, "billion US dollars": 10.0}


def _shown(value: float, unit: str, decimals: int) -> Message:
    """A figure in the claim's unit (the catalog's ``claims.shown.*``): "more than 7,200 projects", "500 million
    yuan", "none found"."""
    if fmt.is_missing(value):
        return Message("claims.shown.none_found")
    if unit == "event":
        return Message("claims.shown.record", agrees=float(value) == 1)
    m = _QUALIFIER.match(unit)
    base, qualifier = (m["base"], m["q"]) if m else (unit, "")
    factor = _HUNDRED_MILLIONS.get(base)
    # the amount rounded as the claim gives it, then in hundreds of millions: 0.7306 trillion -> 0.73 -> 7300
    hundred_millions = None if factor is None else round(float(value), decimals) * factor
    return Message(
        "claims.shown.figure",
        value=float(value),
        digits=decimals,
        claim_unit=base,
        qualifier=qualifier,
        hundred_millions=hundred_millions,
        hundred_millions_digits=None if hundred_millions is None else decimals_as_given(hundred_millions, least=0),
    )


def _default_shown(claim: pd.Series, finding: Finding, side: int) -> Message:
    """The article's side (``side`` 0) or the data's (1) written in the claim's unit, for a check that shows none."""
    art, unit = article_value(claim), str(claim["unit"])
    decimals = 0 if fmt.is_missing(art) else decimals_as_given(art, least=0)
    if side == 0:
        if fmt.is_missing(art):
            return Message("claims.shown.stated", event=unit == "event")
        return _shown(art, unit, decimals)
    return _shown(finding.data_value, re.sub(r"\s*\((more than|nearly|about)\)$", "", unit), decimals)


def _params(func: Callable[..., Finding]) -> list[str]:
    return [p for p in inspect.signature(func).parameters if p != "claim"]


def _topics(lang: str) -> dict[str, str]:
    if lang not in TOPICS_BY_LANG:
        raise ParameterError(
            f"The claims have no topics in language {lang!r}: add topic_{lang} and quote_{lang} to every claim of "
            f"shanxi_analysis/claims/definitions.yml and {lang!r} to definitions.TRANSLATED (there are: "
            f"{', '.join(TOPICS_BY_LANG)})."
        )
    return TOPICS_BY_LANG[lang]


def _run(claim_id: str, claim: pd.Series, load: Callable[[str], pd.DataFrame], lang: str) -> dict[str, Any]:
    topics = _topics(lang)
    func = CHECKS[claim_id]
    finding = func(claim, **{name: load(name) for name in _params(func)})
    if finding.verdict not in VERDICTS:
        raise DataError(
            f"The check of claim {claim_id!r} in shanxi_analysis/claims returned verdict "
            f"{finding.verdict!r}; it must be one of {', '.join(VERDICTS)}. Fix the check."
        )
    kind = finding.kind or _DEFAULT_KIND.get(finding.verdict, "")
    if kind not in ALLOWED_KINDS[finding.verdict]:
        raise DataError(
            f"The check of claim {claim_id!r} in shanxi_analysis/claims returned verdict "
            f"{finding.verdict!r} resting on {kind or 'no evidence kind'!r}; that verdict needs "
            f"{' or '.join(sorted(ALLOWED_KINDS[finding.verdict]))} (kinds: {', '.join(EVIDENCE_KINDS)}). "
            "Fix the check."
        )
    settle = written(finding.settle, lang) if finding.verdict == "unverifiable" else ""
    sources = [ARTICLE_SOURCE] + [s for s in dict.fromkeys(finding.sources) if s and s != ARTICLE_SOURCE]
    shown = [written(s if s else _default_shown(claim, finding, side), lang) for side, s in enumerate(finding.shown)]
    evidence = written(finding.evidence, lang)
    tolerance = written(finding.tolerance, lang)
    rule = tolerance.rstrip(".。")
    if rule and rule not in evidence:
        evidence = written((Message("claims.evidence_and_rule", evidence=evidence, rule=rule),), lang)
    return {
        "claim_id": claim_id,
        "topic": topics[claim_id],
        "quote": claim["quote"],
        "quote_translation": QUOTE_TRANSLATIONS[lang][claim_id] if lang in QUOTE_TRANSLATIONS else "",
        "article_value": article_value(claim),
        "unit": claim["unit"],
        "data_value": float(finding.data_value),
        "verdict": finding.verdict,
        "evidence_kind": kind,
        "basis": BASIS[claim_id],
        "tolerance": tolerance,
        "evidence": evidence,
        "settle": settle,
        "sources": SOURCE_SEP.join(sources),
        "article_shown": shown[0],
        "data_shown": shown[1],
    }


def _loader() -> tuple[Callable[[str], pd.DataFrame], dict[str, pd.DataFrame]]:
    loaded: dict[str, pd.DataFrame] = {}

    def load(name: str) -> pd.DataFrame:
        if name not in loaded:
            func = data.LOADERS.get(name)
            if func is None:
                raise DataError(
                    f"A check in shanxi_analysis/claims asks for dataset {name!r}, which the data stage "
                    f"does not have; known: {', '.join(data.available())}. Rename the check's "
                    "parameter."
                )
            loaded[name] = func()
        return loaded[name]

    return load, loaded


def _unchecked(claims: pd.DataFrame) -> None:
    missing = [c for c in claims["claim_id"] if c not in CHECKS]
    if missing:
        raise DataError(
            f"data/raw/article_claims.csv: claim(s) {', '.join(missing)} have no check. Add a "
            "definition for each to shanxi_analysis/claims/definitions.yml (id, topic, check), or remove "
            "the row."
        )


def _rowless(claims: pd.DataFrame) -> None:
    orphans = [c for c in CHECKS if c not in set(claims["claim_id"])]
    if orphans:
        raise DataError(
            f"data/raw/article_claims.csv has no row for claim(s) {', '.join(orphans)}, which "
            "shanxi_analysis/claims/definitions.yml defines. Restore the row(s) (quote, value, unit) or "
            "remove the definition(s)."
        )


def ledger(lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Every claim of the article with its verdict, one row per claim in ``article_claims()`` order.

    Parameters
    ----------
    lang : str, default "en"
        The language of the texts (``topic``, ``quote_translation``, ``tolerance``, ``evidence``, ``settle``,
        ``article_shown``, ``data_shown``): a catalog of :mod:`shanxi_analysis.messages` and a language of
        ``definitions.yml`` (``topic_<lang>``, ``quote_<lang>``). The other columns are the same in every language.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS` (described in the README's claims-ledger section): ``claim_id``, ``topic`` (in
        ``lang``), ``quote`` (the article's English sentence, verbatim), ``quote_translation`` (the project's
        translation of it into ``lang``, from ``definitions.yml``; empty in English), ``article_value``,
        ``unit``, ``data_value`` (NaN where nothing independent exists), ``verdict`` (one of :data:`VERDICTS`),
        ``evidence_kind`` (one of :data:`EVIDENCE_KINDS`), ``basis`` (the rulebook's basis the verdict rests on,
        from ``definitions.yml``: a key of ``RULEBOOK``), ``tolerance``, ``evidence``, ``settle`` (what would
        settle an unverifiable claim; else empty), ``sources`` ("publisher <URL>" entries joined by
        :data:`SOURCE_SEP`, the article first), ``article_shown`` and ``data_shown`` (the two sides as printed,
        in the claim's unit: "more than 7,200 projects", "none found").
        ``attrs["sources"]`` lists the provenance of every dataset used.

    Raises
    ------
    ParameterError
        If ``definitions.yml`` gives no topics in ``lang``.
    DataError
        If a claim in ``data/raw/article_claims.csv`` has no check in :data:`CHECKS`, a check has no row there,
        or a check returns a verdict or evidence kind outside the vocabulary.
    """
    load, loaded = _loader()
    claims = load("article_claims")
    _unchecked(claims)
    _rowless(claims)
    rows = [_run(r["claim_id"], r, load, lang) for _, r in claims.iterrows()]
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["data_value"] = out["data_value"].astype(float)
    out["article_value"] = out["article_value"].astype(float)
    seen: dict[str, dict] = {}
    for df in loaded.values():
        for s in df.attrs.get("sources", []):
            seen.setdefault(s.get("resource", s.get("title", "")), s)
    out.attrs = {
        "title": "Claims of the China Daily article (2021-03-26) checked against the data",
        "article_url": ARTICLE_URL,
        "sources": list(seen.values()),
    }
    return out


def check(claim_id: str, lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """Run one claim's check on the current data.

    Parameters
    ----------
    claim_id : str
        A ``claim_id`` of ``data/raw/article_claims.csv``.
    lang : str, default "en"
        The language of the row's texts, as for :func:`ledger`.

    Returns
    -------
    dict
        The claim's :func:`ledger` row (keys :data:`COLUMNS`).

    Raises
    ------
    ParameterError
        If ``claim_id`` is not a claim of the article.
    DataError
        If the claim has no check in :data:`CHECKS`.
    """
    load, _ = _loader()
    claims = load("article_claims")
    hit = claims[claims["claim_id"] == claim_id]
    if hit.empty:
        raise ParameterError(
            f"Unknown claim id {claim_id!r}; the article's claims (data/raw/article_claims.csv) "
            f"are: {', '.join(claims['claim_id'])}."
        )
    _unchecked(hit)
    return _run(claim_id, hit.iloc[0], load, lang)
