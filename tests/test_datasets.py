"""Tests for the datasets of :mod:`shanxi_analysis.data`: shapes, keys, dtypes, ranges and values of every table.

Expected values are derived here from the raw CSV files, parsed with the csv module (never through the
package), or from independent published totals (the census communiqué).  One group of tests compares
``data/raw`` with the reference sources in ``../shared/sources`` and is skipped where that folder is absent.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import math
import os
import re
import subprocess
import sys
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from conftest import RAW, SHARED, needs_shared, num, raw_rows

import shanxi_analysis as sa
from shanxi_analysis import config

MANIFEST = config.PROJ_ROOT / "data" / "datapackage.json"

with open(RAW / "nbs_gdp_by_province.csv", encoding="utf-8") as _fh:
    GDP_YEARS = sorted({int(r["year"]) for r in csv.DictReader(_fh)})  # the years the raw table has
with open(RAW / "nbs_yearbook_fai_growth_by_field.csv", encoding="utf-8") as _fh:
    YEARBOOK_LAST_YEAR = max(int(r["year"]) for r in csv.DictReader(_fh))
ARTICLE_URL = "https://shanxi.chinadaily.com.cn/2021-03/26/c_606595.htm"

# NBS 第七次全国人口普查公报（第三号）, 2021-05-11, regional totals as quoted in
# shared/sources/quotes/census_table_zczxwang.txt: 东部 / 中部 / 西部 / 东北.
CENSUS_REGION_TOTALS = {"East": 563_717_119, "Central": 364_694_362, "West": 382_852_295, "Northeast": 98_514_948}


@pytest.fixture(autouse=True)
def _real_data(monkeypatch):
    """These tests read the project's own data/, whatever the environment says."""
    monkeypatch.delenv("SHANXI_ANALYSIS_DATA_DIR", raising=False)
    sa.data.clear_cache()


# --------------------------------------------------------------------------------------------- raw helpers
def same(a, b) -> bool:
    """Equal numbers, or both missing."""
    a_nan = a is None or (isinstance(a, float) and math.isnan(a)) or a is pd.NA
    b_nan = b is None or (isinstance(b, float) and math.isnan(b)) or b is pd.NA
    return (a_nan and b_nan) or (not a_nan and not b_nan and float(a) == float(b))


PROV = raw_rows("provinces.csv")
ZH2EN = {r["name_zh"]: r["name_en"] for r in PROV}
EN2CODE = {r["name_en"]: int(r["adcode"]) for r in PROV}
EN2REGION = {r["name_en"]: r["region"] for r in PROV}


def raw_fai() -> dict[tuple[str, int], float]:
    """(English name, year) -> growth (NaN where empty), from the raw Wind table continued by the all-investment
    growth of the raw yearbook table (2023-2024)."""
    out = {}
    for r in raw_rows("nbs_fai_growth_by_province.csv"):
        key = (ZH2EN[r["indicator_name"].split(":")[0]], int(r["year"]))
        assert key not in out, f"duplicate raw row {key}"
        out[key] = num(r["fai_growth_pct"])
    for r in raw_rows("nbs_yearbook_fai_growth_by_field.csv"):
        if r["field"] == "all" and r["region_zh"] != "全国":
            key = (ZH2EN[r["region_zh"]], int(r["year"]))
            assert key not in out, f"duplicate raw row {key}"
            out[key] = num(r["growth_pct"])
    return out


FAI_YEARS = sorted({y for _, y in raw_fai()})


def expected_ranks(values: dict[str, float]) -> dict[str, int | None]:
    """Competition ranking, computed without pandas: 1 + how many provinces grew strictly faster."""
    have = [v for v in values.values() if not math.isnan(v)]
    return {p: (None if math.isnan(v) else 1 + sum(1 for w in have if w > v)) for p, v in values.items()}


#: The values the project's annotations flag (revision artefacts, the 1995 shares), read with the csv module.
ANNOTATED = {(r["province"], int(r["year"])): r for r in raw_rows("fai_growth_annotations.csv")}


def key_is_unique(df: pd.DataFrame, key: list[str]) -> bool:
    return not df.duplicated(key).any()


# --------------------------------------------------------------------------------------------- provinces()
def test_provinces_table_matches_raw():
    df = sa.data.provinces()
    assert len(df) == 31
    assert df["adcode"].dtype == np.int64
    for col in ("adcode", "name_en", "name_zh", "name_zh_full"):
        assert df[col].is_unique, col
    assert set(df["region"]) == {"East", "Central", "West", "Northeast"}
    got = {r.name_en: (r.adcode, r.name_zh, r.name_zh_full, r.region) for r in df.itertuples()}
    want = {r["name_en"]: (int(r["adcode"]), r["name_zh"], r["name_zh_full"], r["region"]) for r in PROV}
    assert got == want
    assert sorted(df["name_en"]) == sorted(sa.data.names())


