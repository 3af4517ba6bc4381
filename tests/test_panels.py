"""Tests of the provincial panels and the 2023-2024 yearbook table (issue 13).

Expected values come from the raw CSV files read with the csv module, from the reference files in
``../shared/sources`` read independently of scripts/compile_raw_data.py (skipped where that folder is absent),
or from figures published elsewhere and quoted in SOURCES.md.  Tampered copies of the raw files are refused.
"""

from __future__ import annotations

import csv
import json
import math
import re
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import RAW, SHARED, needs_shared, num
from conftest import raw_rows as rows

import shanxi_analysis as sa
from shanxi_analysis import config
from shanxi_analysis.errors import DataError, ParameterError

FIELDS = {
    "全部投资": "all",
    "#基础设施": "infrastructure",
    "制造业": "manufacturing",
    "房地产开发": "real estate development",
}


@pytest.fixture(autouse=True)
def _real_data(monkeypatch, request):
    """These tests read the project's own data/ unless they ask for a tampered copy."""
    if "data_copy" not in request.fixturenames:
        monkeypatch.delenv("SHANXI_ANALYSIS_DATA_DIR", raising=False)
    sa.data.clear_cache()


PROV = rows("provinces.csv")
ZH2EN = {r["name_zh"]: r["name_en"] for r in PROV} | {r["name_zh_full"]: r["name_en"] for r in PROV}
EN2CODE = {r["name_en"]: int(r["adcode"]) for r in PROV}


def by_region(file: str, value: str) -> dict[tuple[str, int], float]:
    """(English name, year) -> value of a raw file keyed by Chinese region name."""
    return {(ZH2EN[r["region_zh"]], int(r["year"])): float(r[value]) for r in rows(file)}


def as_dict(df: pd.DataFrame, value: str, key=("province", "year")) -> dict:
    return {tuple(k): v for k, v in zip(df[list(key)].itertuples(index=False), df[value], strict=True)}


def check_province_year_frame(df: pd.DataFrame, columns: list[str]) -> None:
    assert list(df.columns) == columns
    assert not df.duplicated(["province", "year"]).any()
    assert set(df["province"]) <= set(sa.data.names())
    assert df["adcode"].dtype == np.int64 and df["year"].dtype == np.int64
    assert (df["adcode"] == df["province"].map(EN2CODE)).all()
    assert df["source"].notna().all() and (df["source"].str.len() > 10).all()
    assert df.attrs["sources"] and df.attrs["title"]


# --------------------------------------------------------------------------------------------- yearbook table
def record_rows() -> list[dict[str, str]]:
    return rows("yearbook_table10_5_transcription.csv")


def table_rows() -> list[dict[str, str]]:
    return rows("nbs_yearbook_fai_growth_by_field.csv")


def test_raw_table_equals_the_transcription_record():
    """Every cell of the raw yearbook table is the value the record says we read from the image."""
    record = {(r["region_zh"], int(r["year"]), r["field"]): r for r in record_rows()}
    table = {(r["region_zh"], int(r["year"]), r["field"]): r for r in table_rows()}
    assert len(record) == len(record_rows()) and len(table) == len(table_rows())  # no duplicate cells
    assert set(record) == set(table)
    for key, rec in record.items():
        assert table[key]["growth_pct"] == rec["our_value"], key
        assert table[key]["field_zh"] == rec["column_zh"], key
        assert FIELDS[rec["column_zh"]] == rec["field"]


def test_transcription_record_covers_both_images_cell_by_cell():
    record = record_rows()
    by_image = Counter((r["image"], r["year"]) for r in record)
    assert set(by_image) == {
        (p.name, y)
        for p, y in [
            (Path("nbs_yearbook2024_table10-5_fai_growth_by_field_2023.jpg"), "2023"),
            (Path("nbs_yearbook2025_table10-5_fai_growth_by_field_2024.jpg"), "2024"),
        ]
    }
    for (image, _year), n in by_image.items():
        cells = [r for r in record if r["image"] == image]
        assert n == 32 * 4  # national row and 31 provinces, four columns
        assert sorted({int(r["row"]) for r in cells}) == list(range(1, 33))
        assert next(r["region_zh"] for r in cells if r["row"] == "1") == "全国"
        assert {ZH2EN[r["region_zh"]] for r in cells if r["row"] != "1"} == set(sa.data.names())
        assert Counter(r["column_zh"] for r in cells) == {c: 32 for c in FIELDS}


