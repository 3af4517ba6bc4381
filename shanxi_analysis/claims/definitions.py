"""Which check applies to which claim: the registry of checks by name, and ``definitions.yml`` read, validated and
turned into :data:`CHECKS`.

Why a YAML file inside the package rather than a table in ``data/raw/``: the definitions are the project's
*method* (which check reads a claim, the article's precision it allows, what would settle it), not figures from a
publisher.  They change together with the check functions, are reviewed like code and ship with the package
(package data), while ``data/raw/`` holds sourced inputs with a publisher, a checksum and a row count in the
manifest.  What the article says (the sentence, the figure, the unit) is sourced and stays in
``data/raw/article_claims.csv``; the two meet by claim id, and the ledger refuses a claim without a definition
and a definition without a claim.  YAML rather than CSV because a check's parameters are nested (a list of
related claims, an optional extra sentence) and the ``settle`` texts are long.

The logic stays in Python: each check is a function registered here by name (``@register_check("rank_2020")``
for a check without parameters, ``@register_check_builder("article_only", {...})`` for one built from its
parameters, as in :mod:`.article_only`) in :data:`RULES`; :func:`register` fills :data:`CHECKS`,
:data:`TOPICS` (and the topics and translated quotes by language, :data:`TOPICS_BY_LANG`, :data:`QUOTE_TRANSLATIONS`)
from the file.  A definition naming an unknown check, missing a field, or giving a parameter of
the wrong type raises a :class:`~shanxi_analysis.errors.DataError` naming the file, the claim id and the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .. import config
from ..errors import DataError
from .evidence import Finding
from .vocabulary import BASES

# --------------------------------------------------------------------------------------------- registry
#: claim_id -> check function, filled from ``definitions.yml`` by :func:`register`.
CHECKS: dict[str, Callable[..., Finding]] = {}

#: claim_id -> short label of what the claim is about, filled from ``definitions.yml`` by :func:`register`.
TOPICS: dict[str, str] = {}

#: claim_id -> the basis its verdict rests on (a key of :data:`~.vocabulary.RULEBOOK`), filled by :func:`register`.
BASIS: dict[str, str] = {}

#: The languages other than English each definition gives its topic and quote in (fields ``topic_<lang>``,
#: ``quote_<lang>``).
TRANSLATED = ("zh",)

#: language -> claim_id -> the claim's topic in that language (``"en"`` is :data:`TOPICS`), filled by
#: :func:`register`.
TOPICS_BY_LANG: dict[str, dict[str, str]] = {"en": TOPICS, **{lang: {} for lang in TRANSLATED}}

#: language -> claim_id -> the project's translation of the article's English quote (``quote_<lang>``), filled by
#: :func:`register`; English has none, the quote is the article's own.
QUOTE_TRANSLATIONS: dict[str, dict[str, str]] = {lang: {} for lang in TRANSLATED}


class Definition(NamedTuple):
    """One claim of ``definitions.yml``: its topic, check function and basis, and its topic and quote in each
    language of :data:`TRANSLATED` (language -> text)."""

    topic: str
    check: Callable[..., Finding]
    basis: str
    topics: dict[str, str]
    quotes: dict[str, str]


class DefinitionError(ValueError):
    """A claim definition's field is wrong: raised by a check builder, turned by :func:`load` into a
    :class:`~shanxi_analysis.errors.DataError` naming the file and the claim id."""

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


def register_check(name: str) -> Callable[[Callable[..., Finding]], Callable[..., Finding]]:
    """Register a check function without parameters under ``name``: ``func(claim, <dataset names>...) ->
    Finding``, where each parameter after ``claim`` is named after the dataset the ledger passes in.

    Raises
    ------
    RuntimeError
        If another check is registered under ``name``.
    """

    def deco(func: Callable[..., Finding]) -> Callable[..., Finding]:
        if name in RULES:
            raise RuntimeError(f"Two checks in shanxi_analysis/claims are registered as {name!r}; rename one.")
        RULES[name] = CheckRule(name, lambda claim_id, topic, params: func, {})
        return func

    return deco


def register_check_builder(
    name: str, params: dict[str, tuple[tuple[type, ...], bool]]
) -> Callable[[Callable[..., Callable[..., Finding]]], Callable[..., Callable[..., Finding]]]:
    """Register under ``name`` a function ``build(claim_id, topic, params) -> check`` that makes a claim's check
    from its definition's ``params``; ``params`` here maps each parameter name to ``(types, required)``.  The
    builder raises :class:`DefinitionError` for a parameter that is wrong beyond its type.

    Raises
    ------
    RuntimeError
        If another check is registered under ``name``.
    """

    def deco(build: Callable[..., Callable[..., Finding]]) -> Callable[..., Callable[..., Finding]]:
        if name in RULES:
            raise RuntimeError(f"Two checks in shanxi_analysis/claims are registered as {name!r}; rename one.")
        RULES[name] = CheckRule(name, build, params)
        return build

    return deco


# --------------------------------------------------------------------------------------------- definitions.yml

#: The claim definitions shipped with the package.
DEFINITIONS = Path(__file__).with_name("definitions.yml")

#: Fields of a definition -> (their type, required).
FIELDS: dict[str, tuple[type, bool]] = {
    "id": (str, True),
    "topic": (str, True),
    **{f"topic_{lang}": (str, True) for lang in TRANSLATED},
    **{f"quote_{lang}": (str, True) for lang in TRANSLATED},
    "basis": (str, True),
    "check": (str, True),
    "params": (dict, False),
}

_ID = re.compile(r"[a-z][a-z0-9_]*", re.ASCII)
_TYPE_WORDS = {str: "text", int: "a number", float: "a number", list: "a list", dict: "a mapping"}


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(config.PROJ_ROOT))
    except ValueError:
        return str(path)


def _type_ok(value: Any, types: tuple[type, ...]) -> bool:
    return isinstance(value, types) and not isinstance(value, bool)


def _words(types: tuple[type, ...]) -> str:
    return " or ".join(dict.fromkeys(_TYPE_WORDS.get(t, t.__name__) for t in types))


def _entries(path: Path) -> list[Any]:
    rel = _rel(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            f"The claim definitions {rel} are missing. Restore them with `git checkout -- {rel}`."
        ) from None
    except yaml.YAMLError as exc:
        raise DataError(
            f"{rel} is not valid YAML ({exc}). Correct it, or restore it with `git checkout -- {rel}`."
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("claims"), list):
        raise DataError(
            f"{rel} must hold a mapping with a list under 'claims' (one entry per claim); restore it "
            f"with `git checkout -- {rel}`."
        )
    return doc["claims"]


def _check_params(rel: str, cid: str, check: str, params: dict[str, Any]) -> None:
    spec = RULES[check].params
    where = f"{rel}: claim {cid!r}, field"
    for name, value in params.items():
        if name not in spec:
            allowed = ", ".join(spec) or "none"
            raise DataError(
                f"{where} 'params.{name}': check {check!r} takes no parameter {name!r} (its parameters: "
                f"{allowed}). Remove it or correct its name."
            )
        types, _ = spec[name]
        if not _type_ok(value, types):
            raise DataError(
                f"{where} 'params.{name}': expected {_words(types)}, got {type(value).__name__} "
                f"{value!r}. Correct the value in {rel}."
            )
    for name, (types, required) in spec.items():
        if required and name not in params:
            raise DataError(
                f"{where} 'params.{name}' is missing: check {check!r} needs it ({_words(types)}). "
                f"Add it under the claim's params in {rel}."
            )


def load(path: Path | None = None) -> dict[str, Definition]:
    """The claims of a definitions file: claim id -> :class:`Definition` (topic, check function, basis, and the
    topic and quote in each language of :data:`TRANSLATED`), in the file's order.

    Parameters
    ----------
    path : Path, optional
        A definitions file (default :data:`DEFINITIONS`).

    Raises
    ------
    DataError
        Naming the file, the claim id and the field, when an entry lacks a field, has an unknown field or a field
        of the wrong type, names a check that is not registered, gives the check a parameter it does not take, of
        the wrong type or none it needs, or repeats a claim id.
    """
    path = DEFINITIONS if path is None else Path(path)
    rel = _rel(path)
    out: dict[str, Definition] = {}
    related: dict[str, Any] = {}
    for n, entry in enumerate(_entries(path), start=1):
        if not isinstance(entry, dict):
            raise DataError(
                f"{rel}: entry {n} of 'claims' is not a mapping (id, topic, check, params): {entry!r}. Correct it."
            )
        given_id = entry.get("id")
        who = f"claim {given_id!r}" if isinstance(given_id, str) and given_id else f"entry {n} of 'claims'"
        for field, (kind, required) in FIELDS.items():
            if field not in entry:
                if required:
                    raise DataError(
                        f"{rel}: {who}, field {field!r} is missing. Every claim needs "
                        f"{', '.join(f for f, (_, r) in FIELDS.items() if r)}; add it."
                    )
                continue
            if not isinstance(entry[field], kind) or (kind is str and not entry[field].strip()):
                raise DataError(
                    f"{rel}: {who}, field {field!r}: expected {'non-empty ' * (kind is str)}"
                    f"{_TYPE_WORDS[kind]}, got {type(entry[field]).__name__} {entry[field]!r}. "
                    f"Correct it."
                )
        extra = [f for f in entry if f not in FIELDS]
        if extra:
            raise DataError(
                f"{rel}: {who}, field(s) {', '.join(map(repr, extra))} unknown; the fields are "
                f"{', '.join(FIELDS)}. Remove or rename them."
            )
        cid: str = entry["id"]  # checked above: a non-empty string
        if not _ID.fullmatch(cid):
            raise DataError(
                f"{rel}: {who}, field 'id': a claim id is lower-case letters, digits and '_' (as in "
                "data/raw/article_claims.csv). Correct it."
            )
        if cid in out:
            raise DataError(f"{rel}: claim {cid!r} is defined twice (field 'id'). Remove one definition.")
        if entry["basis"] not in BASES:
            raise DataError(
                f"{rel}: claim {cid!r}, field 'basis': unknown basis {entry['basis']!r}; the rulebook's bases are "
                f"{', '.join(BASES)}. Use one of them."
            )
        check, params = entry["check"], entry.get("params", {})
        if check not in RULES:
            raise DataError(
                f"{rel}: claim {cid!r}, field 'check': unknown check {check!r}; the registered checks "
                f"are {', '.join(sorted(RULES))}. Use one of them, or write the check in "
                "shanxi_analysis/claims and register it with @register_check(name)."
            )
        _check_params(rel, cid, check, params)
        try:
            func = RULES[check].build(cid, entry["topic"], params)
        except DefinitionError as exc:
            raise DataError(f"{rel}: claim {cid!r}, field {exc.field!r}: {exc.problem}. Correct it in {rel}.") from None
        out[cid] = Definition(
            entry["topic"],
            func,
            entry["basis"],
            {lang: entry[f"topic_{lang}"] for lang in TRANSLATED},
            {lang: entry[f"quote_{lang}"] for lang in TRANSLATED},
        )
        related[cid] = params.get("related", [])
    for cid, others in related.items():
        unknown = [r for r in others if r not in out]
        if unknown:
            raise DataError(
                f"{rel}: claim {cid!r}, field 'params.related': {', '.join(map(repr, unknown))} is not "
                f"a claim defined in {rel}. Correct the id."
            )
    return out


def register(path: Path | None = None) -> None:
    """Fill :data:`CHECKS`, :data:`TOPICS`, :data:`BASIS`, :data:`TOPICS_BY_LANG` and :data:`QUOTE_TRANSLATIONS`
    from a definitions file (the package's by default), replacing what they held."""
    claims = load(path)
    CHECKS.clear()
    BASIS.clear()
    for table in (*TOPICS_BY_LANG.values(), *QUOTE_TRANSLATIONS.values()):
        table.clear()
    for cid, d in claims.items():
        CHECKS[cid], TOPICS[cid], BASIS[cid] = d.check, d.topic, d.basis
        for lang in TRANSLATED:
            TOPICS_BY_LANG[lang][cid] = d.topics[lang]
            QUOTE_TRANSLATIONS[lang][cid] = d.quotes[lang]
