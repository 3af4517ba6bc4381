"""Which province is this?  Canonical names for the 31 provincial-level divisions of mainland China.

:func:`normalize` turns any common spelling into the canonical English name used in every dataset: English
in any case, Chinese with or without 省 / 市 / 自治区 and the ethnic names of the autonomous regions, pinyin
variants (with or without tone marks, spaces or hyphens), postal spellings, and the 6-digit adcode.
The names and codes come from ``data/raw/provinces.csv``; every other spelling (postal and Wade-Giles
romanizations, pinyin variants, official English names of the autonomous regions) from
``data/raw/province_aliases.csv`` (columns ``province``, ``alias``, ``kind``, ``note``), both read through the
strict loader of :mod:`.raw` and described in ``data/datapackage.json``.  To add a spelling, add a row there
and run ``python scripts/update_manifest.py --accept-shape``; an alias that would name two provinces, or a row for
a province not in ``provinces.csv``, stops every lookup with a :class:`~shanxi_analysis.errors.DataError` naming
the file and line.
Shanxi (山西, 140000) and Shaanxi (陕西, 610000) are never confused: ``"Shaanxi"``, ``"Shǎnxī"`` and
``"Shensi"`` are Shaanxi; ``"Shanxi"``, ``"Shānxī"`` and ``"Shansi"`` are Shanxi.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from ..errors import DataError, UnknownProvinceError

_SUFFIXES_EN = (" autonomous region", " province", " municipality", " sheng", " shi", " zizhiqu")
_SUFFIXES_ZH = ("自治区", "省", "市")


def _fold(text: str) -> str:
    """Lower-case, trim, collapse separators; tone marks other than Shan/Shaan's are stripped."""
    text = text.strip().lower()
    text = re.sub(r"[\s_\-'’.]+", " ", text).strip()
    return text