def test_every_difference_from_the_first_transcription_has_a_note():
    for r in record_rows():
        differs = num(r["first_transcription"]) != num(r["our_value"])
        assert (r["agrees"] == "false") == differs, r
        if differs:
            assert len(r["note"]) > 10, r


@needs_shared
def test_record_quotes_the_first_transcription_as_it_is():
    cols = {
        "全部投资": "fai_total_growth_pct",
        "#基础设施": "infrastructure_growth_pct",
        "制造业": "manufacturing_growth_pct",
        "房地产开发": "real_estate_dev_growth_pct",
    }
    with open(SHARED / "yearbook_2024_2025" / "table10-5_2023_2024_first_transcription.csv", encoding="utf-8") as fh:
        first = {(r["province"], r["year"]): r for r in csv.DictReader(fh)}
    record = record_rows()
    assert len(record) == 4 * len(first)
    for r in record:
        assert r["first_transcription"] == first[(r["region_zh"], r["year"])][cols[r["column_zh"]]], r
    for image in {r["image"] for r in record}:
        assert (SHARED / "yearbook_2024_2025" / image).is_file()


@pytest.fixture(scope="module")
def by_field() -> pd.DataFrame:
    return sa.data.fai_growth_by_field()


def test_fai_growth_by_field_columns_and_values(by_field):
    assert list(by_field.columns) == ["province", "adcode", "year", "field", "growth_pct", "note", "source"]
    assert str(by_field["adcode"].dtype) == "Int64" and by_field["growth_pct"].dtype == np.float64
    assert set(by_field["field"]) == set(FIELDS.values())
    assert not by_field.duplicated(["province", "year", "field"]).any()
    raw = {
        (("China" if r["region_zh"] == "全国" else ZH2EN[r["region_zh"]]), int(r["year"]), r["field"]): num(
            r["growth_pct"]
        )
        for r in table_rows()
    }
    got = as_dict(by_field, "growth_pct", ("province", "year", "field"))
    assert set(got) == set(raw) and len(got) == len(by_field)
    assert all(got[k] == v or (math.isnan(got[k]) and math.isnan(v)) for k, v in raw.items())
    china = by_field["province"] == "China"
    assert by_field.loc[china, "adcode"].isna().all()
    assert (by_field.loc[~china, "adcode"] == by_field.loc[~china, "province"].map(EN2CODE)).all()
    gaps = by_field["growth_pct"].isna()
    assert by_field.loc[gaps, "note"].notna().all()
    assert by_field["source"].str.contains("Yearbook").all()
    assert by_field.loc[by_field["year"] == 2024, "source"].str.contains("Yearbook 2025").all()


@pytest.mark.parametrize(
    "province,year,value", [("Shanxi", 2023, -6.6), ("Guangdong", 2024, -4.5), ("China", 2023, 3.0)]
)
def test_spot_checks_published_elsewhere(by_field, province, year, value):
    """SOURCES.md: Shanxi 2023 (Xinhua, Shanxi government), Guangdong 2024 (provincial release), national 2023."""
    row = by_field[(by_field["province"] == province) & (by_field["year"] == year) & (by_field["field"] == "all")]
    assert row["growth_pct"].tolist() == [value]


def test_fai_growth_continues_with_the_yearbook_all_investment(by_field):
    fai = sa.data.fai_growth()
    yb = by_field[(by_field["field"] == "all") & (by_field["province"] != "China")]
    assert set(yb["year"]) and set(yb["year"]) <= set(fai["year"])
    merged = yb.merge(fai, on=["province", "year"], suffixes=("_yb", ""))
    assert len(merged) == len(yb) == 31 * yb["year"].nunique()
    assert (merged["growth_pct"] == merged["fai_growth_pct"]).all()
    assert merged["source"].str.contains("table 10-5").all()
    for year, grp in merged.groupby("year"):
        want = {
            p: 1 + int((grp["growth_pct"] > v).sum()) for p, v in zip(grp["province"], grp["growth_pct"], strict=True)
        }
        assert dict(zip(grp["province"], grp["rank"].astype(int), strict=True)) == want, year
    scope = next(
        r for r in rows("fai_growth_scope.csv") if int(r["first_year"]) <= yb["year"].min() <= int(r["last_year"])
    )
    assert (merged["scope_note"] == scope["scope"]).all() and "comparable basis" in scope["scope"]


