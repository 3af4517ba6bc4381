"""The message catalog: every sentence a reader sees, one Jinja2 template per sentence and
language, in ``messages/<lang>.yml`` (message id -> template, a comment above each saying where it
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

import functools
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from .. import numbers as fmt

#: The folder of the catalog files, one ``<lang>.yml`` per language.
CATALOG_DIR = Path(__file__).parent

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
    text = f"{abs(fmt.rounded(float(value), digits)):.{digits}f}"
    return f"{text} percentage point" + ("" if text == f"{1:.{digits}f}" else "s")


def _plural(n: int, word: str, plural_word: str | None = None) -> str:
    return fmt.plural(int(n), word, plural_word)


def _zoned(value: Any, hours: int) -> Any:
    """An ISO 8601 time with its offset (``2026-12-02T05:51:41+00:00``, as ``build.json`` records it) in the zone
    ``hours`` ahead of UTC; None for text that is not such a time (left unchanged by the filters below)."""
    import datetime as dt

    try:
        t = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return None if t.tzinfo is None else t.astimezone(dt.timezone(dt.timedelta(hours=hours)))


def _en_time(value: Any) -> str:
    """A build time as a reader reads it, in UTC to the minute: ``2 December 2026, 05:51 UTC``."""
    t = _zoned(value, 0)
    return str(value) if t is None else f"{t.day} {t:%B} {t.year}, {t:%H:%M} UTC"


#: Number and list formatting by language: the Jinja filters of each catalog.
FILTERS: dict[str, dict[str, Callable[..., Any]]] = {
    "en": {
        "pct": lambda v, digits=1: fmt.pct(v, digits),
        "spct": lambda v, digits=1: fmt.pct(v, digits, signed=True),
        "pp": _pp,
        "ordinal": fmt.ordinal,
        "yuan100m": fmt.yuan_100m,
        "yuan": fmt.yuan,
        "number": lambda v, digits=1: fmt.number(v, digits).replace("-", "\u2212"),
        "year": lambda v: str(int(v)),
        "time": _en_time,
        "span": _span,
        "years": fmt.years,
        "join": lambda items, conjunction="and": fmt.join(items, conjunction),
        "plural": _plural,
        "yg": lambda pair: f"{int(pair[0])} ({fmt.pct(pair[1], signed=True)})",
        "commas": lambda items: ", ".join(str(i) for i in items),
        "dates": fmt.period,  # a date or period as the data writes it: "2020-03-17..2021-05-12" -> "... to ..."
    },
}

#: How a template's line breaks read: English joins lines with a space; a language written without spaces
#: (Chinese) registers ``""`` here.
JOIN_LINES: dict[str, str] = {"en": " "}


# ------------------------------------------------------------------------------------------------ Chinese
#: Where the Chinese terms live: names and notes that come from the data in English (regions, fields, scopes, the
#: sources' notes), one English text -> its Chinese, read by the ``term`` filter of the Chinese catalog.
TERMS_DIR = CATALOG_DIR / "terms"

_ZH_MISSING = "无数据"
_MINUS = "\u2212"


def _zh_number(value: Any, digits: int = 1) -> str:
    """A number as Chinese statistics write it: no thousands separator, a true minus."""
    if value is None or fmt.is_missing(value):
        return _ZH_MISSING
    return f"{fmt.rounded(float(value), digits):.{digits}f}".replace("-", _MINUS)


def _zh_pct(value: Any, digits: int = 1, signed: bool = False) -> str:
    if value is None or fmt.is_missing(value):
        return _ZH_MISSING
    text = f"{abs(fmt.rounded(float(value), digits)):.{digits}f}%"
    if not signed:
        return (_MINUS if float(value) < 0 and float(text[:-1]) != 0 else "") + text
    return ("+" if float(value) > 0 else _MINUS if float(value) < 0 and float(text[:-1]) != 0 else "") + text


def _zh_change(value: Any, digits: int = 1) -> str:
    """Growth in words, never a signed number after 增长: ``增长10.6%``, ``下降5.4%``, ``持平``; growth of 100% or
    more in multiples, as NBS writes it: 574.0% is ``增长5.7倍`` (one decimal, none when whole: ``增长2倍``)."""
    if value is None or fmt.is_missing(value):
        return _ZH_MISSING
    text = f"{abs(fmt.rounded(float(value), digits)):.{digits}f}"
    if float(text) == 0:
        return "持平"
    if float(value) >= 100:
        return "增长" + f"{fmt.rounded(float(value) / 100, 1):.1f}".removesuffix(".0") + "倍"
    return ("增长" if float(value) > 0 else "下降") + text + "%"


def _zh_pp(value: Any, digits: int = 1) -> str:
    """A gap in percentage points, unsigned: ``7.7个百分点``."""
    if value is None or fmt.is_missing(value):
        return _ZH_MISSING
    return f"{abs(fmt.rounded(float(value), digits)):.{digits}f}个百分点"


def _decimals(value: float, most: int = 6) -> int:
    """The decimals a figure has: ``0.7306`` -> 4, ``6041.0`` -> 0 (at most ``most``)."""
    return next((d for d in range(most + 1) if abs(round(value, d) - value) < 1e-9), most)


def _zh_yuan100m(value: Any, digits: int = 1, pair: Any = None) -> str:
    """An amount in 亿元 as NBS writes it: ``3324.3亿元``; from 1万亿 on in 万亿元, with one decimal more than the
    亿元 figure would have (the English figure's decimals: ``17835.6`` -> ``1.78万亿元``, 1.78 trillion yuan), and
    never a 万亿元 amount below 1万亿 (``7306亿元``, not ``0.7306万亿元``).  ``pair``: an amount written beside it,
    in the same unit: both in 亿元 unless both reach 1万亿 (14198.0亿元 and 6040.5亿元, never 1.42万亿元 and
    6040.5亿元)."""
    if value is None or fmt.is_missing(value):
        return _ZH_MISSING
    v = float(value)
    small_pair = pair is not None and not fmt.is_missing(pair) and abs(round(float(pair), digits)) < 10000
    if abs(round(v, digits)) >= 10000 and not small_pair:
        return f"{fmt.rounded(v / 10000, digits + 1):.{digits + 1}f}万亿元".replace("-", _MINUS)
    return f"{fmt.rounded(v, digits):.{digits}f}亿元".replace("-", _MINUS)


def _zh_count(value: float, digits: int, unit: str) -> str:
    """A count as Chinese writes a large one: from 1万 on in 万 (``120000`` -> ``12万``), from 1亿 on in 亿, with
    every digit of the figure kept (``125000`` -> ``12.5万``, ``123456`` -> ``12.3456万``); a smaller count as it
    is (``1010``)."""
    v = round(float(value), digits)
    for scale, word in ((100_000_000, "亿"), (10_000, "万")):
        if abs(v) >= scale:
            return _zh_number(v / scale, _decimals(v / scale, digits + 8)) + word + unit
    return _zh_number(v, digits) + unit


def _zh_yuan(value: Any, digits: int = 0) -> str:
    if value is None or fmt.is_missing(value):
        return _ZH_MISSING
    return f"{fmt.rounded(float(value), digits):.{digits}f}元".replace("-", _MINUS)


def _zh_join(items: Iterable[Any], conjunction: str = "和") -> str:
    """``A、B和C`` (``conjunction`` "或" for "or")."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    conj = {"and": "和", "or": "或"}.get(conjunction, conjunction)
    return "、".join(items[:-1]) + conj + items[-1]


def _zh_span(first: Any, last: Any = None) -> str:
    """``2017—2021年``; ``2020年`` for one year."""
    text = _span(first, last)
    return "无年份" if text == "no year" else text.replace("\u2013", "—") + "年"


def _zh_years(values: Iterable[Any]) -> str:
    """``2009年和2016年``."""
    return _zh_join(f"{int(y)}年" for y in values)


def _zh_time(value: Any) -> str:
    """A build time in Beijing time, as a Chinese reader reads it: ``2026年12月2日13:51（北京时间）``."""
    t = _zoned(value, 8)
    return str(value) if t is None else f"{t.year}年{t.month}月{t.day}日{t:%H:%M}（北京时间）"


def _zh_date(value: Any) -> str:
    """``2021-03-26`` -> ``2021年3月26日`` (``2022-09`` -> ``2022年9月``); other text unchanged."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", str(value).strip())
    if not m:
        return str(value)
    y, mo, d = m.groups()
    return f"{y}年{int(mo)}月" + (f"{int(d)}日" if d else "")


def _zh_dates(value: Any) -> str:
    """A date or period as the data writes it, in Chinese as NBS writes periods: ``2023-01-30`` -> ``2023年1月30日``,
    ``2021`` -> ``2021年``, ``2017..2021`` -> ``2017—2021年``, ``2020-01..2020-04`` -> ``2020年1—4月``,
    ``2020-02-28..2020-08-08`` -> ``2020年2月28日至8月8日``, ``2020-03-17..2021-05-12`` ->
    ``2020年3月17日至2021年5月12日``; other text (a date written in words, already in Chinese) unchanged."""
    parts = str(value).strip().split("..")
    if not all(re.fullmatch(r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?", p) for p in parts):
        return str(value)
    if len(parts) != 2:
        return "至".join(p + "年" if len(p) == 4 else _zh_date(p) for p in parts)
    a, b = ([int(x) for x in p.split("-")] for p in parts)
    if a == b:  # a period of one date, year or month
        return parts[0] + "年" if len(a) == 1 else _zh_date(parts[0])
    if len(a) != len(b):
        return "至".join(p + "年" if len(p) == 4 else _zh_date(p) for p in parts)
    if len(a) == 1:  # years: 2017—2021年
        return f"{a[0]}\u2014{b[0]}年"
    if a[0] != b[0]:  # across years: each date whole
        return f"{_zh_date(parts[0])}至{_zh_date(parts[1])}"
    if len(a) == 2:  # months of one year: 2020年1—4月
        return f"{a[0]}年{a[1]}\u2014{b[1]}月"
    return f"{a[0]}年{a[1]}月{a[2]}日至{b[1]}月{b[2]}日"  # days of one year: the year once


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _zh_period(value: Any) -> str:
    """A cumulative period as NBS writes it: ``Jan-Apr`` -> ``1—4月``, ``Jan`` -> ``1月``."""
    parts = str(value).split("-")
    try:
        months = [_MONTHS.index(p.strip()[:3]) + 1 for p in parts]
    except ValueError:
        return term(str(value))
    return f"{months[0]}月" if len(months) == 1 else f"{months[0]}—{months[-1]}月"


@cache
def _zh_places() -> dict[str, str]:
    from ..data import provinces

    out = {"China": "全国"}
    out.update(zip(provinces()["name_en"], provinces()["name_zh"], strict=True))
    return out


def place(name: Any, lang: str = "zh") -> str:
    """A province's name in ``lang`` from ``sa.data.provinces()`` (``name_zh``: 山西, 陕西, ...); ``China`` is
    全国 in Chinese.  English names are returned unchanged.

    Raises
    ------
    KeyError
        A name that is not one of the 31 provinces or China.
    """
    return Words.written(lambda other: _place(name, other), lang)


def _place(name: Any, lang: str) -> str:
    if lang == "en":
        return str(name)
    places = _zh_places()
    if str(name) not in places:
        raise KeyError(f"no Chinese name for {name!r}: province names come from sa.data.provinces() (name_zh)")
    return places[str(name)]


def read_catalog_file(path: Path) -> dict:
    """A catalog or terms file (YAML mapping) read strictly: a key given twice is refused, naming both lines (YAML
    itself keeps the last silently, so an edit to the first copy would change nothing on the pages).

    Raises
    ------
    ValueError
        A repeated key, or a file that is not a mapping.
    """
    import yaml

    class Strict(yaml.SafeLoader):
        pass

    def mapping(loader: Any, node: Any, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise ValueError(
                    f"{path}, line {line}: the key {key!r} is given twice (first on line {seen[key]}); keep one"
                )
            seen[key] = line
        return loader.construct_mapping(node, deep=deep)

    Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=Strict) or {}  # noqa: S506 - a SafeLoader subclass
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: expected a mapping of ids to texts, found {type(doc).__name__}")
    return doc


@cache
def terms(lang: str = "zh") -> dict[str, str]:
    """English text from the data -> its ``lang`` rendering (``messages/terms/<lang>.yml``)."""
    path = TERMS_DIR / f"{lang}.yml"
    doc = read_catalog_file(path) if path.exists() else {}
    return {str(k).strip(): str(v).strip() for k, v in doc.items()}


def term(text: Any, lang: str = "zh") -> str:
    """The ``lang`` rendering of a term or note the data gives in English (a region, a field, a scope, a source's
    note).

    Raises
    ------
    KeyError
        A text with no entry: add it to ``messages/terms/<lang>.yml``.
    """
    return Words.written(lambda other: _term(text, other), lang)


def _term(text: Any, lang: str) -> str:
    if lang == DEFAULT_LANG:
        return str(text)
    key = str(text).strip()
    found = terms(lang)
    if key not in found:
        raise KeyError(f"no {lang} rendering of {key!r}: add it to {TERMS_DIR / (lang + '.yml')}")
    return found[key]


_BUREAU = re.compile(r"([A-Z][A-Za-z ]*?) Statistics Bureau")


@cache
def _zh_full_places() -> dict[str, str]:
    from ..data import provinces

    p = provinces()
    return dict(zip(p["name_en"], p["name_zh_full"], strict=True))


def _zh_own(name: Any) -> str:
    """How a Chinese page names a province as "this one" in a comparison: 本省, 本自治区 (an autonomous region; 本区
    read as ambiguous to an editor) or 本市 (a municipality), from its full name in ``sa.data.provinces()``
    (重庆市 -> 本市); 本省 was wrong for 重庆."""
    full = _zh_full_places().get(str(name), "")
    return "本市" if full.endswith("市") else "本自治区" if full.endswith("区") else "本省"


def publisher(name: Any, lang: str = "zh") -> str:
    """A publisher's short name (:func:`~shanxi_analysis.present.short_source`), or an event's publisher as
    ``data/raw/events.csv`` records it, in ``lang``: the names in ``messages/terms/<lang>.yml``, a province's
    statistics bureau by the province's full name (山西省统计局); any other (a web site, a title's first words) as it
    is, since a source's own name is not translated."""
    key = str(name).strip()
    if lang == DEFAULT_LANG:
        return key
    if key in terms(lang):
        return terms(lang)[key]
    m = _BUREAU.fullmatch(key)
    if lang == "zh" and m and m.group(1) in _zh_full_places():
        return f"{_zh_full_places()[m.group(1)]}统计局"
    return key


