"""The reconciliation on real data: each check of :mod:`shanxi_analysis.data.reconcile` catches its fault planted
in a temporary copy of the raw files (manifest refreshed with the documented command), a value that fails is
flagged and unranked in ``fai_growth()``, a new year that fails is flagged with no code edit, and the real data
passes except for the findings counted here independently (from the raw CSV files with the csv module).

Every test here uses ``data_copy`` or rebuilds datasets, so the whole module is in the e2e tier."""

from __future__ import annotations

import importlib.util
import math
import statistics
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, raw_rows

import shanxi_analysis as sa

pytestmark = pytest.mark.e2e


def update_manifest(data_dir: Path) -> None:
    """CONTRIBUTING's command after a raw file changed shape: ``scripts/update_manifest.py --accept-shape DIR``."""
    spec = importlib.util.spec_from_file_location("update_manifest", ROOT / "scripts" / "update_manifest.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["update_manifest.py", "--accept-shape", str(data_dir)]) == 0
    sa.data.clear_cache()


def zh_to_en() -> dict[str, str]:
    return {r["name_zh"]: r["name_en"] for r in raw_rows("provinces.csv")}


def wind_growth(folder: Path | None = None) -> dict[tuple[str, int], float]:
    names = zh_to_en()
    rows = raw_rows("nbs_fai_growth_by_province.csv", *([folder] if folder else []))
    return {
        (names[r["indicator_name"].split(":")[0]], int(r["year"])): float(r["fai_growth_pct"])
        for r in rows
        if r["fai_growth_pct"].strip()
    }


def gfcf_levels() -> dict[tuple[str, int], float]:
    names = zh_to_en()
    return {
        (names[r["indicator_name"].split(":")[0]], int(r["year"])): float(r["gfcf_100m_yuan"])
        for r in raw_rows("gfcf_by_province.csv")
        if r["gfcf_100m_yuan"].strip()
    }


def edit_wind(data_copy, change) -> None:
    """Change the copy's Wind growth cells through ``change(province, year, value) -> new value or None``."""
    names = zh_to_en()

    def edit(rows):
        for r in rows:
            p, y = names[r["indicator_name"].split(":")[0]], int(r["year"])
            new = change(p, y, float(r["fai_growth_pct"]) if r["fai_growth_pct"].strip() else math.nan)
            if new is not None:
                r["fai_growth_pct"] = f"{new:.1f}"

    data_copy.edit_csv("nbs_fai_growth_by_province.csv", edit, record_checksum=False)


def findings(check: str) -> pd.DataFrame:
    r = sa.data.reconciliation()
    return r[r["check"] == check]


def assert_flagged_and_unranked(cells: set[tuple[str, int]], flag: str) -> None:
    fai = sa.data.fai_growth().set_index(["province", "year"])
    for key in cells:
        row = fai.loc[key]
        assert row["flagged"] and row["flag"] == flag, (key, row["flag"])
        assert row["rank"] is pd.NA, key
        assert isinstance(row["flag_note"], str) and row["flag_note"]
        py = sa.analysis.province_year(sa.data.fai_growth(), *key)
        assert py.growth is None and py.rank is None and py.published == row["fai_growth_pct"]


# --------------------------------------------------------------------------------------------- planted faults
def test_planted_shares_column_fails_and_is_flagged(data_copy):
    year = 2010
    levels = {p: v for (p, y), v in gfcf_levels().items() if y == year}
    total = sum(levels.values())
    shares = {p: v / total * 97 for p, v in levels.items()}  # the provinces covered: just under 100
    edit_wind(data_copy, lambda p, y, v: shares[p] if y == year and p in shares else None)
    update_manifest(data_copy.root)
    f = findings("shares_as_growth")
    assert set(f["year"]) == {1995, year}
    cells = {(p, year) for p in shares}
    assert {(r.province, int(r.year)) for r in f[f["year"] == year].itertuples()} == cells
    assert set(f["verdict"]) == {"fails"}
    assert_flagged_and_unranked(cells, "shares, not growth")
    # no province of 2010 has a rank, so no page states a 2010 share as growth
    assert sa.data.fai_growth().query("year == @year")["rank"].isna().all()


def test_planted_median_far_from_national_fails_and_is_flagged(data_copy):
    year = 2009  # the national figure is 30.1% (whole society)
    edit_wind(data_copy, lambda p, y, v: v + 40 if y == year and not math.isnan(v) else None)
    update_manifest(data_copy.root)
    f = findings("median_vs_national")
    assert set(f["year"]) == {year} and set(f["verdict"]) == {"fails"}
    cells = {(p, y) for (p, y) in wind_growth(data_copy.raw) if y == year}
    assert {(r.province, int(r.year)) for r in f.itertuples()} == cells
    assert_flagged_and_unranked(cells, "far from national growth")


def test_planted_copied_year_fails_and_is_flagged(data_copy):
    before = {p: v for (p, y), v in wind_growth().items() if y == 2011}
    edit_wind(data_copy, lambda p, y, v: before[p] if y == 2012 and p in before else None)
    update_manifest(data_copy.root)
    f = findings("duplicated_year")
    assert set(f["year"]) == {2012} and set(f["verdict"]) == {"fails"}
    cells = {(p, 2012) for p in before}
    assert {(r.province, int(r.year)) for r in f.itertuples()} == cells
    assert_flagged_and_unranked(cells, "copy of the year before")
    assert not sa.data.fai_growth().query("year == 2011")["flagged"].any()  # the original stays as it is


def test_planted_shifted_year_fails_and_is_flagged(data_copy):
    g = wind_growth()
    assert g[("Hebei", 2014)] != g[("Hebei", 2015)]

    def add(rows):
        rows.append(
            {
                "province": "Hebei",
                "year": "2015",
                "fai_growth_pct": str(g[("Hebei", 2014)]),  # the 2014 figure, planted as 2015's
                "source_url": "https://example.org/made-up",
                "source_desc": "Made up by the planted-fault test",
            }
        )

    data_copy.edit_csv("provincial_fai_crosschecks.csv", add, record_checksum=False)
    update_manifest(data_copy.root)
    f = findings("shifted_year")
    assert [(r.province, int(r.year), r.verdict) for r in f.itertuples()] == [("Hebei", 2015, "fails")]
    assert f["observed"].iloc[0] == g[("Hebei", 2015)] and f["expected"].iloc[0] == g[("Hebei", 2014)]
    assert_flagged_and_unranked({("Hebei", 2015)}, "shifted by a year")


def test_planted_price_index_out_of_range_fails_and_deflates_nothing(data_copy):
    def edit(rows):
        for r in rows:
            if r["indicator_name"].startswith("山西:") and r["year"] == "2000":
                r["index_prev_year_100"] = "170.0"  # inside the dataset's bounds (<200), outside 80-150

    data_copy.edit_csv("fai_price_index_by_province.csv", edit, record_checksum=False)
    update_manifest(data_copy.root)
    f = findings("price_index_range")
    assert [(r.province, int(r.year), r.verdict, r.series) for r in f.itertuples()] == [
        ("Shanxi", 2000, "fails", "fai_price_index")
    ]
    hist = sa.analysis.economy_history(
        "Shanxi", fai=sa.data.fai_growth(), price=sa.data.fai_price_index(), grp=sa.data.grp_real_growth()
    )
    assert hist.loc[hist["year"] == 2000, "real_fai_growth_pct"].isna().all()  # not deflated by a bad index
    assert hist.loc[hist["year"] == 2001, "real_fai_growth_pct"].notna().all()


def _edit_level(data_copy, region_zh: str, year: int, factor: float) -> float:
    old = {}

    def edit(rows):
        for r in rows:
            if r["region_zh"] == region_zh and int(r["year"]) == year:
                old["v"] = float(r["fai_100m_yuan"])
                r["fai_100m_yuan"] = f"{old['v'] * factor:.2f}"

    data_copy.edit_csv("fai_level_by_province.csv", edit, record_checksum=False)
    update_manifest(data_copy.root)
    return old["v"]


def test_planted_level_jump_gets_a_caveat_not_a_flag(data_copy):
    _edit_level(data_copy, "北京", 2013, 1.3)
    f = findings("growth_vs_levels")
    hit = f[(f["province"] == "Beijing") & (f["year"] == 2013)]
    assert len(hit) == 1 and hit["verdict"].iloc[0] == "caveat"
    assert not sa.data.fai_growth().set_index(["province", "year"]).loc[("Beijing", 2013), "flagged"]


def test_planted_ratio_above_grp_gets_a_caveat_that_reaches_the_sentence(data_copy):
    gdp = {(r["region"], int(r["year"])): float(r["gdp_100m_yuan"]) for r in raw_rows("nbs_gdp_by_province.csv")}
    old = _edit_level(data_copy, "北京", 2010, 1.0)
    factor = 2 * gdp[("Beijing", 2010)] / old  # investment twice GRP
    sa.data.clear_cache()
    _edit_level(data_copy, "北京", 2010, factor)
    f = findings("ratio_to_grp")
    hit = f[(f["province"] == "Beijing") & (f["year"] == 2010)]
    assert len(hit) == 1 and hit["verdict"].iloc[0] == "caveat"
    e = sa.analysis.economy(
        "Beijing",
        2010,
        fai=sa.data.fai_growth(),
        level=sa.data.fai_level(),
        gdp=sa.data.gdp(),
        population=sa.data.population_yearend(),
        price=sa.data.fai_price_index(),
        gfcf=sa.data.gfcf(),
        grp=sa.data.grp_real_growth(),
    )
    assert e.share_caveat == hit["note"].iloc[0]
    from shanxi_analysis import present

    # the page says it in its own words, without repeating the share (the note gives it rounded: 200%)
    said = " ".join(present.economy_text(e, sa.data.fai_price_index()))
    assert "Investment can exceed GRP for three reasons" in said and f"{e.share_caveat.split('%')[0]}%" not in said
    assert "Investment can exceed GRP" not in " ".join(present.economy_text(e._replace(share_caveat=None), None))
    # a share the reconciliation puts a caveat on is not the page's headline (Qinghai 2012's "equalled 123.2% of
    # its GRP" was); the same year without the caveat leads with it
    drivers = sa.analysis.drivers(sa.data.fai_growth_by_field(), "Beijing", 2010)
    assert present.economy_lead(e, drivers) != "share"
    assert "of its GRP" not in present.economy_title(e, drivers)
    assert present.economy_lead(e._replace(share_caveat=None), drivers) == "share"


def test_planted_gfcf_jump_gets_a_caveat(data_copy):
    def edit(rows):
        for r in rows:
            if r["indicator_name"].startswith("上海:") and r["year"] == "2005":
                r["gfcf_100m_yuan"] = f"{float(r['gfcf_100m_yuan']) * 2:.2f}"

    data_copy.edit_csv("gfcf_by_province.csv", edit, record_checksum=False)
    update_manifest(data_copy.root)
    f = findings("fai_vs_gfcf")
    hit = f[(f["province"] == "Shanghai") & (f["year"] == 2005)]
    assert len(hit) == 1 and hit["verdict"].iloc[0] == "caveat"


# --------------------------------------------------------------------------------------------- new data
def test_a_new_year_of_shares_is_flagged_without_a_code_edit(data_copy):
    """The add-a-year recipe of CONTRIBUTING, with a column that holds shares (as 1995 does)."""
    rows = raw_rows("nbs_fai_growth_by_province.csv")
    yearbook = raw_rows("nbs_yearbook_fai_growth_by_field.csv")
    new = max(int(r["year"]) for r in rows + yearbook) + 1
    counts: dict[int, int] = {}
    for _, y in gfcf_levels():
        counts[y] = counts.get(y, 0) + 1
    last = max(y for y, n in counts.items() if n == 31)  # the last year with every province's GFCF
    levels = {p: v for (p, y), v in gfcf_levels().items() if y == last}
    total = sum(levels.values())
    names = zh_to_en()
    ids = list(dict.fromkeys((r["indicator_id"], r["indicator_name"]) for r in rows))

    def add(table):
        for iid, name in ids:
            p = names[name.split(":")[0]]
            if p in levels:
                share = levels[p] / total * 97
                table.append(
                    {"indicator_id": iid, "indicator_name": name, "year": str(new), "fai_growth_pct": f"{share:.1f}"}
                )

    data_copy.edit_csv("nbs_fai_growth_by_province.csv", add, record_checksum=False)
    data_copy.edit_csv(
        "fai_growth_scope.csv",
        lambda t: t.append({"first_year": str(new), "last_year": str(new), "scope": "Made-up year of the test."}),
        record_checksum=False,
    )
    update_manifest(data_copy.root)
    f = findings("shares_as_growth")
    assert new in set(f["year"])
    assert_flagged_and_unranked({(p, new) for p in levels}, "shares, not growth")
    fai = sa.data.fai_growth()
    spread = sa.analysis.year_spread(fai, new)
    assert spread.n == 0 and spread.median is None and len(spread.artefacts) == len(levels)


# --------------------------------------------------------------------------------------------- the real data
def test_the_real_data_passes_except_the_recorded_findings():
    """Counts by check, each computed here from the raw files with the thresholds the README documents."""
    sa.data.clear_cache()
    got = sa.data.reconciliation()["check"].value_counts().to_dict()
    growth, gfcf = wind_growth(), gfcf_levels()
    names = zh_to_en()
    breaks = {int(r["year"]) for r in raw_rows("fai_level_breaks.csv")}
    level = {
        (names[r["region_zh"]], int(r["year"])): float(r["fai_100m_yuan"])
        for r in raw_rows("fai_level_by_province.csv")
    }
    gdp = {
        (r["region"], int(r["year"])): float(r["gdp_100m_yuan"])
        for r in raw_rows("nbs_gdp_by_province.csv")
        if r["gdp_100m_yuan"].strip()
    }
    for r in raw_rows("nbs_yearbook_fai_growth_by_field.csv"):
        if r["field"] == "all" and r["region_zh"] != "全国" and r["growth_pct"].strip():
            growth[(names[r["region_zh"]], int(r["year"]))] = float(r["growth_pct"])
    # shares: a column of non-negative values summing to 85-101 (1995 alone: 96.4)
    share_years = {
        y
        for y in {y for (_, y) in growth}
        if all(v >= 0 for (p, z), v in growth.items() if z == y)
        and 85 <= sum(v for (p, z), v in growth.items() if z == y) <= 101
    }
    want = {"shares_as_growth": sum(1 for (_, y) in growth if y in share_years)}
    want["ratio_to_grp"] = sum(1 for k, v in level.items() if k in gdp and v / gdp[k] > 1)
    want["growth_vs_levels"] = sum(
        1
        for (p, y), v in level.items()
        if y not in breaks
        and (p, y - 1) in level
        and (p, y) in growth
        and abs(growth[(p, y)] - (v / level[(p, y - 1)] - 1) * 100) > 10
    )
    want["fai_vs_gfcf"] = sum(
        1
        for (p, y), v in gfcf.items()
        if (p, y - 1) in gfcf and (p, y) in growth and abs(growth[(p, y)] - (v / gfcf[(p, y - 1)] - 1) * 100) > 45
    )
    assert share_years == {1995}
    assert want["shares_as_growth"] == 30
    assert got == {k: v for k, v in want.items() if v}
    # the national figures the checks compare with are real growth: no year's provincial median is far off
    nat = {int(r["year"]): float(r["growth_pct"]) for r in raw_rows("national_fai_growth.csv")}
    for y, n in nat.items():
        values = [v for (p, z), v in growth.items() if z == y and z not in share_years]
        if values:
            assert abs(statistics.median(values) - n) <= 8, y


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_gfcf_growth_is_given_beside_investment_growth(lang):
    """Tibet 2001's investment page gave GFCF's level alone (4.2 billion yuan), which says nothing about a year in
    which FAI grew 75.1%; an editor found GFCF grew about 9.7%.  The page now gives GFCF's change from the year
    before (derived from the two levels, current prices) beside FAI's, computed here from the raw GFCF table; a
    year without the year before's level gives none."""
    from shanxi_analysis import present

    levels = gfcf_levels()
    datasets = dict(
        fai=sa.data.fai_growth(), level=sa.data.fai_level(), gdp=sa.data.gdp(), population=sa.data.population_yearend(),
        price=sa.data.fai_price_index(), gfcf=sa.data.gfcf(), grp=sa.data.grp_real_growth(),
    )  # fmt: skip
    for province, year in (("Tibet", 2001), ("Beijing", 1999), ("Qinghai", 2012)):
        e = sa.analysis.economy(province, year, **datasets)
        want = (levels[(province, year)] / levels[(province, year - 1)] - 1) * 100
        assert e.gfcf_growth == pytest.approx(want)
        text = " ".join(present.economy_text(e, datasets["price"], lang=lang))
        shown = f"{sa.numbers.rounded(want, 1):.1f}%"
        assert {"en": f"up {shown} on {year - 1}", "zh": f"比上年增长{shown}"}[lang] in text, text
    first = min(y for (p, y) in levels if p == "Tibet")
    assert sa.analysis.economy("Tibet", first, **datasets).gfcf_growth is None  # no level the year before