def test_year_range_and_check_year_follow_the_data(by_field):
    last = int(by_field["year"].max())
    assert sa.data.year_range() == (1992, last)
    assert sa.analysis.check_year(last) == last
    with pytest.raises(ParameterError, match=f"1992-{last}"):
        sa.analysis.check_year(last + 1)


def test_national_series_takes_the_yearbook_national_row(by_field):
    nat = sa.data.national_fai_growth().set_index(["year", "scope"])
    china = by_field[(by_field["province"] == "China") & (by_field["field"] == "all")]
    assert len(china) == by_field["year"].nunique()
    for year, value in zip(china["year"], china["growth_pct"], strict=True):
        row = nat.loc[(year, "excluding rural households")]
        assert row["growth_pct"] == value
        assert "table 10-5" in row["basis"] and "comparable basis" in row["scope_detail"]
        assert not row["derived"] and math.isnan(row["level_100m_yuan"])
        assert sa.analysis.national_growth(sa.data.national_fai_growth(), int(year)).value == value


# --------------------------------------------------------------------------------------------- fai_level()
def test_fai_level_values_and_breaks():
    df = sa.data.fai_level()
    check_province_year_frame(
        df, ["province", "adcode", "year", "fai_100m_yuan", "comparable_with_previous", "break_note", "source"]
    )
    raw = by_region("fai_level_by_province.csv", "fai_100m_yuan")
    assert as_dict(df, "fai_100m_yuan") == raw
    assert len(df) == 31 * 13 and sorted(df["year"].unique()) == list(range(2005, 2018))
    breaks = {int(r["year"]): r["break_note"] for r in rows("fai_level_breaks.csv")}
    assert set(breaks) == {2011, 2017}
    assert set(df.loc[~df["comparable_with_previous"], "year"]) == set(breaks)
    for year, note in breaks.items():
        assert (df.loc[df["year"] == year, "break_note"] == note).all()
    assert df.loc[df["comparable_with_previous"], "break_note"].isna().all()
    assert "5 million" in breaks[2011] and "revision" in breaks[2017]
    # the 2016->2017 revision SOURCES.md describes (Shanxi 14,197.98 -> 6,040.54)
    assert raw[("Shanxi", 2016)] == 14197.98 and raw[("Shanxi", 2017)] == 6040.54
    assert "never" in sa.data.fai_level.__doc__ and "scale" in sa.data.fai_level.__doc__.lower()


@needs_shared
def test_raw_fai_level_matches_the_panel_extract_and_its_origin():
    with open(SHARED / "provincial_panels" / "fai_level_by_province_2005_2017.csv", encoding="utf-8") as fh:
        src = {(r["province_zh"], r["year"]): r["fai_total_100m_yuan"] for r in csv.DictReader(fh)}
    assert {(r["region_zh"], r["year"]): r["fai_100m_yuan"] for r in rows("fai_level_by_province.csv")} == src
    with open(SHARED / "provincial_panels" / "origin_renjiyi_panel_2005_2024.csv", encoding="utf-8-sig") as fh:
        origin = list(csv.DictReader(fh))
    cols = list(origin[0])
    region, year, level = cols[cols.index("地区")], cols[cols.index("年份")], "固定资产投资总额_亿元"
    checked = 0
    for r in origin:
        if (r[region], r[year]) in src:
            assert float(r[level]) == float(src[(r[region], r[year])])
            checked += 1
    assert checked == len(src)