# --------------------------------------------------------------------------------------------- fai_growth()
@pytest.fixture(scope="module")
def fai() -> pd.DataFrame:
    return sa.data.fai_growth()


def test_fai_growth_shape_keys_and_dtypes(fai):
    assert len(fai) == 31 * len(FAI_YEARS)
    assert list(range(FAI_YEARS[0], FAI_YEARS[-1] + 1)) == FAI_YEARS
    assert FAI_YEARS[-1] == YEARBOOK_LAST_YEAR  # the Wind series is continued by the yearbook's latest year
    assert key_is_unique(fai, ["province", "year"])
    assert sorted(fai["year"].unique()) == FAI_YEARS
    assert (fai.groupby("year")["province"].nunique() == 31).all()
    assert set(fai["province"]) == set(sa.data.names())
    assert fai["year"].dtype == np.int64
    assert fai["adcode"].dtype == np.int64
    assert fai["fai_growth_pct"].dtype == np.float64
    assert str(fai["rank"].dtype) == "Int64"
    assert fai["revision_artefact"].dtype == bool
    assert fai["flagged"].dtype == bool
    assert (fai["adcode"] == fai["province"].map(EN2CODE)).all()


def test_fai_growth_values_equal_raw(fai):
    raw = raw_fai()
    assert len(raw) == len(fai)
    got = {(r.province, r.year): r.fai_growth_pct for r in fai.itertuples()}
    assert set(got) == set(raw)
    wrong = [(k, got[k], raw[k]) for k in raw if not same(got[k], raw[k])]
    assert not wrong, wrong[:5]


def test_fai_growth_spot_values(fai):
    raw = raw_fai()
    row = fai[(fai["province"] == "Shanxi") & (fai["year"] == 2020)].iloc[0]
    assert row["fai_growth_pct"] == raw[("Shanxi", 2020)]
    assert row["adcode"] == 140000
    assert "M9003592" in row["source"]  # Shanxi's Wind indicator ID in the raw file
    shanxi_ids = {
        r["indicator_id"] for r in raw_rows("nbs_fai_growth_by_province.csv") if r["indicator_name"].startswith("山西:")
    }
    assert shanxi_ids == {"M9003592"}


def test_fai_growth_ranges(fai):
    v = fai["fai_growth_pct"].dropna()
    assert v.between(-100, 1000).all()
    # every year has values for at least 29 provinces, and the gaps are exactly the empty raw cells
    empty = {k for k, x in raw_fai().items() if math.isnan(x)}
    assert {(r.province, r.year) for r in fai[fai["fai_growth_pct"].isna()].itertuples()} == empty
    assert empty == {("Guangdong", 1992)} | {("Chongqing", y) for y in range(1992, 1997)}


def test_chongqing_has_no_value_before_1997(fai):
    cq = fai[fai["province"] == "Chongqing"].set_index("year")
    assert cq.loc[1992:1996, "fai_growth_pct"].isna().all()
    assert cq.loc[1992:1996, "rank"].isna().all()
    assert cq.loc[1997:, "fai_growth_pct"].notna().all()
    assert cq.loc[1997:, "rank"].notna().all()


@pytest.mark.parametrize("year", FAI_YEARS)
def test_rank_recomputed_independently(fai, year):
    # flagged values (the annotations; on the real data every value failing a check is also annotated) get no
    # rank and take no place in the ranking of the others
    raw = raw_fai()
    values = {p: v for (p, y), v in raw.items() if y == year and (p, y) not in ANNOTATED}
    want = expected_ranks(values)
    got = fai[fai["year"] == year].set_index("province")["rank"]
    for p, r in want.items():
        if r is None:
            assert got[p] is pd.NA, (p, got[p])
        else:
            assert got[p] == r, (year, p, got[p], r)
    for p, y in ANNOTATED:
        if y == year:
            assert got[p] is pd.NA, (p, y)
    have = sum(1 for v in values.values() if not math.isnan(v))
    if have:
        assert got.min() == 1
        assert got.max() <= have
    else:
        assert got.isna().all()


