"""Tests for the province names of :mod:`shanxi_analysis.data`: every common spelling maps to the right province.

Expected names, codes and regions are read from ``data/raw/provinces.csv`` with the csv module (not through the
package), so a wrong table entry or a wrong alias both show up here.
"""

from __future__ import annotations

import csv

import pytest

import shanxi_analysis as sa
from shanxi_analysis import config
from shanxi_analysis.data import province_names as provinces
from shanxi_analysis.errors import DataError, ShanxiAnalysisError, UnknownProvinceError


def _table() -> list[dict[str, str]]:
    with open(config.PROJ_ROOT / "data" / "raw" / "provinces.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


TABLE = _table()
BY_EN = {r["name_en"]: r for r in TABLE}
IDS = [r["name_en"] for r in TABLE]


# --------------------------------------------------------------------------------------------- the table
def test_names_are_the_31_in_adcode_order():
    expected = [r["name_en"] for r in sorted(TABLE, key=lambda r: int(r["adcode"]))]
    assert len(expected) == 31
    assert sa.data.names() == expected


@pytest.mark.parametrize("row", TABLE, ids=IDS)
def test_every_province_round_trips(row):
    en, code = row["name_en"], int(row["adcode"])
    for spelling in (row["name_zh"], row["name_zh_full"], en, code, str(code)):
        assert sa.data.normalize(spelling) == en, spelling
    assert sa.data.adcode(en) == code
    assert isinstance(sa.data.adcode(en), int)
    assert sa.data.name_zh(code) == row["name_zh"]
    assert sa.data.region(row["name_zh_full"]) == row["region"]
    assert sa.data.slug(row["name_zh"]) == en.lower().replace(" ", "-")


# --------------------------------------------------------------------------------------------- English
@pytest.mark.parametrize("row", TABLE, ids=IDS)
def test_english_in_any_case_and_with_stray_whitespace(row):
    en = row["name_en"]
    for spelling in (en, en.lower(), en.upper(), en.swapcase(), f"  {en}\t", en.replace(" ", "-")):
        assert sa.data.normalize(spelling) == en, spelling


@pytest.mark.parametrize(
    "spelling, expected",
    [
        ("Shanxi Province", "Shanxi"),
        ("Sichuan province", "Sichuan"),
        ("Beijing Municipality", "Beijing"),
        ("Chongqing Shi", "Chongqing"),
        ("Inner Mongolia Autonomous Region", "Inner Mongolia"),
        ("Xinjiang Uygur Autonomous Region", "Xinjiang"),
        ("Xinjiang Uyghur Autonomous Region", "Xinjiang"),
        ("Guangxi Zhuang Autonomous Region", "Guangxi"),
        ("Ningxia Hui Autonomous Region", "Ningxia"),
        ("Tibet Autonomous Region", "Tibet"),
        ("Inner-Mongolia", "Inner Mongolia"),
        ("innermongolia", "Inner Mongolia"),
    ],
)
def test_english_with_administrative_suffixes(spelling, expected):
    assert sa.data.normalize(spelling) == expected


# --------------------------------------------------------------------------------------------- Chinese
@pytest.mark.parametrize(
    "spelling, expected",
    [
        ("广西壮族自治区", "Guangxi"),
        ("宁夏回族自治区", "Ningxia"),
        ("新疆维吾尔自治区", "Xinjiang"),
        ("内蒙古自治区", "Inner Mongolia"),
        ("西藏自治区", "Tibet"),
        ("广西壮族", "Guangxi"),
        ("宁夏回族", "Ningxia"),
        ("新疆维吾尔", "Xinjiang"),
        ("广西自治区", "Guangxi"),
        ("内蒙古", "Inner Mongolia"),
        ("内蒙", "Inner Mongolia"),
        ("西藏", "Tibet"),
        ("北京市", "Beijing"),
        ("北京", "Beijing"),
        ("重庆市", "Chongqing"),
        ("黑龙江省", "Heilongjiang"),
        ("黑龙江", "Heilongjiang"),
        (" 山西省 ", "Shanxi"),
    ],
)
def test_chinese_with_and_without_suffix_and_ethnic_names(spelling, expected):
    assert sa.data.normalize(spelling) == expected


@pytest.mark.parametrize("row", TABLE, ids=IDS)
def test_chinese_short_name_plus_its_own_suffix(row):
    """``name_zh`` + the suffix of ``name_zh_full`` (省, 市 or 自治区) is the province, whatever the ethnic part."""
    full, short = row["name_zh_full"], row["name_zh"]
    suffix = next(s for s in ("自治区", "省", "市") if full.endswith(s))
    assert sa.data.normalize(short + suffix) == row["name_en"]


# --------------------------------------------------------------------------------------------- pinyin
@pytest.mark.parametrize(
    "spelling, expected",
    [
        ("Nei Mongol", "Inner Mongolia"),
        ("Nei Menggu", "Inner Mongolia"),
        ("Neimenggu", "Inner Mongolia"),
        ("Xizang", "Tibet"),
        ("xizang autonomous region", "Tibet"),
        ("Shan Xi", "Shanxi"),
        ("Shaan Xi", "Shaanxi"),
        ("Shānxī", "Shanxi"),
        ("Shǎnxī", "Shaanxi"),
        ("Běijīng", "Beijing"),
        ("Guǎngdōng", "Guangdong"),
        ("Sìchuān", "Sichuan"),
        ("Hēilóngjiāng", "Heilongjiang"),
        ("Hei Long Jiang", "Heilongjiang"),
        ("Xinjiang Uygur", "Xinjiang"),
        ("Szechuan", "Sichuan"),
        ("Canton", "Guangdong"),
    ],
)
def test_pinyin_and_postal_variants(spelling, expected):
    assert sa.data.normalize(spelling) == expected


# --------------------------------------------------------------------------------------------- adcodes
@pytest.mark.parametrize("row", TABLE, ids=IDS)
def test_adcode_as_int_and_str(row):
    code = int(row["adcode"])
    assert sa.data.normalize(code) == row["name_en"]
    assert sa.data.normalize(str(code)) == row["name_en"]
    assert sa.data.normalize(f" {code} ") == row["name_en"]


# --------------------------------------------------------------------------------------------- Shanxi vs Shaanxi
SHANXI = [
    "Shanxi",
    "shanxi",
    "SHANXI",
    "Shan Xi",
    "shan-xi",
    "Shan_Xi",
    "Shansi",
    "Shānxī",
    "Shanxi Province",
    "Shanxi Sheng",
    "shanxi sheng",
    "山西",
    "山西省",
    140000,
    "140000",
]
SHAANXI = [
    "Shaanxi",
    "shaanxi",
    "SHAANXI",
    "Shaan Xi",
    "shaan-xi",
    "Shensi",
    "Shǎnxī",
    "Shaanxi Province",
    "Shaanxi Sheng",
    "Shǎnxī Province",
    "陕西",
    "陕西省",
    610000,
    "610000",
]
# Spellings that carry Shaanxi's third tone (ǎ, or the breve ă often typed for it) on the first syllable, with
# the tone marks not exactly "Shǎnxī": stripping the tones turns them into "shanxi", i.e. the wrong province.
SHAANXI_TONED = ["Shǎnxi", "Shǎnxī Shěng", "Shănxī"]


def _expect(name: str) -> tuple[str, int]:
    return name, int(BY_EN[name]["adcode"])


@pytest.mark.parametrize("spelling", SHANXI, ids=[str(s) for s in SHANXI])
def test_shanxi_spellings_are_shanxi(spelling):
    name, code = _expect("Shanxi")
    assert sa.data.normalize(spelling) == name
    assert sa.data.adcode(spelling) == code == 140000
    assert sa.data.name_zh(spelling) == "山西"


@pytest.mark.parametrize("spelling", SHAANXI, ids=[str(s) for s in SHAANXI])
def test_shaanxi_spellings_are_shaanxi(spelling):
    name, code = _expect("Shaanxi")
    assert sa.data.normalize(spelling) == name
    assert sa.data.adcode(spelling) == code == 610000
    assert sa.data.name_zh(spelling) == "陕西"


@pytest.mark.parametrize("spelling", SHAANXI_TONED)
def test_shaanxi_tone_variants_are_not_shanxi(spelling):
    assert sa.data.normalize(spelling) == "Shaanxi"


def test_shanxi_and_shaanxi_differ_in_region_from_the_table():
    assert sa.data.region("Shanxi") == BY_EN["Shanxi"]["region"] == "Central"
    assert sa.data.region("Shaanxi") == BY_EN["Shaanxi"]["region"] == "West"


# --------------------------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "typo, expected",
    [
        ("Shanxii", ["Shanxi", "Shaanxi"]),
        ("Shaanxii", ["Shaanxi", "Shanxi"]),
        ("Sichuna", ["Sichuan"]),
        ("Guangdog", ["Guangdong"]),
        ("Heilongjang", ["Heilongjiang"]),
    ],
)
def test_unknown_name_suggests_the_closest_valid_names(typo, expected):
    with pytest.raises(UnknownProvinceError) as info:
        sa.data.normalize(typo)
    msg = str(info.value)
    assert repr(typo) in msg  # says what was wrong
    suggested = msg.split("Did you mean", 1)[1].split("?", 1)[0]
    for name in expected:
        assert name in suggested, (name, msg)
    # the closest one comes first
    assert suggested.strip().startswith(expected[0])
    assert "shanxi_analysis.data.names()" in msg  # says what to do