# --------------------------------------------------------------------------------------------- price index
def wind_series(path: Path, by_row: bool) -> dict[tuple[str, int], float]:
    """(English name, year) -> value of a Wind export, read with openpyxl (one row or one column per province)."""
    openpyxl = pytest.importorskip("openpyxl")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, data_only=True)
    grid = list(wb.active.iter_rows(values_only=True))
    if not by_row:
        grid = list(zip(*grid, strict=True))
    header = grid[0]
    out = {}
    for line in grid[1:]:
        name = next((c for c in line if isinstance(c, str) and ":" in c), None)
        if name is None:
            continue
        for h, v in zip(header, line, strict=True):
            if hasattr(h, "year") and v is not None:
                out[(ZH2EN[name.split(":")[0]], h.year)] = float(v)
    return out


def test_fai_price_index_values_tibet_and_first_years():
    df = sa.data.fai_price_index()
    check_province_year_frame(df, ["province", "adcode", "year", "index_prev_year_100", "source"])
    raw = {
        (ZH2EN[r["indicator_name"].split(":")[0]], int(r["year"])): float(r["index_prev_year_100"])
        for r in rows("fai_price_index_by_province.csv")
        if r["index_prev_year_100"]
    }
    assert as_dict(df, "index_prev_year_100") == raw
    assert "Tibet" not in set(df["province"]) and len(set(df["province"])) == 30
    assert "Tibet" in df.attrs["no_data"] and "Tibet" in sa.data.fai_price_index.__doc__
    assert df["year"].min() == 1991 and df["year"].max() == 2019
    first = df.groupby("province")["year"].min()
    # SOURCES.md: Guangdong from 2001, Zhejiang 1993, Chongqing 1994
    assert first["Guangdong"] == 2001 and first["Zhejiang"] == 1993 and first["Chongqing"] == 1994
    assert (df.groupby("province")["year"].max() == 2019).all()
    # no gap inside a province's run
    assert (df.groupby("province")["year"].agg(lambda s: s.max() - s.min() + 1) == df.groupby("province").size()).all()
    # cross-checked against the 2009 yearbook (SOURCES.md)
    assert raw[("Shanxi", 2007)] == 104.1 and raw[("Shanxi", 2008)] == 113.3


@needs_shared
def test_raw_price_index_matches_the_wind_export():
    src = wind_series(SHARED / "provincial_panels" / "wind_fai_price_index_by_province_1991_2019.xlsx", True)
    raw = {
        (ZH2EN[r["indicator_name"].split(":")[0]], int(r["year"])): num(r["index_prev_year_100"])
        for r in rows("fai_price_index_by_province.csv")
    }
    compiled = {k: v for k, v in src.items() if 1991 <= k[1] <= 2019}
    assert {k: v for k, v in raw.items() if not math.isnan(v)} == compiled
    assert all(p != "Tibet" for p, _ in src)


# --------------------------------------------------------------------------------------------- gfcf()
def test_gfcf_values_and_coverage():
    df = sa.data.gfcf()
    check_province_year_frame(df, ["province", "adcode", "year", "gfcf_100m_yuan", "source"])
    raw = {
        (ZH2EN[r["indicator_name"].split(":")[0]], int(r["year"])): num(r["gfcf_100m_yuan"])
        for r in rows("gfcf_by_province.csv")
    }
    placeholders = {k for k, v in raw.items() if v == 0}
    assert placeholders == {("Chongqing", y) for y in (1993, 1994, 1995)}
    assert {f"{p} {y}" for p, y in placeholders} == set(df.attrs["not_published"])
    assert as_dict(df, "gfcf_100m_yuan") == {k: v for k, v in raw.items() if v > 0}
    assert (df.groupby("year")["province"].nunique().loc[1996:2017] == 31).all()
    assert set(df.loc[df["year"] == 2018, "province"]) == {"Beijing", "Jiangxi", "Hunan"}
    # SOURCES.md: Wind carries the later revised figure for Guangdong 1998
    assert round(raw[("Guangdong", 1998)], 2) == 2473.82