def test_rank_ties_share_the_smallest_rank(fai):
    """At least one year in the raw data has tied values; they share the smaller rank and the next is skipped."""
    raw = raw_fai()
    ties = []
    for year in FAI_YEARS:
        counts = Counter(v for (p, y), v in raw.items() if y == year and not math.isnan(v) and (p, y) not in ANNOTATED)
        ties += [(year, v, n) for v, n in counts.items() if n > 1]
    assert ties, "no tie in the raw data: this test cannot check the tie rule"
    for year, value, _count in ties:
        sub = fai[(fai["year"] == year) & ~fai["flagged"]]
        tied = sub[sub["fai_growth_pct"] == value]["rank"]
        assert tied.nunique() == 1
        r = int(tied.iloc[0])
        assert r == 1 + int((sub["fai_growth_pct"] > value).sum())
        assert not (sub["rank"] == r + 1).any()  # the next rank is skipped


def test_revision_artefacts_flagged_and_kept(fai):
    # SOURCES.md: Liaoning 2016 (-63.5), Inner Mongolia 2018 (-28.3), Xinjiang 2018 (-25.2); flag, don't drop.
    expected = {("Liaoning", 2016): -63.5, ("Inner Mongolia", 2018): -28.3, ("Xinjiang", 2018): -25.2}
    raw = raw_fai()
    flagged = fai[fai["revision_artefact"]]
    assert {(r.province, r.year) for r in flagged.itertuples()} == set(expected)
    for (p, y), value in expected.items():
        row = fai[(fai["province"] == p) & (fai["year"] == y)].iloc[0]
        assert row["fai_growth_pct"] == value == raw[(p, y)]  # kept as published
        assert row["rank"] is pd.NA  # but left out of the ranking
        assert row["flagged"] and row["flag"] == "revision artefact"
        # the note gives the source; the flag says what it is
        assert "notes that came with the project's copy" in row["flag_note"]
    assert fai.loc[~fai["flagged"], "flag_note"].isna().all()
    assert fai.loc[~fai["flagged"], "flag"].isna().all()


def test_every_annotation_flags_its_value_with_its_note(fai):
    got = fai.set_index(["province", "year"])
    for (p, y), r in ANNOTATED.items():
        row = got.loc[(p, y)]
        assert row["flagged"] and row["flag"] == r["flag"] and row["flag_note"] == r["note"], (p, y)
        assert row["rank"] is pd.NA
        assert row["fai_growth_pct"] == raw_fai()[(p, y)]
    # every published 1995 value is recorded as a share, citing the yearbook table
    with_value_1995 = {p for (p, y), v in raw_fai().items() if y == 1995 and not math.isnan(v)}
    assert {p for (p, y), r in ANNOTATED.items() if y == 1995 and r["flag"] == "shares, not growth"} == with_value_1995
    assert len(with_value_1995) == 30
    assert all("table 5-2" in ANNOTATED[(p, 1995)]["note"] for p in with_value_1995)


def test_every_row_has_its_scope_note(fai):
    assert fai["scope_note"].notna().all()
    assert (fai["scope_note"].str.len() > 20).all()
    for s in raw_rows("fai_growth_scope.csv"):
        years = fai["year"].between(int(s["first_year"]), int(s["last_year"]))
        assert years.any()
        assert (fai.loc[years, "scope_note"] == s["scope"]).all(), s["first_year"]
    assert fai.groupby("year")["scope_note"].nunique().max() == 1


# --------------------------------------------------------------------------------------------- national
def test_national_fai_growth_matches_raw():
    df = sa.data.national_fai_growth()
    raw = raw_rows("national_fai_growth.csv")
    assert len(df) == len(raw)
    assert key_is_unique(df, ["year", "scope"])
    assert set(df["scope"]) <= {"whole society", "urban", "excluding rural households"}
    assert df["derived"].dtype == bool
    got = df.set_index(["year", "scope"])
    for r in raw:
        row = got.loc[(int(r["year"]), r["scope"])]
        assert row["growth_pct"] == float(r["growth_pct"])
        assert bool(row["derived"]) == (r["derived"] == "true")
        assert same(row["level_100m_yuan"], num(r["level_100m_yuan"]))
    # gaps stay gaps: no row for the years no source was found for (SOURCES.md's list, less the years the project
    # found itself, each with the sentence it read)
    missing = set(range(1992, 1998)) | {2010}
    assert not missing & set(df["year"])
    researched = [r for r in raw if r["note"].startswith("Verbatim:")]
    assert {int(r["year"]) for r in researched} >= {1998, 1999, 2000, 2001, 2002, 2003, 2005, 2007, 2012}
    for r in researched:  # the figure is in the sentence quoted from its source (German pages write 9,3)
        g = r["growth_pct"]
        assert g in r["note"] or g.replace(".", ",") in r["note"], (r["year"], r["scope"], g)
        assert r["source_url"].startswith("http") and r["source_desc"], (r["year"], r["scope"])
    r1998 = got.loc[(1998, "whole society")]  # Xinhua quoting NBS, 1999-02-26: preliminary, whole society
    assert r1998["growth_pct"] == 14.1 and "初步统计" in r1998["note"] and "增长14.1%" in r1998["note"]
    assert got.loc[(2020, "excluding rural households"), "growth_pct"] == next(
        float(r["growth_pct"]) for r in raw if r["year"] == "2020" and r["scope"] == "excluding rural households"
    )