@cache
def _nbs_codes() -> dict[str, int]:
    from ..data import provinces

    return dict(zip(provinces()["name_en"], provinces()["adcode"], strict=True))


def province_order(names: Iterable[Any], lang: str = DEFAULT_LANG) -> list[Any]:
    """Province names (English) in the order a reader of ``lang`` looks them up: alphabetical in English; in Chinese,
    NBS's order by administrative code (北京、天津、河北、山西、内蒙古 ...), as Chinese statistics list them, since
    an English alphabet means nothing there.  A name that is not a province keeps its place after them."""
    if lang == DEFAULT_LANG:
        return sorted(names, key=str)
    codes = _nbs_codes()
    return sorted(names, key=lambda n: codes.get(str(n), 10**9))


#: The heads of NBS's industry names a Chinese label is best broken before (软件和信息技术/服务业).
ZH_HEADS = ("服务业", "供应业", "零售业", "餐饮业", "制造业", "建筑业", "采矿业", "仓储业")
#: A Chinese label reads on naturally after an enumeration comma (交通运输、/仓储和邮政业) ...
ZH_BREAK_AFTER = ("、", "，")
#: ... and before a conjunction (电力、热力、燃气/及水生产和供应业).
ZH_BREAK_BEFORE = ("和", "及", "与")
#: The longest label :func:`label_phrases` cuts; longer text (a sentence) breaks as the language's text does.
LABEL_CHARS = 20
#: The longest phrase :func:`label_phrases` keeps on one line when a break of a lesser kind could cut it.
PHRASE_CHARS = 8