def test_the_manifest_names_each_later_revision_with_the_value_the_raw_file_holds():
    """The caveats of gfcf_by_province quote, for every province-year compared with a first release, the value of
    the raw file ("<Province> <value> here against <first release>"), so the note cannot drift from the data."""
    raw = {
        (ZH2EN[r["indicator_name"].split(":")[0]], int(r["year"])): num(r["gfcf_100m_yuan"])
        for r in rows("gfcf_by_province.csv")
    }
    manifest = json.loads((RAW.parent / "datapackage.json").read_text(encoding="utf-8"))
    caveats = next(r["caveats"] for r in manifest["resources"] if r["name"] == "gfcf_by_province")
    quoted: list[tuple[str, int, float, float]] = []
    for year_part in re.split(r"(?=\b(?:1998|1999) \(CSY)", caveats)[1:]:
        year = int(year_part[:4])
        for province, here, there in re.findall(
            r"([A-Z][a-z]+) ([\d,]+\.\d+)(?: here)? against ([\d,]+\.\d+)", year_part
        ):
            quoted.append((province, year, float(here.replace(",", "")), float(there.replace(",", ""))))
    assert {(p, y) for p, y, _, _ in quoted} == {
        ("Guangdong", 1998),
        ("Fujian", 1998),
        ("Guangdong", 1999),
        ("Fujian", 1999),
        ("Hainan", 1999),
    }
    for province, year, here, there in quoted:
        assert round(raw[(province, year)], 2) == here, (province, year)
        assert here != there, (province, year)


@needs_shared
def test_raw_gfcf_matches_the_wind_export():
    src = wind_series(SHARED / "provincial_panels" / "wind_gfcf_by_province_1978_2018.xlsx", False)
    raw = {
        (ZH2EN[r["indicator_name"].split(":")[0]], int(r["year"])): num(r["gfcf_100m_yuan"])
        for r in rows("gfcf_by_province.csv")
    }
    assert {k: v for k, v in raw.items() if not math.isnan(v)} == {k: v for k, v in src.items() if 1993 <= k[1] <= 2018}


# --------------------------------------------------------------------------------------------- nbs exports
def nbs_export(path: Path, encoding: str) -> dict[tuple[str, int], float]:
    """(English name, year) -> value of an NBS data.stats.gov.cn export, parsed line by line."""
    out = {}
    years: list[int | None] = []
    for line in path.read_text(encoding=encoding).splitlines():
        cells = [c.strip() for c in line.replace("\t", "").split(",")]
        if cells[0] == "地区":
            years = [int(c[:-1]) if re.fullmatch(r"\d{4}年", c) else None for c in cells[1:]]
        elif years and cells[0] in ZH2EN:
            out.update({(ZH2EN[cells[0]], y): float(v) for y, v in zip(years, cells[1:], strict=True) if y and v})
    return out


def test_grp_real_growth_values_and_vintage():
    df = sa.data.grp_real_growth()
    check_province_year_frame(df, ["province", "adcode", "year", "index_prev_year_100", "source"])
    raw = by_region("grp_index_by_province.csv", "index_prev_year_100")
    assert as_dict(df, "index_prev_year_100") == raw
    years = sorted({y for _, y in raw})
    assert years == list(range(years[0], years[-1] + 1))  # every year from the first, no gap
    assert len(df) == 31 * len(years) and sorted(df["year"].unique()) == years
    assert "fifth" in df.attrs["vintage"] and "revised" in df.attrs["vintage"]
    # SOURCES.md: the revised vintage gives Shanxi 2023 105.1 (5.0% first published)
    assert raw[("Shanxi", 2023)] == 105.1


@needs_shared
def test_raw_grp_index_matches_the_nbs_export():
    src = nbs_export(SHARED / "provincial_panels" / "nbs_grp_index_by_province_2016_2024.csv", "utf-8-sig")
    raw = by_region("grp_index_by_province.csv", "index_prev_year_100")
    assert raw == src


def test_population_yearend_values():
    df = sa.data.population_yearend()
    check_province_year_frame(df, ["province", "adcode", "year", "population_10k", "source"])
    raw = by_region("population_yearend_by_province.csv", "population_10k")
    assert as_dict(df, "population_10k") == raw
    years = sorted({y for _, y in raw})
    assert years == list(range(years[0], years[-1] + 1))  # every year from the first, no gap
    assert len(df) == 31 * len(years) and sorted(df["year"].unique()) == years
    # order of magnitude against the 2020 census (persons): year-end 2020 within 1% of the census count
    census = {
        ZH2EN[r["name_zh"]]: int(r["population"]) for r in rows("census2020_population.csv") if r["kind"] == "province"
    }
    for p, persons in census.items():
        assert abs(raw[(p, 2020)] * 1e4 / persons - 1) < 0.01, p