# --------------------------------------------------------------------------------------------- gdp()
def test_gdp_shape_keys_and_values():
    df = sa.data.gdp()
    raw = raw_rows("nbs_gdp_by_province.csv")
    first = raw_rows("gdp_first_release.csv")
    rev = df[df["vintage"] == "revised"]
    fr = df[df["vintage"] == "first release"]
    assert len(rev) == 31 * len(GDP_YEARS) == len(raw)
    assert len(fr) == len(first) >= 1
    assert len(df) == len(rev) + len(fr)
    assert set(df["vintage"]) == {"revised", "first release"}
    assert key_is_unique(df, ["province", "year", "vintage"])
    assert list(range(GDP_YEARS[0], GDP_YEARS[-1] + 1)) == GDP_YEARS  # no gap
    assert sorted(rev["year"].unique()) == GDP_YEARS
    assert (rev.groupby("year")["province"].nunique() == 31).all()
    assert set(df["province"]) <= set(sa.data.names())
    assert set(rev["province"]) == set(sa.data.names())
    assert df["gdp_100m_yuan"].dtype == np.float64 and df["year"].dtype == np.int64
    assert (df["gdp_100m_yuan"] > 0).all()
    assert (df["adcode"] == df["province"].map(EN2CODE)).all()
    got = {(r.province, r.year): r.gdp_100m_yuan for r in rev.itertuples()}
    assert got == {(r["region"], int(r["year"])): float(r["gdp_100m_yuan"]) for r in raw}
    got_fr = {(r.province, r.year): r.gdp_100m_yuan for r in fr.itertuples()}
    assert got_fr == {(r["region"], int(r["year"])): float(r["gdp_100m_yuan"]) for r in first}


def test_gdp_shanxi_2020_both_vintages():
    df = sa.data.gdp()
    raw = {(r["region"], r["year"]): float(r["gdp_100m_yuan"]) for r in raw_rows("nbs_gdp_by_province.csv")}
    first = {(r["region"], r["year"]): float(r["gdp_100m_yuan"]) for r in raw_rows("gdp_first_release.csv")}
    sx = df[(df["province"] == "Shanxi") & (df["year"] == 2020)].set_index("vintage")["gdp_100m_yuan"]
    assert sx["revised"] == raw[("Shanxi", "2020")] == 17835.6  # SOURCES.md: revised series
    assert sx["first release"] == first[("Shanxi", "2020")] == 17651.93  # SOURCES.md: Yearbook 2021
    assert sx["revised"] != sx["first release"]  # the revision stays visible


# --------------------------------------------------------------------------------------------- population()
@pytest.fixture(scope="module")
def pop() -> pd.DataFrame:
    return sa.data.population()


def test_population_shape_and_values(pop):
    raw = raw_rows("census2020_population.csv")
    prov = [r for r in raw if r["kind"] == "province"]
    assert len(pop) == 31 == len(prov)
    assert pop["province"].is_unique and set(pop["province"]) == set(sa.data.names())
    assert pop["population"].dtype == np.int64
    assert (pop["population"] > 0).all()
    assert pop["share_pct_2020"].between(0, 100).all() and pop["share_pct_2010"].between(0, 100).all()
    assert (pop["census_date"] == "2020-11-01").all()
    assert (pop["adcode"] == pop["province"].map(EN2CODE)).all()
    got = pop.set_index("province")
    for r in prov:
        en = ZH2EN[r["name_zh"]]
        assert got.at[en, "population"] == int(r["population"])
        assert got.at[en, "share_pct_2020"] == float(r["share_pct_2020"])
        assert got.at[en, "share_pct_2010"] == float(r["share_pct_2010"])
    assert got.at["Shanxi", "population"] == 34_915_616


def test_population_adds_up_to_the_national_total(pop):
    raw = raw_rows("census2020_population.csv")
    military = [int(r["population"]) for r in raw if r["kind"] == "military"]
    national = [int(r["population"]) for r in raw if r["kind"] == "national"]
    assert military == [2_000_000]
    assert len(national) == 1
    assert int(pop["population"].sum()) + military[0] == national[0] == 1_411_778_724


def test_population_region_totals_match_the_census_communique(pop):
    """Independent check of the East/Central/West/Northeast classification in provinces.csv."""
    regions = sa.data.provinces().set_index("name_en")["region"]
    by_region = pop.assign(region=pop["province"].map(regions)).groupby("region")["population"].sum()
    assert by_region.to_dict() == CENSUS_REGION_TOTALS
    assert sum(CENSUS_REGION_TOTALS.values()) == int(pop["population"].sum())


