"""Which province is this?  Canonical names for the 31 provincial-level divisions of mainland China.

:func:`normalize` turns any common spelling into the canonical English name used in every dataset: English
in any case, Chinese with or without 省 / 市 / 自治区 and the ethnic names of the autonomous regions, pinyin
variants (with or without tone marks, spaces or hyphens), postal spellings, and the 6-digit adcode.
Shanxi (山西, 140000) and Shaanxi (陕西, 610000) are never confused: ``"Shaanxi"``, ``"Shǎnxī"`` and
``"Shensi"`` are Shaanxi; ``"Shanxi"``, ``"Shānxī"`` and ``"Shansi"`` are Shanxi.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

from ..errors import UnknownProvinceError

# Spellings beyond the English name, Chinese short and full names, and adcode (which come from the table).
_ALIASES: dict[str, tuple[str, ...]] = {
    "Beijing": ("peking", "pei-ching"),
    "Tianjin": ("tientsin",),
    "Hebei": ("hopei", "hopeh"),
    "Shanxi": ("shansi", "shan xi", "shānxī", "shanxi sheng"),
    "Inner Mongolia": ("nei mongol", "nei menggu", "neimenggu", "nei monggol", "inner mongolia autonomous region",
                       "内蒙"),
    "Liaoning": (),
    "Jilin": ("kirin",),
    "Heilongjiang": ("heilungkiang",),
    "Shanghai": (),
    "Jiangsu": ("kiangsu",),
    "Zhejiang": ("chekiang",),
    "Anhui": ("anhwei",),
    "Fujian": ("fukien",),
    "Jiangxi": ("kiangsi",),
    "Shandong": ("shantung",),
    "Henan": ("honan",),
    "Hubei": ("hupeh", "hupei"),
    "Hunan": (),
    "Guangdong": ("kwangtung", "canton"),
    "Guangxi": ("kwangsi", "guangxi zhuang", "guangxi zhuang autonomous region", "广西壮族"),
    "Hainan": (),
    "Chongqing": ("chungking",),
    "Sichuan": ("szechuan", "szechwan"),
    "Guizhou": ("kweichow",),
    "Yunnan": (),
    "Tibet": ("xizang", "tibet autonomous region", "xizang autonomous region"),
    "Shaanxi": ("shensi", "shǎnxī", "shaan xi", "shaanxi sheng"),
    "Gansu": ("kansu",),
    "Qinghai": ("tsinghai",),
    "Ningxia": ("ningxia hui", "ningsia", "ningxia hui autonomous region", "宁夏回族"),
    "Xinjiang": ("sinkiang", "xinjiang uygur", "xinjiang uyghur", "xinjiang uygur autonomous region",
                 "xinjiang uyghur autonomous region", "新疆维吾尔"),
}

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
    from .schemas import check_names
    from .sources import read_raw

    rows = check_names(read_raw("provinces"), "data/raw/provinces.csv")  # names reach every report: no markup
    return tuple((r["adcode"], r["name_en"], r["name_zh"], r["name_zh_full"], r["region"]) for r in rows)


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    out: dict[str, str] = {}
    for adcode, en, zh, zh_full, _ in _table():
        keys = {_fold(en), en.lower().replace(" ", ""), zh, zh_full, str(adcode)}
        keys |= {_fold(a) for a in _ALIASES.get(en, ())}
        keys |= {k.replace(" ", "") for k in keys}
        for k in keys:
            if k in out and out[k] != en:
                raise AssertionError(f"alias {k!r} is claimed by both {out[k]} and {en}")
            out[k] = en
    return out


def names() -> list[str]:
    """The 31 canonical English names, in adcode order."""
    return [t[1] for t in _table()]


def normalize(name: str | int) -> str:
    """The canonical English name of a province given any common spelling or its 6-digit adcode.

    >>> normalize("山西省"), normalize("shaanxi"), normalize(140000), normalize("Xinjiang Uygur Autonomous Region")
    ('Shanxi', 'Shaanxi', 'Shanxi', 'Xinjiang')

    Raises :class:`~shanxi_analysis.errors.UnknownProvinceError` listing the closest valid names.
    """
    if isinstance(name, bool) or not isinstance(name, (str, int)):
        raise UnknownProvinceError(f"A province must be a name or a 6-digit adcode, not {type(name).__name__} {name!r}.")
    lookup = _lookup()
    key = _fold(str(name))
    if not key:
        raise UnknownProvinceError("Unknown province '': the name is empty. Use one of the 31 provincial-level divisions "
                                   "(English or Chinese name, or adcode such as 140000).")
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
    # Tone marks: Shānxī / Shǎnxī are listed explicitly above; any other toned spelling is folded.
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
        f"(English or Chinese name, or adcode such as 140000); list them with shanxi_analysis.provinces.names()."
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