def zh_break(first: str, second: str) -> int | None:
    """The kind of break between ``first`` and ``second``, two parts of a Chinese label: 0 before an industry name's
    head ending the label (:data:`ZH_HEADS`), 1 before an opening bracket, 2 after an enumeration comma
    (:data:`ZH_BREAK_AFTER`) or before a conjunction (:data:`ZH_BREAK_BEFORE`); None where a reader would not break.
    Table cells (:func:`label_phrases`) and chart labels (``present.theme.wrap_text``) break by it."""
    if not first or not second:
        return None
    if second in ZH_HEADS:
        return 0
    if second[0] in "（(":
        return 1
    if first.endswith(ZH_BREAK_AFTER) or second.startswith(ZH_BREAK_BEFORE):
        return 2
    return None


def _zh_cuts(text: str, kind: int) -> list[int]:
    """Where ``text`` may break by the ``kind`` of break (:func:`zh_break`)."""
    return [i for i in range(1, len(text)) if zh_break(text[:i], text[i:]) == kind]


def _zh_phrases(text: str, kind: int = 0) -> list[str]:
    if kind > 2:
        return [text]
    cuts = _zh_cuts(text, kind)
    if not cuts:
        return _zh_phrases(text, kind + 1)
    bounds = [0, *cuts, len(text)]
    parts = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    return [q for part in parts for q in (_zh_phrases(part, kind + 1) if len(part) > PHRASE_CHARS else [part])]