# --------------------------------------------------------------------------------------------- monthly
def test_fai_monthly_2020_periods_gaps_and_flags():
    df = sa.data.fai_monthly_2020()
    raw = raw_rows("fai_2020_monthly_cumulative.csv")
    assert len(df) == 22 == len(raw)
    assert key_is_unique(df, ["region", "end_month"])
    for region in ("China", "Shanxi"):
        sub = df[df["region"] == region]
        assert sorted(sub["end_month"]) == list(range(2, 13)), region
    assert (df["year"] == 2020).all()
    got = df.set_index(["region", "end_month"])
    for r in raw:
        row = got.loc[(r["region"], int(r["end_month"]))]
        assert same(row["cum_growth_pct"], num(r["cum_growth_pct"])), r["period"]
        assert row["status"] == r["status"]
        if not r["cum_growth_pct"]:
            assert row["status"] == "not found" and math.isnan(row["cum_growth_pct"])
    # the national series is complete; Shanxi's gaps are NaN with status 'not found'
    assert got.loc["China", "cum_growth_pct"].notna().all()
    sx = got.loc["Shanxi"]
    raw_gaps = {int(r["end_month"]) for r in raw if r["region"] == "Shanxi" and not r["cum_growth_pct"]}
    assert set(sx.index[sx["cum_growth_pct"].isna()]) == raw_gaps
    assert raw_gaps == {2, 3, 5, 7, 8, 10, 11}  # SOURCES.md: 4 of 11 periods found
    assert (sx.loc[sorted(raw_gaps), "status"] == "not found").all()
    # derived only for Shanxi Jan-Jun
    assert {(r.region, r.end_month) for r in df[df["derived"]].itertuples()} == {("Shanxi", 6)}
    assert got.loc[("Shanxi", 12), "cum_growth_pct"] == 10.6
    assert got.loc[("China", 12), "cum_growth_pct"] == 2.9


# --------------------------------------------------------------------------------------------- the rest
def test_shanxi_investment_2020_matches_raw():
    df = sa.data.shanxi_investment_2020()
    raw = raw_rows("shanxi_investment_2020.csv")
    assert len(df) == len(raw)
    assert key_is_unique(df, ["breakdown", "name_en"])
    assert set(df["breakdown"]) <= {"province", "sector", "city", "city total FAI", "structure", "province total FAI"}
    got = df.set_index(["breakdown", "name_en"])
    for r in raw:
        row = got.loc[(r["breakdown"], r["name_en"])]
        for col in ("amount_100m_yuan", "growth_pct", "share_pct"):
            assert same(row[col], num(r[col])), (r["name_en"], col)
        assert bool(row["derived"]) == (r["derived"] == "true")
    # the province total FAI level is a derived figure and is flagged as such
    assert got.loc["province total FAI", "derived"].all()
    assert got.loc[("province", "Shanxi"), "amount_100m_yuan"] == 3324.3


def test_exchange_rates_match_raw():
    df = sa.data.exchange_rates()
    raw = raw_rows("cny_per_usd.csv")
    assert len(df) == len(raw)
    assert key_is_unique(df, ["period", "measure"])
    assert df["cny_per_usd"].between(1, 20).all()
    assert {(r.period, r.measure): r.cny_per_usd for r in df.itertuples()} == {
        (r["period"], r["measure"]): float(r["cny_per_usd"]) for r in raw
    }
    assert set(df["kind"]) <= {"published", "implied by the article"}


def test_fai_crosschecks_match_raw():
    df = sa.data.fai_crosschecks()
    raw = raw_rows("provincial_fai_crosschecks.csv")
    assert len(df) == len(raw)
    assert key_is_unique(df, ["province", "year"])
    assert set(df["province"]) <= set(sa.data.names())
    assert {(r.province, r.year): r.fai_growth_pct for r in df.itertuples()} == {
        (r["province"], int(r["year"])): float(r["fai_growth_pct"]) for r in raw
    }


def test_shanxi_devzones_independence_flag():
    df = sa.data.shanxi_devzones()
    raw = raw_rows("shanxi_devzones.csv")
    assert len(df) == len(raw)
    assert list(df["independent"]) == [r["source_url"] != ARTICLE_URL for r in raw]
    assert list(df["derived"]) == [r["derived"] == "true" for r in raw]


