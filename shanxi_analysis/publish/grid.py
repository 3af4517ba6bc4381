"""The province x year grid: which parameter sets a command asks for, checked before any kernel starts.

Three ways to ask, all resolved here into ``(province, year)`` pairs:

* ``--year`` values: ``2020``, a range ``2015-2024`` (both ends included) or a list ``2015,2018``;
* ``--all-years``: every year the data covers (``datasets.year_range()``);
* ``--plan FILE.yml``: a plan in the cal-itp portfolio style, parts of chapters sharing parameters::

      title: Central China, ten years
      article_check: false          # optional; default true
      parts:
        - caption: The coal provinces
          params:
            year: 2015-2024         # shared by the chapters of this part
          chapters:
            - province: Shanxi
            - province: [Shaanxi, Inner Mongolia]
        - params: {province: all, year: 2020}   # a part without chapters is one entry

  ``province`` is a name, a list of names or ``all``; ``year`` an integer, a range, a list or ``all``.  Unknown
  keys, a missing ``province`` or ``year``, an unknown province or a year outside the data are errors naming the
  file and the entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..data import province_names as _provinces
from ..errors import ParameterError, UnknownProvinceError

ALL = "all"
_RANGE = re.compile(r"^\s*(\d{4})\s*[-\u2013]\s*(\d{4})\s*$")
PLAN_KEYS = {"title", "article_check", "parts"}
PART_KEYS = {"caption", "params", "chapters"}
PARAM_KEYS = {"province", "year"}


@dataclass(frozen=True)
class Grid:
    """What a command asks for: ordered (province, year) pairs and whether the article check is built."""

    pairs: tuple[tuple[str, int], ...]
    article: bool = True
    title: str | None = None


def _data_years() -> tuple[int, int]:
    from ..data import datasets

    return datasets.year_range()


def parse_years(spec: Any, span: tuple[int, int] | None = None, *, where: str = "--year") -> list[int]:
    """Years from ``2020``, ``"2020"``, ``"2015-2024"``, ``"2015,2018"``, a list of those, or ``"all"``.

    ``span`` (default: the data's years) bounds ``all`` and every year; a year outside it is refused with the range.

    Raises
    ------
    ParameterError
        Naming ``where``, the value and what is accepted.
    """

    def bad(value: Any, why: str = "") -> ParameterError:
        return ParameterError(
            f"{where}: {value!r} is not a year{why}; give a year (2020), a range (2015-2024), "
            f"a comma-separated list (2015,2018) or 'all'."
        )

    if isinstance(spec, bool) or spec is None:
        raise bad(spec)
    if isinstance(spec, (list, tuple)):
        if not spec:
            raise bad(spec, " (empty list)")
        return list(dict.fromkeys(y for s in spec for y in parse_years(s, span, where=where)))
    out: list[int] = []
    if isinstance(spec, int):
        out = [spec]
    elif isinstance(spec, str):
        text = spec.strip()
        if text.lower() == ALL:
            lo, hi = span or _data_years()
            return list(range(lo, hi + 1))
        for part in (p for p in text.split(",")):
            m = _RANGE.match(part)
            if m:
                lo, hi = int(m.group(1)), int(m.group(2))
                if lo > hi:
                    raise bad(part, f" range (it runs backwards; write {hi}-{lo})")
                out += range(lo, hi + 1)
            elif part.strip().isdigit():
                out.append(int(part))
            else:
                raise bad(part)
    else:
        raise bad(spec)
    lo, hi = span or _data_years()
    outside = sorted({y for y in out if not lo <= y <= hi})
    if outside:
        raise ParameterError(
            f"Year {', '.join(map(str, outside))} is outside the data: FAI growth by province "
            f"covers {lo}-{hi}. Choose years between {lo} and {hi} ({where})."
        )
    return list(dict.fromkeys(out))


def parse_provinces(spec: Any, *, where: str = "--province") -> list[str]:
    """Canonical names from a name, an adcode, a list of those, or ``"all"`` (the 31 in adcode order).

    Raises
    ------
    UnknownProvinceError
        For a name that is not a province (with ``where`` and the closest names).
    """
    if isinstance(spec, str) and spec.strip().lower() == ALL:
        return _provinces.names()
    items = spec if isinstance(spec, (list, tuple)) else [spec]
    if not items:
        raise ParameterError(f"{where}: empty list of provinces; give a name, a list of names or 'all'.")
    out = []
    for item in items:
        try:
            out.append(_provinces.normalize(item))
        except UnknownProvinceError as exc:
            raise UnknownProvinceError(f"{where}: {exc}") from None
    return list(dict.fromkeys(out))


def from_args(
    provinces: Sequence[str] | None,
    years: Sequence[str] | None,
    *,
    all_provinces: bool = False,
    all_years: bool = False,
    span: tuple[int, int] | None = None,
) -> Grid:
    """The grid of the command-line options (``--province``, ``--year``, ``--all-provinces``, ``--all-years``)."""
    if all_provinces and provinces:
        raise ParameterError("give either --province or --all-provinces, not both.")
    if all_years and years:
        raise ParameterError("give either --year or --all-years, not both.")
    names = parse_provinces(ALL if all_provinces else list(provinces or ["Shanxi"]))
    yrs = parse_years(ALL if all_years else list(years or ["2020"]), span)
    return Grid(tuple((p, y) for y in yrs for p in names))


def _load_yaml(path: Path) -> Any:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(
            f"Plan {path} cannot be read ({getattr(exc, 'strerror', None) or exc}). Check the path given to --plan."
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ParameterError(f"Plan {path} is not valid YAML{at}: {problem}. Fix the file and run again.") from None


def _unknown(keys: Iterable[str], allowed: set[str], where: str) -> None:
    extra = sorted(str(k) for k in keys if k not in allowed)
    if extra:
        raise ParameterError(
            f"{where}: unknown key {', '.join(map(repr, extra))}; allowed: {', '.join(sorted(allowed))}."
        )


def load_plan(path: Path | str, span: tuple[int, int] | None = None) -> Grid:
    """Read and check a plan file (format in the module docstring); every entry is resolved here.

    Raises
    ------
    ParameterError, UnknownProvinceError
        Naming the file, the part and chapter, the key and what is accepted.
    """
    path = Path(path)
    doc = _load_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("parts"), list) or not doc["parts"]:
        raise ParameterError(
            f"Plan {path}: expected a mapping with a non-empty list 'parts' (each with 'params' "
            f"and optional 'chapters'); see `python -m shanxi_analysis report --help`."
        )
    _unknown(doc, PLAN_KEYS, f"Plan {path}")
    article = doc.get("article_check", True)
    if not isinstance(article, bool):
        raise ParameterError(f"Plan {path}: article_check must be true or false, not {article!r}.")
    pairs: list[tuple[str, int]] = []
    for i, part in enumerate(doc["parts"], 1):
        where = f"Plan {path}, part {i}"
        if not isinstance(part, dict):
            raise ParameterError(f"{where}: expected a mapping with 'params' and optional 'chapters'.")
        _unknown(part, PART_KEYS, where)
        shared = part.get("params") or {}
        chapters = part.get("chapters")
        if not isinstance(shared, dict) or (chapters is not None and not isinstance(chapters, list)):
            raise ParameterError(f"{where}: 'params' must be a mapping and 'chapters' a list of mappings.")
        for j, chapter in enumerate(chapters or [{}], 1):
            at = f"{where}, chapter {j}" if chapters else where
            if not isinstance(chapter, dict):
                raise ParameterError(f"{at}: expected a mapping such as {{province: Shanxi}}.")
            params = {**shared, **chapter}
            _unknown(params, PARAM_KEYS, at)
            missing = sorted(PARAM_KEYS - set(params))
            if missing:
                raise ParameterError(f"{at}: missing {', '.join(missing)} (in the part's params or the chapter).")
            names = parse_provinces(params["province"], where=f"{at}, province")
            years = parse_years(params["year"], span, where=f"{at}, year")
            pairs += [(p, y) for y in years for p in names]
    title = doc.get("title")
    return Grid(tuple(dict.fromkeys(pairs)), article, str(title) if title is not None else None)