def label_phrases(text: str, lang: str = DEFAULT_LANG) -> list[str]:
    """A short label (a table cell, a category) cut where a reader breaks it across lines, the pieces joining back
    to ``text``.  In Chinese, at the best kind of break the label has: before an industry name's head
    (:data:`ZH_HEADS`), else before an opening bracket, else after an enumeration comma (:data:`ZH_BREAK_AFTER`) or
    before a conjunction (:data:`ZH_BREAK_BEFORE`); a piece still longer than :data:`PHRASE_CHARS` is cut again by
    the lesser kinds.  So 软件和信息技术服务业 is ``["软件和信息技术", "服务业"]``, and breaks there or not at all.
    In another language, or text longer than :data:`LABEL_CHARS` (a sentence breaks as its language's text does),
    the text whole."""
    if lang != "zh" or not text or len(text) > LABEL_CHARS:
        return [text]
    return _zh_phrases(text)


FILTERS["zh"] = {
    "nbs_order": lambda names: province_order(names, "zh"),
    "own": _zh_own,
    "publisher": publisher,
    "pct": lambda v, digits=1: _zh_pct(v, digits),
    "spct": lambda v, digits=1: _zh_pct(v, digits, signed=True),
    "chg": _zh_change,
    "pp": _zh_pp,
    "ordinal": lambda n: f"第{int(n)}位",
    "yuan100m": _zh_yuan100m,
    "yuan": _zh_yuan,
    "number": _zh_number,
    "year": lambda v: str(int(v)),
    "span": _zh_span,
    "years": _zh_years,
    "join": _zh_join,
    "plural": lambda n, *_: str(int(n)),
    "yg": lambda pair: f"{int(pair[0])}年（{_zh_change(pair[1])}）",
    "commas": lambda items: "、".join(str(i) for i in items),
    "place": place,
    "places": lambda names: [place(n) for n in names],
    "term": term,
    "date": _zh_date,
    "dates": _zh_dates,
    "time": _zh_time,
    "period": _zh_period,
    "periods": lambda items: [_zh_period(i) for i in items],
}
JOIN_LINES["zh"] = ""