def test_article_claims_match_raw():
    df = sa.data.article_claims()
    raw = raw_rows("article_claims.csv")
    assert len(df) == len(raw)
    assert df["claim_id"].is_unique
    assert df["claim_id"].str.fullmatch(r"[a-z0-9_]+").all()
    got = df.set_index("claim_id")
    for r in raw:
        assert same(got.at[r["claim_id"], "article_value"], num(r["article_value"]))
        assert got.at[r["claim_id"], "quote"] == r["quote"]
    assert got.at["fai_growth_2020", "article_value"] == 10.6


def test_independent_figures_match_raw():
    df = sa.data.independent_figures()
    raw = raw_rows("independent_figures.csv")
    assert len(df) == len(raw)
    claims = set(sa.data.article_claims()["claim_id"])
    assert set(df["claim_id"]) <= claims
    assert [(r.claim_id, r.value, r.comparable, r.derived) for r in df.itertuples()] == [
        (r["claim_id"], float(r["value"]), r["comparable"] == "true", r["derived"] == "true") for r in raw
    ]


def test_events_match_raw():
    df = sa.data.events()
    raw = raw_rows("events.csv")
    assert list(df["event_id"]) == [r["event_id"] for r in raw]
    en = set(sa.data.names())
    for got, r in zip(df.itertuples(), raw, strict=True):
        assert (got.year_start, got.year_end) == (int(r["year_start"]), int(r["year_end"]))
        want = "all" if r["provinces"] == "all" else tuple(r["provinces"].split(";"))
        assert got.provinces == want and (want == "all" or set(want) <= en)
        assert (got.publisher, got.url, got.verbatim) == (r["publisher"], r["url"], r["verbatim"])
        assert ("" if sa.numbers.is_missing(got.date_published) else got.date_published) == r["date_published"]


def test_province_shapes_cover_the_31_provinces():
    df = sa.data.province_shapes()
    assert len(df) == 31
    assert df["adcode"].is_unique
    assert dict(zip(df["province"], df["adcode"], strict=True)) == EN2CODE
    for rings in df["rings"]:
        assert len(rings) >= 1
        for ring in rings:
            assert ring.ndim == 2 and ring.shape[1] == 2 and len(ring) >= 4
            assert ((ring[:, 0] > 73) & (ring[:, 0] < 136)).all()  # longitude within China's extent
            assert ((ring[:, 1] > 3) & (ring[:, 1] < 54)).all()  # latitude


def test_year_range_from_raw():
    raw = raw_fai()
    years = [y for (_, y), v in raw.items() if not math.isnan(v)]
    assert sa.data.year_range() == (min(years), max(years))
    gdp_years = [int(r["year"]) for r in raw_rows("nbs_gdp_by_province.csv") if r["gdp_100m_yuan"]]
    assert sa.data.year_range("gdp") == (min(gdp_years), max(gdp_years))


# --------------------------------------------------------------------------------------------- provenance
DATASET_SOURCES = {
    "provinces": ["provinces"],
    "reconciliation": [
        "nbs_fai_growth_by_province",
        "nbs_yearbook_fai_growth_by_field",
        "national_fai_growth",
        "fai_level_by_province",
        "gfcf_by_province",
        "fai_price_index_by_province",
        "nbs_gdp_by_province",
        "provincial_fai_crosschecks",
    ],
    "fai_growth": [
        "nbs_fai_growth_by_province",
        "nbs_yearbook_fai_growth_by_field",
        "yearbook_table10_5_transcription",
        "fai_growth_annotations",
        "fai_growth_scope",
    ],
    "national_fai_growth": ["national_fai_growth"],
    "gdp": ["nbs_gdp_by_province", "gdp_first_release"],
    "population": ["census2020_population"],
    "fai_monthly_2020": ["fai_2020_monthly_cumulative"],
    "shanxi_investment_2020": ["shanxi_investment_2020"],
    "exchange_rates": ["cny_per_usd"],
    "fai_crosschecks": ["provincial_fai_crosschecks"],
    "shanxi_devzones": ["shanxi_devzones"],
    "article_claims": ["article_claims"],
    "independent_figures": ["independent_figures"],
    "events": ["events"],
    "province_shapes": ["province_shapes"],
    "fai_growth_by_field": ["nbs_yearbook_fai_growth_by_field", "yearbook_table10_5_transcription"],
    "fai_level": ["fai_level_by_province", "fai_level_breaks"],
    "fai_price_index": ["fai_price_index_by_province"],
    "gfcf": ["gfcf_by_province"],
    "grp_real_growth": ["grp_index_by_province"],
    "population_yearend": ["population_yearend_by_province"],
}


def test_every_dataset_is_covered_here():
    assert set(sa.data.available()) == set(DATASET_SOURCES)