def _strip_tones(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _table() -> tuple[tuple[int, str, str, str, str], ...]:
    from .raw import read_raw
    from .schemas import check_names

    rows = check_names(read_raw("provinces"), "data/raw/provinces.csv")  # names reach every report: no markup
    return tuple((r["adcode"], r["name_en"], r["name_zh"], r["name_zh_full"], r["region"]) for r in rows)


ALIASES_FILE = "data/raw/province_aliases.csv"


def _note_inputs() -> None:
    """Record both province files as inputs of the dataset being built, even when the lookup is already cached
    in this process: every dataset that names provinces depends on them (its cache entry must go stale when
    either file changes)."""
    from .raw import note_reads

    note_reads("provinces", "province_aliases")


#: The kinds of spelling ``province_aliases.csv`` may record.
ALIAS_KINDS = ("postal", "pinyin", "official English", "Chinese")

# A spelling is letters (any script, tone marks included) in words separated by one space, hyphen or apostrophe.
_PLAIN_ALIAS = re.compile(r"[^\W\d_]+(?:[ '\-’][^\W\d_]+)*")


def _alias_rows() -> list[tuple[int, str, str]]:
    """(line, province, alias) of every row of ``province_aliases.csv``, after checking each row."""
    from .raw import read_raw

    known = {t[1] for t in _table()}
    out, bad = [], []
    for line, r in enumerate(read_raw("province_aliases"), start=2):
        province, alias, kind = r["province"], r["alias"], r["kind"]
        if province not in known:
            close = difflib.get_close_matches(str(province), sorted(known), n=1)
            bad.append(
                f"line {line}: province {province!r} is not one of the 31 canonical English names of "
                f"data/raw/provinces.csv" + (f" (did you mean {close[0]!r}?)" if close else "")
            )
        if not alias or not _PLAIN_ALIAS.fullmatch(alias):
            bad.append(
                f"line {line}: alias {alias!r} is not a plain spelling (letters in words separated by one "
                "space, hyphen or apostrophe)"
            )
        if kind not in ALIAS_KINDS:
            bad.append(f"line {line}: kind {kind!r} is not one of {', '.join(ALIAS_KINDS)}")
        out.append((line, province, alias))
    if bad:
        raise DataError(
            f"{ALIASES_FILE}: {len(bad)} row problem(s): "
            + "; ".join(bad[:10])
            + (f"; and {len(bad) - 10} more" if len(bad) > 10 else "")
            + ". Correct the row(s) (the province column takes the English name exactly as in "
            "provinces.csv), then record the file with `python scripts/update_manifest.py "
            "--accept-shape`."
        )
    return out


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    """Every folded spelling -> canonical English name; refuses a spelling that would name two provinces."""
    out: dict[str, str] = {}
    where: dict[str, str] = {}

    def add(keys: set[str], en: str, origin: str) -> None:
        keys = keys | {k.replace(" ", "") for k in keys}
        file = ALIASES_FILE if origin.startswith("line") else origin
        for k in sorted(keys):
            if k in out and out[k] != en:
                raise DataError(
                    f"{file}: the spelling {k!r} would name two provinces, {out[k]} ({where[k]}) and {en} "
                    f"({origin}). An alias may name one province only: remove or correct the row in "
                    f"{ALIASES_FILE}, then record the file with `python scripts/update_manifest.py --accept-shape`."
                )
            out[k], where[k] = en, where.get(k, origin)

    for adcode, en, zh, zh_full, _ in _table():
        add({_fold(en), en.lower().replace(" ", ""), zh, zh_full, str(adcode)}, en, "data/raw/provinces.csv")
    seen: dict[str, tuple[int, str]] = {}
    for line, en, alias in _alias_rows():
        key = _fold(alias)
        if key in seen and seen[key][1] == en:
            raise DataError(
                f"{ALIASES_FILE}: line {line} repeats the spelling {alias!r} of {en} given on line "
                f"{seen[key][0]}. Remove the duplicate row, then record the file with "
                "`python scripts/update_manifest.py --accept-shape`."
            )
        seen.setdefault(key, (line, en))
        add({key}, en, f"line {line}")
    return out


def forget_tables() -> None:
    """Forget the province tables read in this process (after editing ``provinces.csv`` or
    ``province_aliases.csv`` in a running session)."""
    _table.cache_clear()
    _lookup.cache_clear()


def aliases() -> dict[str, tuple[str, ...]]:
    """Every province's spellings from ``data/raw/province_aliases.csv`` (provinces without any left out)."""
    _note_inputs()
    out: dict[str, tuple[str, ...]] = {}
    for _, en, alias in _alias_rows():
        out[en] = out.get(en, ()) + (alias,)
    return out


def names() -> list[str]:
    """The 31 canonical English names, in adcode order."""
    _note_inputs()
    return [t[1] for t in _table()]


def normalize(name: str | int) -> str:
    """The canonical English name of a province given any common spelling or its 6-digit adcode.

    >>> normalize("山西省"), normalize("shaanxi"), normalize(140000), normalize("Xinjiang Uygur Autonomous Region")
    ('Shanxi', 'Shaanxi', 'Shanxi', 'Xinjiang')

    Raises :class:`~shanxi_analysis.errors.UnknownProvinceError` listing the closest valid names.
    """
    if isinstance(name, bool) or not isinstance(name, (str, int)):
        raise UnknownProvinceError(
            f"A province must be a name or a 6-digit adcode, not {type(name).__name__} {name!r}."
        )
    _note_inputs()
    lookup = _lookup()
    key = _fold(str(name))
    if not key:
        raise UnknownProvinceError(
            "Unknown province '': the name is empty. Use one of the 31 provincial-level divisions "
            "(English or Chinese name, or adcode such as 140000)."
        )
    # Shǎnxī / Shănxī (third tone, with caron or breve) is Shaanxi: decide before tone marks are stripped.
    if key.startswith(("shǎn", "shăn")):
        key = "shaan" + key[4:]
    candidates = [key, key.replace(" ", "")]
    for suffix in _SUFFIXES_EN:
        if key.endswith(suffix):
            candidates.append(key[: -len(suffix)].strip())
    for suffix in _SUFFIXES_ZH:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            candidates.append(key[: -len(suffix)])
    # Tone marks: Shānxī / Shǎnxī are listed in province_aliases.csv; any other toned spelling is folded.
    candidates += [_strip_tones(c) for c in list(candidates)]
    for c in candidates:
        if c in lookup:
            return lookup[c]
        if c.replace(" ", "") in lookup:
            return lookup[c.replace(" ", "")]
    suggestions = _suggest(key)
    hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise UnknownProvinceError(
        f"Unknown province {name!r}.{hint} Use one of the 31 provincial-level divisions "
        f"(English or Chinese name, or adcode such as 140000); list them with shanxi_analysis.data.names()."
    )


def _suggest(key: str) -> list[str]:
    lookup = _lookup()
    hits = difflib.get_close_matches(_strip_tones(key), list(lookup), n=8, cutoff=0.6)
    out: list[str] = []
    for h in hits:
        if lookup[h] not in out:
            out.append(lookup[h])
    if not out:
        out = difflib.get_close_matches(key.title(), names(), n=3, cutoff=0.0)
    return out[:3]


def adcode(name: str | int) -> int:
    """The 6-digit administrative code of a province (Shanxi → 140000)."""
    en = normalize(name)
    return next(t[0] for t in _table() if t[1] == en)


def name_zh(name: str | int) -> str:
    """The short Chinese name of a province (Shanxi → 山西)."""
    en = normalize(name)
    return next(t[2] for t in _table() if t[1] == en)


def region(name: str | int) -> str:
    """The NBS region of a province: East, Central, West or Northeast."""
    en = normalize(name)
    return next(t[4] for t in _table() if t[1] == en)


def slug(name: str | int) -> str:
    """A file-name-safe slug of the canonical name ("Inner Mongolia" → "inner-mongolia")."""
    return normalize(name).lower().replace(" ", "-")