@needs_shared
def test_raw_population_matches_the_nbs_export():
    src = nbs_export(
        SHARED / "provincial_panels" / "nbs_yearend_population_by_province_2015_2024_gb18030.csv", "gb18030"
    )
    raw = by_region("population_yearend_by_province.csv", "population_10k")
    assert raw == src


# --------------------------------------------------------------------------------------------- tampered copies
def _set(column: str, value: str, **match):
    def change(rs):
        hits = [r for r in rs if all(r[k] == v for k, v in match.items())]
        assert len(hits) == 1, match
        hits[0][column] = value

    return change


@pytest.mark.parametrize(
    "file,loader,column,match",
    [
        ("fai_level_by_province.csv", "fai_level", "fai_100m_yuan", {"region_zh": "山西", "year": "2017"}),
        (
            "fai_price_index_by_province.csv",
            "fai_price_index",
            "index_prev_year_100",
            {"indicator_id": "M0023942", "year": "2008"},
        ),
        (
            "gfcf_by_province.csv",
            "gfcf",
            "gfcf_100m_yuan",
            {"indicator_name": "山西:资本形成总额:固定资本形成总额", "year": "2010"},
        ),
        (
            "grp_index_by_province.csv",
            "grp_real_growth",
            "index_prev_year_100",
            {"region_zh": "山西省", "year": "2023"},
        ),
        (
            "population_yearend_by_province.csv",
            "population_yearend",
            "population_10k",
            {"region_zh": "山西省", "year": "2020"},
        ),
        (
            "nbs_yearbook_fai_growth_by_field.csv",
            "fai_growth_by_field",
            "growth_pct",
            {"region_zh": "山西", "year": "2023", "field": "all"},
        ),
    ],
)
def test_unrecorded_edit_is_refused(data_copy, file, loader, column, match):
    data_copy.edit_csv(file, _set(column, "1.5", **match), record_checksum=False)
    with pytest.raises(DataError, match=rf"Checksum mismatch for data/raw/{re.escape(file)}"):
        getattr(sa.data, loader)()


@pytest.mark.parametrize(
    "file,loader,column,match,value,problem",
    [
        (
            "fai_level_by_province.csv",
            "fai_level",
            "fai_100m_yuan",
            {"region_zh": "山西", "year": "2017"},
            "-6040.54",
            "greater_than",
        ),
        (
            "fai_price_index_by_province.csv",
            "fai_price_index",
            "index_prev_year_100",
            {"indicator_id": "M0023942", "year": "2008"},
            "13.3",
            "greater_than",
        ),
        (
            "grp_index_by_province.csv",
            "grp_real_growth",
            "index_prev_year_100",
            {"region_zh": "山西省", "year": "2023"},
            "5.1",
            "greater_than",
        ),
        (
            "population_yearend_by_province.csv",
            "population_yearend",
            "population_10k",
            {"region_zh": "山西省", "year": "2020"},
            "34900000",
            "less_than",
        ),
        (
            "gfcf_by_province.csv",
            "gfcf",
            "gfcf_100m_yuan",
            {"indicator_name": "山西:资本形成总额:固定资本形成总额", "year": "2010"},
            "-1",
            "greater_than",
        ),
    ],
)
def test_implausible_value_refused_with_file_and_row(data_copy, file, loader, column, match, value, problem):
    data_copy.edit_csv(file, _set(column, value, **match))
    with pytest.raises(DataError) as info:
        getattr(sa.data, loader)()
    msg = str(info.value)
    assert f"data/raw/{file}" in msg and problem in msg and "province='Shanxi'" in msg


def test_unknown_province_refused(data_copy):
    data_copy.edit_csv("grp_index_by_province.csv", _set("region_zh", "山东西省", region_zh="山西省", year="2023"))
    with pytest.raises(DataError, match=r"(?s)grp_index_by_province.csv: unknown province name.*山东西省"):
        sa.data.grp_real_growth()