@pytest.mark.parametrize("name", sorted(DATASET_SOURCES))
def test_attrs_sources_match_the_manifest(name):
    manifest = {r["name"]: r for r in json.loads(MANIFEST.read_text(encoding="utf-8"))["resources"]}
    df = getattr(sa.data, name)()
    srcs = df.attrs["sources"]
    assert [s["resource"] for s in srcs] == DATASET_SOURCES[name]
    for s in srcs:
        m = manifest[s["resource"]]
        actual = hashlib.sha256((config.PROJ_ROOT / "data" / m["path"]).read_bytes()).hexdigest()
        assert s["sha256"] == m["hash"].removeprefix("sha256:") == actual
        assert s["title"] == m["title"] and s["title"]
        assert s["publisher"], s["resource"]
        for src in m["sources"]:
            assert src["title"] in s["publisher"]
        assert s["file"] == m["path"]
        assert s["licence"]
    assert df.attrs.get("title")


# --------------------------------------------------------------------------------------------- cache safety
def _frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    if "rings" in a.columns:
        assert list(a.columns) == list(b.columns)
        pd.testing.assert_frame_equal(a.drop(columns="rings"), b.drop(columns="rings"))
        for ra, rb in zip(a["rings"], b["rings"], strict=True):
            assert len(ra) == len(rb)
            for x, y in zip(ra, rb, strict=True):
                np.testing.assert_array_equal(x, y)
    else:
        pd.testing.assert_frame_equal(a, b)
    assert a.attrs == b.attrs


@pytest.mark.parametrize("name", sorted(DATASET_SOURCES))
def test_repeat_calls_return_equal_fresh_frames(name):
    func = getattr(sa.data, name)
    a, b = func(), func()
    assert a is not b
    _frames_equal(a, b)
    sa.data.clear_cache()
    _frames_equal(a, func())


@pytest.mark.parametrize("name", sorted(DATASET_SOURCES))
def test_mutating_a_result_does_not_affect_the_next_call(name):
    func = getattr(sa.data, name)
    first = func()
    expected = first.copy(deep=True)  # a snapshot that owns its data, whatever the package returns
    expected.attrs = copy.deepcopy(first.attrs)
    got = func()
    c = next(i for i, col in enumerate(got.columns) if col != "rings" and got[col].nunique() > 1)
    j = next(i for i in range(len(got)) if got.iloc[i, c] != got.iloc[0, c])
    got.iloc[0, c] = got.iloc[j, c]
    got.iloc[-1, -1] = got.iloc[0, -1]
    got["extra"] = 1
    with pytest.raises(TypeError, match="read-only"):  # a provenance record is shared by every copy: read-only
        got.attrs["sources"][0]["sha256"] = "tampered"
    got.attrs["sources"].append({"resource": "tampered"})  # the list is the caller's own
    got.attrs["title"] = "tampered"
    _frames_equal(func(), expected)


def test_mutating_shape_rings_does_not_affect_the_next_call():
    first = sa.data.province_shapes()
    before = first["rings"].iloc[0][0].copy()
    try:
        first["rings"].iloc[0][0][0, 0] = 999.0
        first["rings"].iloc[0].append(np.zeros((4, 2)))
        again = sa.data.province_shapes()
        np.testing.assert_array_equal(again["rings"].iloc[0][0], before)
        assert len(again["rings"].iloc[0]) == len(first["rings"].iloc[0]) - 1
    finally:
        sa.data.clear_cache()  # drop the frame this test may have corrupted, for the tests that follow


# --------------------------------------------------------------------------------------------- done-when
@pytest.mark.e2e
def test_done_when_command_prints_the_2020_leaders():
    raw = raw_fai()
    y2020 = sorted(((v, p) for (p, y), v in raw.items() if y == 2020 and not math.isnan(v)), reverse=True)
    assert y2020[0][1] == "Xinjiang" and y2020[0][0] > y2020[1][0]  # a unique leader in the raw table
    assert y2020[4][0] > y2020[5][0]  # no tie across the top-5 boundary
    top5 = [p for _, p in y2020[:5]]
    code = "import shanxi_analysis as sa; print(sa.data.fai_growth().query('year == 2020').sort_values('rank').head())"
    env = {k: v for k, v in os.environ.items() if k != "SHANXI_ANALYSIS_DATA_DIR"}
    env["MPLBACKEND"] = "Agg"
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=config.PROJ_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if re.match(r"^\d+\s", ln)]
    assert len(lines) == 5, proc.stdout
    for line, name in zip(lines, top5, strict=True):
        assert re.search(rf"\b{re.escape(name)}\b", line), (name, line)
    assert "Xinjiang" in lines[0]


# --------------------------------------------------------------------------------------------- shared sources