# ------------------------------------------------------------------------------------------------ figures with a unit
_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def _month(value: Any) -> str:
    """``2021-03`` -> ``March 2021``; other text unchanged."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", str(value).strip())
    return f"{_MONTH_NAMES[int(m.group(2)) - 1]} {m.group(1)}" if m else str(value)


def _en_amount(value: Any, digits: int, unit: Any) -> str:
    """A figure and the unit the data writes it in: ``1,010 projects``, ``0.7306 trillion yuan``."""
    return f"{fmt.number(value, digits)} {unit}"


#: Units the data writes in English that Chinese writes in 亿元 / 万亿元 / 亿美元: unit -> (factor, Chinese unit).
_ZH_SCALED_UNITS = {
    "trillion yuan": (1.0, "万亿元"),
    "billion yuan": (10.0, "亿元"),
    "million yuan": (0.01, "亿元"),
    "billion US dollars": (10.0, "亿美元"),
    "100 million yuan": (1.0, "亿元"),  # the unit of Chinese statistics, as facts are often given
    "100 million US dollars": (1.0, "亿美元"),
}


def _zh_amount(value: Any, digits: int, unit: Any) -> str:
    """A figure with its unit as Chinese writes it: amounts of money in 亿元 / 万亿元 (``604.1 billion yuan`` ->
    ``6041亿元``, ``500 million yuan`` -> ``5亿元``, ``0.7306 trillion yuan`` -> ``7306亿元``: a 万亿 amount from
    1万亿 on only), with the decimals the converted figure needs; any other unit after the number, by the ``term``
    filter, a count from 1万 on in 万 (``1010个项目``, ``12万辆/年``)."""
    if value is None or fmt.is_missing(value):
        return _ZH_MISSING
    key = str(unit).strip()
    if key in _ZH_SCALED_UNITS:
        factor, word = _ZH_SCALED_UNITS[key]
        v = float(value) * factor * (10000 if word == "万亿元" else 1)  # in 亿 of the currency
        currency = word.removeprefix("万亿").removeprefix("亿")
        if abs(v) >= 10000:
            return _zh_number(v / 10000, _decimals(v / 10000)) + "万亿" + currency
        return _zh_number(v, _decimals(v)) + "亿" + currency
    return _zh_count(value, digits, term(key))


FILTERS["en"].update(amount=_en_amount, month=_month)
FILTERS["zh"].update(amount=_zh_amount, month=_zh_date)

#: The HTML ``lang`` attribute of a page in each language.
HTML_LANG = {"en": "en", "zh": "zh-CN"}


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
    path = CATALOG_DIR / f"{lang}.yml"
    if not path.exists():
        raise KeyError(f"no message catalog for language {lang!r}: add {path} (there are: {', '.join(languages())})")
    doc = read_catalog_file(path)
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


class Words(str):
    """Text written in one language (its ``lang``) that can be written in every other: a sentence of the catalog
    (:func:`say`), a province's name (:func:`place`), a term of the data (:func:`term`), or text made of those by
    :meth:`map` and ``+``.  It is the text itself (a ``str``), so it goes wherever text goes; :meth:`to` writes it
    in another language.  A chart is drawn once for every language from such text
    (:mod:`shanxi_analysis.present.wording`): its layout leaves room for the words of each.

    What is lost: any other operation on the text (``.replace``, an f-string, ``"".join``) gives a plain ``str`` in
    one language; pickled, it is plain text."""

    lang: str
    _write: Callable[[str], str]
    _written: dict[str, Words]

    def __new__(cls, text: str, lang: str, write: Callable[[str], str]) -> Words:
        obj = super().__new__(cls, text)
        obj.lang = lang
        obj._write = write
        obj._written = {}
        return obj

    @classmethod
    def written(cls, write: Callable[[str], str], lang: str) -> Words:
        """The text ``write`` writes in ``lang``, which writes it in any other language when asked (text put
        together by a rule of its own in each language: a source line and its note, a tile's code or name)."""
        return cls(write(lang), lang, write)

    def to(self, lang: str) -> Words:
        """The same words in ``lang`` (written once, then kept)."""
        if lang == self.lang:
            return self
        done = self._written.get(lang)
        if done is None:
            done = self._written[lang] = Words.written(self._write, lang)
        return done

    def map(self, fn: Callable[[str], str]) -> Words:
        """``fn`` applied to the text in each language (wrapping, a chart's fallback to Latin text...)."""
        write = self._write
        return Words(fn(str(self)), self.lang, lambda lang: fn(write(lang)))

    def __add__(self, other: object) -> Words:
        if not isinstance(other, str):
            return NotImplemented
        write = self._write
        return Words(str(self) + str(other), self.lang, lambda lang: write(lang) + in_lang(other, lang))

    def __radd__(self, other: object) -> Words:
        if not isinstance(other, str):
            return NotImplemented
        write = self._write
        return Words(str(other) + str(self), self.lang, lambda lang: in_lang(other, lang) + write(lang))

    def __reduce__(self) -> tuple:
        return (str, (str(self),))


def in_lang(value: Any, lang: str) -> Any:
    """``value`` with every :class:`Words` in it written in ``lang`` (in lists, tuples and dicts too); anything
    else as it is."""
    if isinstance(value, Words):
        return str(value.to(lang))
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
        return type(value)(*(in_lang(v, lang) for v in value))
    if isinstance(value, (list, tuple)):
        return type(value)(in_lang(v, lang) for v in value)
    if isinstance(value, dict):
        return {k: in_lang(v, lang) for k, v in value.items()}
    return value


def per_language(fn: Callable[..., str]) -> Callable[..., str]:
    """``fn`` (text, then other arguments -> text) made to keep :class:`Words` in every language: given Words, it
    is applied to the text in each (:meth:`Words.map`); given plain text, as it is."""

    @functools.wraps(fn)
    def each(text: Any, *args: Any, **kw: Any) -> str:
        if isinstance(text, Words):
            return text.map(lambda s: fn(s, *args, **kw))
        return fn(text, *args, **kw)

    return each


def every_language(text: str) -> list[str]:
    """``text`` in every language of the catalogs when it is :class:`Words`, else ``[text]``: what a chart sizes
    something by (a label's lines, its width) so that the size holds in each."""
    if isinstance(text, Words):
        return [str(text.to(lang)) for lang in _catalog_languages()]
    return [text]


@cache
def _catalog_languages() -> tuple[str, ...]:
    return tuple(languages())


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
    return Words(_said(message_id, lang, facts), lang, lambda other: _said(message_id, other, in_lang(facts, other)))


def _said(message_id: str, lang: str, facts: dict[str, Any]) -> str:
    text = _template(lang, message_id).render(**facts)
    joiner = JOIN_LINES.get(lang, " ")
    text = re.sub(r"\s*\n\s*", joiner, text)
    if not joiner:  # Chinese: no space next to a Chinese character or punctuation
        text = re.sub(
            r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])",
            "",
            text,
        )
    return text.replace("  ", " ").strip()


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
