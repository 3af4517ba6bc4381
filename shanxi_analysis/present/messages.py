"""The message catalog: every sentence a reader sees in the province story, one Jinja2 template per sentence and
language, in ``present/messages/<lang>.yml`` (message id -> template, a comment above each saying where it
appears), rendered by :func:`say` with the facts passed in.

An editor reviews and corrects the wording in the catalog file alone; the code passes facts (numbers, names,
years, flags), never words.  Choices of wording (grew or fell, singular or plural, above or below) are made in the
template, and numbers are written by the language's filters (:data:`FILTERS`).  In English: ``pct`` ("10.6%"),
``spct`` (signed, "+10.6%", "−5.4%" with a true minus), ``pp`` ("7.7 percentage points"), ``ordinal`` ("2nd"),
``yuan100m`` (an amount in 100 million yuan: "332.4 billion yuan"), ``yuan``, ``number``, ``year`` (never a
thousands separator), ``span`` ("2017–2021"), ``years`` and ``join`` (lists), ``plural`` and ``yg`` (a year with
its growth).  Another language is a catalog file and its filters, not code in the sentences:
``FILTERS["zh"] = {...}`` and ``messages/zh.yml``.

The text is plain (no Markdown, no HTML): escaping happens once, where it is rendered
(:func:`shanxi_analysis.present.md`).  Whitespace inside a template is the template's layout: runs of blanks and
line breaks read as one space in English (:data:`JOIN_LINES`).

>>> say("gaps.none", province="Shanxi", year=2020)  # doctest: +SKIP
'The data covers every question of this page for Shanxi in 2020.'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from .. import numbers as fmt

#: The folder of the catalog files, one ``<lang>.yml`` per language.
CATALOG_DIR = Path(__file__).with_name("messages")

#: The language of the reports when none is asked for.
DEFAULT_LANG = "en"


def _span(first: Any, last: Any = None) -> str:
    """``2017–2021`` (en dash); one year alone when ``first == last``; a set or list of years gives its range."""
    if last is None and isinstance(first, Iterable) and not isinstance(first, str):
        ys = sorted(int(y) for y in first)
        if not ys:
            return "no year"
        first, last = ys[0], ys[-1]
    if last is None or int(first) == int(last):
        return str(int(first))
    return f"{int(first)}\u2013{int(last)}"


def _pp(value: float | None, digits: int = 1) -> str:
    """A gap in percentage points, unsigned: ``7.7 percentage points`` (``1.0 percentage point`` singular)."""
    if value is None or fmt.is_missing(value):
        return fmt.MISSING
    text = f"{abs(float(value)):.{digits}f}"
    return f"{text} percentage point" + ("" if text == f"{1:.{digits}f}" else "s")


def _plural(n: int, word: str, plural_word: str | None = None) -> str:
    return fmt.plural(int(n), word, plural_word)


#: Number and list formatting by language: the Jinja filters of each catalog.
FILTERS: dict[str, dict[str, Callable[..., str]]] = {
    "en": {
        "pct": lambda v, digits=1: fmt.pct(v, digits),
        "spct": lambda v, digits=1: fmt.pct(v, digits, signed=True),
        "pp": _pp,
        "ordinal": fmt.ordinal,
        "yuan100m": fmt.yuan_100m,
        "yuan": fmt.yuan,
        "number": lambda v, digits=1: fmt.number(v, digits).replace("-", "\u2212"),
        "year": lambda v: str(int(v)),
        "span": _span,
        "years": fmt.years,
        "join": lambda items, conjunction="and": fmt.join(items, conjunction),
        "plural": _plural,
        "yg": lambda pair: f"{int(pair[0])} ({fmt.pct(pair[1], signed=True)})",
    },
}

#: How a template's line breaks read: English joins lines with a space; a language written without spaces
#: (Chinese) registers ``""`` here.
JOIN_LINES: dict[str, str] = {"en": " "}


def languages() -> list[str]:
    """The languages with a catalog file."""
    return sorted(p.stem for p in CATALOG_DIR.glob("*.yml"))


@cache
def catalog(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Message id -> template source of one language's catalog file.

    Raises
    ------
    KeyError
        No catalog file for ``lang`` (the message lists those there are).
    """
    import yaml

    path = CATALOG_DIR / f"{lang}.yml"
    if not path.exists():
        raise KeyError(f"no message catalog for language {lang!r}: add {path} (there are: {', '.join(languages())})")
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    bad = [k for k, v in doc.items() if not isinstance(v, str)]
    if bad:
        raise ValueError(f"{path}: each message is one template string; not so for {', '.join(map(str, bad))}")
    return {str(k): v for k, v in doc.items()}


@cache
def _environment(lang: str) -> Any:
    import jinja2

    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
    env.filters.update(FILTERS.get(lang, FILTERS[DEFAULT_LANG]))
    return env


@cache
def _template(lang: str, message_id: str) -> Any:
    templates = catalog(lang)
    if message_id not in templates:
        raise KeyError(
            f"no message {message_id!r} in {CATALOG_DIR / (lang + '.yml')}: add it there (one template per sentence)"
        )
    return _environment(lang).from_string(templates[message_id])


def say(message_id: str, lang: str = DEFAULT_LANG, **facts: Any) -> str:
    """The sentence ``message_id`` of the ``lang`` catalog with ``facts`` put in: plain text, escaped later where
    it is rendered.

    Parameters
    ----------
    message_id : str
        A key of ``messages/<lang>.yml``.
    lang : str, default "en"
        The catalog's language.
    **facts
        The values the template names (numbers unformatted: the template's filters write them).

    Raises
    ------
    KeyError
        An unknown message id or language.
    jinja2.UndefinedError
        The template names a fact that was not passed.
    """
    text = _template(lang, message_id).render(**facts)
    joiner = JOIN_LINES.get(lang, " ")
    return re.sub(r"\s*\n\s*", joiner, text).replace("  ", " ").strip()


class Message:
    """A sentence decided now and written later: its id and facts (e.g. one thing the data cannot say), rendered by
    :meth:`text` in any language."""

    __slots__ = ("facts", "message_id")

    def __init__(self, message_id: str, /, **facts: Any) -> None:
        self.message_id = message_id
        self.facts = facts

    def text(self, lang: str = DEFAULT_LANG) -> str:
        return say(self.message_id, lang, **self.facts)

    def __repr__(self) -> str:
        return f"Message({self.message_id!r}, **{self.facts!r})"