@needs_shared
def test_raw_fai_matches_the_wind_export():
    openpyxl = pytest.importorskip("openpyxl")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Workbook contains no default style"
        wb = openpyxl.load_workbook(SHARED / "nbs_fai_growth_by_province_1992_2022_wind_export.xlsx", data_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    header = rows[0]
    year_cols = {i: h.year for i, h in enumerate(header) if hasattr(h, "year")}
    wind_years = sorted({int(r["year"]) for r in raw_rows("nbs_fai_growth_by_province.csv")})
    assert sorted(year_cols.values()) == wind_years
    src = {}
    for row in rows[1:]:
        if not row[1] or ":" not in str(row[1]):
            continue
        en = ZH2EN[row[1].split(":")[0]]
        for i, y in year_cols.items():
            src[(en, y)] = math.nan if row[i] is None else float(row[i])
    raw = {k: v for k, v in raw_fai().items() if k[1] in wind_years}
    assert set(src) == set(raw)
    wrong = [(k, raw[k], src[k]) for k in src if not same(raw[k], src[k])]
    assert not wrong, wrong[:5]
    assert src[("Shanxi", 2020)] == raw[("Shanxi", 2020)]


@needs_shared
def test_raw_gdp_matches_the_nbs_export():
    xlrd = pytest.importorskip("xlrd")
    sheet = xlrd.open_workbook(SHARED / "nbs_gross_regional_product_by_province_2004_2023.xls").sheet_by_index(0)
    header_row = next(r for r in range(sheet.nrows) if sheet.cell_value(r, 0) == "Region")
    years = [int(v) for v in sheet.row_values(header_row)[1:] if str(v).strip()]
    src = {}
    for r in range(header_row + 1, sheet.nrows):
        cells = sheet.row_values(r)
        if cells[0] in EN2CODE:
            for y, v in zip(years, cells[1:], strict=True):
                src[(cells[0], y)] = float(v)
    raw = {(r["region"], int(r["year"])): float(r["gdp_100m_yuan"]) for r in raw_rows("nbs_gdp_by_province.csv")}
    assert src == raw
    assert src[("Shanxi", 2020)] == 17835.6


@needs_shared
def test_raw_census_matches_the_reference_and_the_quoted_table():
    with open(SHARED / "census2020_population_by_province.csv", encoding="utf-8", newline="") as fh:
        ref = {r["province_cn"]: r for r in csv.DictReader(fh)}
    raw = raw_rows("census2020_population.csv")
    for r in raw:
        if r["kind"] == "province":
            assert int(ref[r["name_zh"]]["population_2020_11_01"]) == int(r["population"]), r["name_zh"]
            assert ref[r["name_zh"]]["province_en"] == ZH2EN[r["name_zh"]]
    quote = (SHARED / "quotes" / "census_table_zczxwang.txt").read_text(encoding="utf-8")
    quoted = {zh: int(n) for zh, n in re.findall(r"^(\S+) (\d{6,})\b", quote, flags=re.M)}
    for r in raw:
        assert quoted[r["name_zh"]] == int(r["population"]), r["name_zh"]
    regional = dict(re.findall(r"(东部|中部|西部|东北) (\d+)", quote))
    names = {"东部": "East", "中部": "Central", "西部": "West", "东北": "Northeast"}
    assert {names[k]: int(v) for k, v in regional.items()} == CENSUS_REGION_TOTALS


@needs_shared
def test_raw_monthly_and_crosschecks_match_the_reference():
    with open(SHARED / "fai_2020_monthly_cumulative.csv", encoding="utf-8", newline="") as fh:
        ref = list(csv.DictReader(fh))
    region = {"China (national)": "China"}
    ref_vals = {(region.get(r["region"], r["region"]), r["period"]): num(r["cum_yoy_growth_pct"]) for r in ref}
    raw_vals = {
        (r["region"], r["period"]): num(r["cum_growth_pct"]) for r in raw_rows("fai_2020_monthly_cumulative.csv")
    }
    # every figure in data/raw is in the reference, with the same value; nothing was filled in
    for k, v in raw_vals.items():
        if not math.isnan(v):
            assert k in ref_vals and same(ref_vals[k], v), k
    for k, v in ref_vals.items():
        if k in raw_vals:
            assert same(raw_vals[k], v), k
    with open(SHARED / "provincial_fai_crosschecks.csv", encoding="utf-8", newline="") as fh:
        ref_x = {(r["province"], r["year"]): float(r["fai_growth_pct"]) for r in csv.DictReader(fh)}
    raw_x = {(r["province"], r["year"]): float(r["fai_growth_pct"]) for r in raw_rows("provincial_fai_crosschecks.csv")}
    assert raw_x == ref_x