def test_duplicate_province_year_refused(data_copy):
    data_copy.edit_csv("population_yearend_by_province.csv", _set("year", "2021", region_zh="山西省", year="2020"))
    with pytest.raises(DataError, match=r"population_yearend_by_province.csv.*failed validation"):
        sa.data.population_yearend()


def test_table_edited_away_from_the_record_is_refused(data_copy):
    """A yearbook value changed (with its checksum recorded) no longer matches the transcription record."""
    data_copy.edit_csv(
        "nbs_yearbook_fai_growth_by_field.csv", _set("growth_pct", "6.6", region_zh="山西", year="2023", field="all")
    )
    with pytest.raises(DataError) as info:
        sa.data.fai_growth_by_field()
    msg = str(info.value)
    assert "does not match the transcription record" in msg and "山西 2023 all: table 6.6, record -6.6" in msg
    with pytest.raises(DataError, match="does not match the transcription record"):
        sa.data.fai_growth()  # fai_growth() continues with the same table


def test_record_missing_a_cell_is_refused(data_copy):
    data_copy.edit_csv("yearbook_table10_5_transcription.csv", lambda rs: rs[:-1])
    with pytest.raises(DataError, match=r"256 table rows against 255 record cells"):
        sa.data.fai_growth_by_field()


def test_level_break_without_a_note_is_refused(data_copy):
    data_copy.edit_csv("fai_level_breaks.csv", _set("break_note", "", year="2017"))
    with pytest.raises(DataError, match=r"fai_level_breaks.csv: every break year needs .* \[2017\]"):
        sa.data.fai_level()


# --------------------------------------------------------------------------------------------- against the images
@pytest.fixture
def glyph_check(monkeypatch):
    monkeypatch.syspath_prepend(str(config.PROJ_ROOT / "scripts"))
    import check_yearbook_transcription

    return check_yearbook_transcription


@needs_shared
def test_every_glyph_of_the_images_agrees_with_our_transcription(glyph_check, capsys):
    assert glyph_check.main(["check", str(SHARED)]) == 0, capsys.readouterr().out
    assert "610 digit glyphs checked in 2 images" in capsys.readouterr().out


@needs_shared
@pytest.mark.parametrize(
    "year,old,new,cell",
    [
        (2023, "山西 -6.6 -18.1", "山西 -6.8 -18.1", "山西 column 1 (-6.8)"),
        (2023, "四川 2.4 8.5", "四川 2.4 3.5", "四川 column 2 (3.5)"),
        (2024, "广东 -4.5", "广东 -4.8", "广东 column 1 (-4.8)"),
    ],
)
def test_glyph_check_catches_a_misread_digit(glyph_check, monkeypatch, capsys, year, old, new, cell):
    table = dict(glyph_check.compiled.OUR_TRANSCRIPTION)
    assert old in table[year]
    table[year] = table[year].replace(old, new)
    monkeypatch.setattr(glyph_check.compiled, "OUR_TRANSCRIPTION", table)
    assert glyph_check.main(["check", str(SHARED)]) == 1
    assert re.search(rf"SUSPECT \S+ {re.escape(cell)}: digit", capsys.readouterr().out)


@needs_shared
def test_compile_script_reproduces_the_committed_raw_files(monkeypatch, tmp_path, capsys):
    """The new raw files are exactly what scripts/compile_raw_data.py makes from the sources and our reading."""
    monkeypatch.syspath_prepend(str(config.PROJ_ROOT / "scripts"))
    import compile_raw_data

    monkeypatch.setattr(compile_raw_data, "RAW", tmp_path)
    monkeypatch.setattr(compile_raw_data, "ROOT", tmp_path.parent)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for step in (
            compile_raw_data.national_fai,
            compile_raw_data.fai_level,
            compile_raw_data.fai_price_index,
            compile_raw_data.gfcf,
            compile_raw_data.grp_index,
            compile_raw_data.population_yearend,
            compile_raw_data.yearbook_table,
        ):
            step(SHARED)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert len(made) == 8
    for name in made:
        assert (tmp_path / name).read_bytes() == (RAW / name).read_bytes(), name