@pytest.mark.parametrize("value", ["Atlantis", "Hong Kong", "Macau", "Taiwan", "", "山东西", 999999, "140001", 140001])
def test_unknown_names_and_codes_raise(value):
    with pytest.raises(UnknownProvinceError, match="Unknown province") as info:
        sa.data.normalize(value)
    assert isinstance(info.value, ValueError)  # callers may catch ValueError
    assert isinstance(info.value, ShanxiAnalysisError)
    assert "31 provincial-level divisions" in str(info.value)


@pytest.mark.parametrize("value", [None, 140000.0, True, ["Shanxi"], {"name": "Shanxi"}, b"Shanxi"])
def test_non_str_int_input_raises_a_clear_error(value):
    with pytest.raises(UnknownProvinceError) as info:
        sa.data.normalize(value)
    msg = str(info.value)
    assert type(value).__name__ in msg
    assert "name or a 6-digit adcode" in msg


@pytest.mark.parametrize("func", [sa.data.adcode, sa.data.name_zh, sa.data.region, sa.data.slug])
def test_helpers_raise_the_same_error_for_unknown_names(func):
    with pytest.raises(UnknownProvinceError, match="Shanxi"):
        func("Shanxii")


def test_aliases_are_unambiguous():
    """Every alias maps to exactly one province: building the lookup asserts it, and both Shan(x)i are present."""
    lookup = provinces._lookup()
    assert lookup["shanxi"] == "Shanxi" and lookup["shaanxi"] == "Shaanxi"
    assert set(lookup.values()) == set(BY_EN)


# --------------------------------------------------------------------------------------------- the alias file
def _alias_rows() -> list[dict[str, str]]:
    with open(config.PROJ_ROOT / "data" / "raw" / "province_aliases.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_alias_in_the_file_names_its_province():
    """Each row of data/raw/province_aliases.csv (read with the csv module) resolves to its own province."""
    rows = _alias_rows()
    assert rows and {r["province"] for r in rows} <= set(BY_EN)
    for r in rows:
        assert sa.data.normalize(r["alias"]) == r["province"], r
        assert sa.data.normalize(r["alias"].title()) == r["province"], r


def _add_alias(data_copy, province: str, alias: str, kind: str = "postal") -> int:
    """Append a row to the copy's alias file; returns its line number."""
    rows: list[dict] = []

    def add(rs):
        rs.append({"province": province, "alias": alias, "kind": kind, "note": "added by a test"})
        rows.extend(rs)

    data_copy.edit_csv("province_aliases.csv", add)
    return len(rows) + 1


def test_an_alias_given_to_two_provinces_is_refused_naming_file_line_and_fix(data_copy):
    line = _add_alias(data_copy, "Shaanxi", "shansi")  # Shansi is Shanxi's postal spelling
    with pytest.raises(DataError) as info:
        sa.data.normalize("Shanxi")
    msg = str(info.value)
    assert "data/raw/province_aliases.csv" in msg and f"line {line}" in msg
    assert "'shansi'" in msg and "Shanxi" in msg and "Shaanxi" in msg
    assert "one province only" in msg and "update_manifest.py" in msg


def test_an_alias_that_is_another_provinces_name_is_refused(data_copy):
    line = _add_alias(data_copy, "Shanxi", "shaanxi", kind="pinyin")
    with pytest.raises(
        DataError,
        match=rf"province_aliases.csv: the spelling 'shaanxi' would name two provinces, "
        rf"Shaanxi \(data/raw/provinces.csv\) and Shanxi \(line {line}\)",
    ):
        sa.data.normalize("Beijing")


def test_an_alias_for_an_unknown_province_is_refused(data_copy):
    line = _add_alias(data_copy, "Shanxii", "shansii")
    with pytest.raises(DataError) as info:
        sa.data.normalize("Beijing")
    msg = str(info.value)
    assert f"data/raw/province_aliases.csv: 1 row problem(s): line {line}: province 'Shanxii'" in msg
    assert "did you mean 'Shanxi'?" in msg and "Correct the row" in msg


def test_a_repeated_alias_and_bad_rows_are_refused(data_copy):
    line = _add_alias(data_copy, "Beijing", "Peking")
    with pytest.raises(
        DataError,
        match=rf"line {line} repeats the spelling 'Peking' of Beijing given on line 2\. "
        "Remove",
    ):
        sa.data.normalize("Beijing")


@pytest.mark.parametrize(
    "alias, kind, problem",
    [
        ("<b>peiping</b>", "postal", "alias '<b>peiping</b>' is not a plain spelling"),
        ("peiping", "nickname", "kind 'nickname' is not one of postal, pinyin, official English, Chinese"),
    ],
)
def test_an_alias_row_with_markup_or_an_unknown_kind_is_refused(data_copy, alias, kind, problem):
    line = _add_alias(data_copy, "Beijing", alias, kind)
    with pytest.raises(DataError, match=rf"line {line}: {problem}"):
        sa.data.normalize("Beijing")


def test_a_truncated_alias_file_is_refused_by_the_manifest(data_copy):
    data_copy.edit_csv("province_aliases.csv", lambda rs: rs[:-3], record_checksum=False)
    with pytest.raises(DataError, match="data/raw/province_aliases.csv"):
        sa.data.normalize("Beijing")
