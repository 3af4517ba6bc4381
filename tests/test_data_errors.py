"""Every way a raw file can be wrong fails loudly, with a message that names the file and says what to do.

Each test tampers with a private copy of ``data/`` (the ``data_copy`` fixture in conftest.py) and checks the
message, not just the exception type.
"""

from __future__ import annotations

import csv
import re

import pytest

import shanxi_analysis as sa
from shanxi_analysis.errors import DataError


def _is(row: dict, zh: str, year: int) -> bool:
    return row["indicator_name"].startswith(zh + ":") and row["year"] == str(year)


def _set_fai(zh: str, year: int, value: str):
    """A change for edit_csv setting one growth cell of nbs_fai_growth_by_province.csv."""

    def change(rows):
        hits = [r for r in rows if _is(r, zh, year)]
        assert len(hits) == 1
        hits[0]["fai_growth_pct"] = value

    return change


def _line_of(data_copy, name: str, pred) -> int:
    """1-based line number in the raw file (header = line 1) of the single row matching ``pred``."""
    with open(data_copy.raw / name, encoding="utf-8", newline="") as fh:
        lines = [i for i, r in enumerate(csv.DictReader(fh), start=2) if pred(r)]
    assert len(lines) == 1
    return lines[0]


# --------------------------------------------------------------------------------------------- columns
def test_renamed_column(data_copy):
    data_copy.edit_csv(
        "nbs_fai_growth_by_province.csv",
        lambda rows: [{("growth" if k == "fai_growth_pct" else k): v for k, v in r.items()} for r in rows],
    )
    with pytest.raises(DataError) as info:
        sa.data.fai_growth()
    msg = str(info.value)
    assert "data/raw/nbs_fai_growth_by_province.csv" in msg
    assert "missing column(s) fai_growth_pct" in msg
    assert "unexpected column(s) growth" in msg
    assert "Rename the columns back" in msg


def test_missing_column(data_copy):
    data_copy.edit_csv(
        "census2020_population.csv", lambda rows: [{k: v for k, v in r.items() if k != "share_pct_2010"} for r in rows]
    )
    with pytest.raises(DataError) as info:
        sa.data.population()
    msg = str(info.value)
    assert "data/raw/census2020_population.csv" in msg
    assert "missing column(s) share_pct_2010" in msg
    assert "unexpected" not in msg
    assert "datapackage.json" in msg and "Rename the columns back" in msg


def test_columns_in_another_order(data_copy):
    data_copy.edit_csv(
        "nbs_gdp_by_province.csv",
        lambda rows: [{"year": r["year"], "region": r["region"], "gdp_100m_yuan": r["gdp_100m_yuan"]} for r in rows],
    )
    with pytest.raises(DataError, match=r"data/raw/nbs_gdp_by_province\.csv: columns in a different order"):
        sa.data.gdp()


# --------------------------------------------------------------------------------------------- values
def test_non_numeric_value_reported_with_line_and_column(data_copy):
    name = "nbs_fai_growth_by_province.csv"
    data_copy.edit_csv(name, _set_fai("山西", 2020, "n/a"))
    line = _line_of(data_copy, name, lambda r: _is(r, "山西", 2020))
    with pytest.raises(DataError) as info:
        sa.data.fai_growth()
    msg = str(info.value)
    assert f"data/raw/{name}" in msg
    assert f"line {line}, column fai_growth_pct: 'n/a' is not a valid number" in msg
    assert "1 value(s) cannot be read" in msg
    assert "Correct the file" in msg and "empty means not published" in msg


def test_every_unreadable_cell_is_reported_at_once(data_copy):
    name = "nbs_fai_growth_by_province.csv"

    def change(rows):
        _set_fai("山西", 2020, "n/a")(rows)
        _set_fai("北京", 2001, "1,5")(rows)
        _set_fai("新疆", 2018, "12%")(rows)

    data_copy.edit_csv(name, change)
    lines = [
        _line_of(data_copy, name, lambda r, zh=zh, y=y: _is(r, zh, y))
        for zh, y in (("山西", 2020), ("北京", 2001), ("新疆", 2018))
    ]
    with pytest.raises(DataError) as info:
        sa.data.fai_growth()
    msg = str(info.value)
    assert "3 value(s) cannot be read" in msg
    for line, bad in zip(lines, ("'n/a'", "'1,5'", "'12%'"), strict=True):
        assert f"line {line}, column fai_growth_pct: {bad}" in msg


def test_row_with_too_few_cells(data_copy):
    name = "provincial_fai_crosschecks.csv"
    text = (data_copy.raw / name).read_text(encoding="utf-8")
    data_copy.write_text(name, text.rstrip("\n") + "\nShanxi,2019\n")
    n_lines = len(text.rstrip("\n").splitlines()) + 1
    with pytest.raises(DataError, match=rf"data/raw/{re.escape(name)}: .*line {n_lines}: 2 cells, expected 5"):
        sa.data.fai_crosschecks()


def test_duplicate_province_year(data_copy):
    def dup(rows):
        row = next(r for r in rows if _is(r, "山西", 2020))
        rows.append(dict(row, fai_growth_pct="11.0"))

    data_copy.edit_csv("nbs_fai_growth_by_province.csv", dup)
    with pytest.raises(DataError) as info:
        sa.data.fai_growth()
    msg = str(info.value)
    assert "data/raw/nbs_fai_growth_by_province.csv" in msg
    assert "uniqueness" in msg
    assert "province='Shanxi'" in msg and "2020" in msg
    assert "Correct the raw file" in msg


def test_unknown_province_in_a_raw_file(data_copy):
    def rename(rows):
        for r in rows:
            if r["indicator_name"].startswith("山东:"):
                r["indicator_name"] = "山东西:固定资产投资完成额:同比"

    data_copy.edit_csv("nbs_fai_growth_by_province.csv", rename)
    with pytest.raises(DataError) as info:
        sa.data.fai_growth()
    msg = str(info.value)
    assert "data/raw/nbs_fai_growth_by_province.csv" in msg
    assert "column indicator_name" in msg
    assert "'山东西'" in msg
    assert "Correct the name in the raw file" in msg and "data/raw/province_aliases.csv" in msg


def test_unknown_province_names_are_reported_together_with_suggestions(data_copy):
    def rename(rows):
        for r in rows:
            r["region"] = {"Shanxi": "Shanxii", "Sichuan": "Sichuna"}.get(r["region"], r["region"])

    data_copy.edit_csv("nbs_gdp_by_province.csv", rename)
    with pytest.raises(DataError) as info:
        sa.data.gdp()
    msg = str(info.value)
    assert "data/raw/nbs_gdp_by_province.csv" in msg and "column region" in msg
    assert re.search(r"'Shanxii'\. Did you mean Shanxi, Shaanxi", msg)
    assert re.search(r"'Sichuna'\. Did you mean Sichuan", msg)


def test_out_of_range_growth_caught_by_the_schema(data_copy):
    data_copy.edit_csv("nbs_fai_growth_by_province.csv", _set_fai("山西", 2020, "5000"))
    with pytest.raises(DataError) as info:
        sa.data.fai_growth()
    msg = str(info.value)
    assert msg.startswith("FaiGrowth built from data/raw/nbs_fai_growth_by_province.csv")
    assert "column fai_growth_pct" in msg and "less_than_or_equal_to(1000)" in msg
    assert "province='Shanxi'" in msg and "(value 5000.0)" in msg
    assert "Correct the raw file(s) named above" in msg


def test_unknown_region_caught_by_the_schema(data_copy):
    def change(rows):
        next(r for r in rows if r["name_en"] == "Shanxi")["region"] = "Middle"

    data_copy.edit_csv("provinces.csv", change)
    with pytest.raises(DataError) as info:
        sa.data.provinces()
    msg = str(info.value)
    assert "data/raw/provinces.csv" in msg
    assert "column region" in msg and "isin" in msg
    assert "name_en='Shanxi'" in msg and "'Middle'" in msg


def test_a_division_said_to_be_formerly_part_of_an_unknown_one_is_caught(data_copy):
    def change(rows):
        row = next(r for r in rows if r["name_en"] == "Chongqing")
        row["formerly_part_of"] = "Szechwan"  # a spelling, not a division's name in the table

    data_copy.edit_csv("provinces.csv", change)
    with pytest.raises(DataError) as info:
        sa.data.provinces()
    msg = str(info.value)
    assert "data/raw/provinces.csv" in msg and "formerly_part_of_a_division_named_here" in msg
    assert "name_en='Chongqing'" in msg


def test_a_division_set_up_without_saying_what_it_was_part_of_is_caught(data_copy):
    def change(rows):
        next(r for r in rows if r["name_en"] == "Chongqing")["formerly_part_of"] = ""

    data_copy.edit_csv("provinces.csv", change)
    with pytest.raises(DataError, match="formerly_part_of_a_division_named_here"):
        sa.data.provinces()


def test_negative_gdp_caught_by_the_schema(data_copy):
    def change(rows):
        next(r for r in rows if r["region"] == "Shanxi" and r["year"] == "2020")["gdp_100m_yuan"] = "-17835.6"

    data_copy.edit_csv("nbs_gdp_by_province.csv", change)
    with pytest.raises(DataError) as info:
        sa.data.gdp()
    msg = str(info.value)
    assert "data/raw/nbs_gdp_by_province.csv" in msg
    assert "column gdp_100m_yuan" in msg and "greater_than(0)" in msg
    assert "province='Shanxi'" in msg and "vintage='revised'" in msg and "-17835.6" in msg


def test_several_problems_reported_together(data_copy):
    """Lazy validation: both bad values in one error, each with its row."""

    def change(rows):
        _set_fai("山西", 2020, "5000")(rows)
        _set_fai("北京", 2019, "-500")(rows)

    data_copy.edit_csv("nbs_fai_growth_by_province.csv", change)
    with pytest.raises(DataError) as info:
        sa.data.fai_growth()
    msg = str(info.value)
    assert "(2 problem(s))" in msg
    assert re.search(r"province='Shanxi', year=\S*2020\S* \(value 5000\.0\)", msg)
    assert re.search(r"province='Beijing', year=\S*2019\S* \(value -500\.0\)", msg)


def test_schema_messages_show_plain_key_values(data_copy):
    data_copy.edit_csv("nbs_fai_growth_by_province.csv", _set_fai("山西", 2020, "5000"))
    with pytest.raises(DataError) as info:
        sa.data.fai_growth()
    assert "province='Shanxi', year=2020 (value 5000.0)" in str(info.value)


def test_unmarked_gap_in_the_monthly_table(data_copy):
    def change(rows):
        row = next(r for r in rows if r["region"] == "Shanxi" and r["end_month"] == "2")
        assert row["cum_growth_pct"] == ""
        row["status"] = "published"

    data_copy.edit_csv("fai_2020_monthly_cumulative.csv", change)
    with pytest.raises(DataError) as info:
        sa.data.fai_monthly_2020()
    msg = str(info.value)
    assert "data/raw/fai_2020_monthly_cumulative.csv" in msg
    assert "gaps_are_marked" in msg and "region='Shanxi', period='2020-01..02'" in msg


def test_year_without_a_scope_note(data_copy):
    data_copy.edit_csv("fai_growth_scope.csv", lambda rows: [r for r in rows if r["first_year"] != "2018"])
    with pytest.raises(DataError) as info:
        sa.data.fai_growth()
    msg = str(info.value)
    assert "data/raw/fai_growth_scope.csv" in msg
    assert all(str(y) in msg for y in range(2018, 2023))
    assert "add a row" in msg


def test_population_total_mismatch(data_copy):
    name = "census2020_population.csv"
    with open(data_copy.raw / name, encoding="utf-8", newline="") as fh:
        raw = list(csv.DictReader(fh))
    provs = sum(int(r["population"]) for r in raw if r["kind"] == "province")
    military = sum(int(r["population"]) for r in raw if r["kind"] == "military")
    national = next(int(r["population"]) for r in raw if r["kind"] == "national")

    def change(rows):
        row = next(r for r in rows if r["name_zh"] == "山西")
        row["population"] = str(int(row["population"]) + 1000)

    data_copy.edit_csv(name, change)
    with pytest.raises(DataError) as info:
        sa.data.population()
    msg = str(info.value)
    assert f"data/raw/{name}" in msg
    assert f"sum to {provs + military + 1000:,}, not the national total {national:,}" in msg
    assert "compare the file with the census communiqué" in msg


# --------------------------------------------------------------------------------------------- files
def test_missing_raw_file(data_copy):
    (data_copy.raw / "nbs_gdp_by_province.csv").unlink()
    with pytest.raises(DataError) as info:
        sa.data.gdp()
    msg = str(info.value)
    assert "Raw data file data/raw/nbs_gdp_by_province.csv is missing" in msg
    assert str(data_copy.raw / "nbs_gdp_by_province.csv") in msg
    assert "git checkout -- data/raw/nbs_gdp_by_province.csv" in msg


def test_missing_province_table_fails_province_lookup(data_copy):
    (data_copy.raw / "provinces.csv").unlink()
    with pytest.raises(DataError, match=r"data/raw/provinces\.csv is missing"):
        sa.data.normalize("Shanxi")


def test_missing_manifest(data_copy):
    (data_copy.root / "datapackage.json").unlink()
    sa.data.clear_cache()
    with pytest.raises(DataError, match=r"manifest .*datapackage\.json is missing.*git checkout"):
        sa.data.article_claims()


def test_checksum_mismatch(data_copy):
    sa.data.fai_growth()  # fills the memory and disk caches from the untouched copy
    data_copy.edit_csv("nbs_fai_growth_by_province.csv", _set_fai("山西", 2020, "10.7"), record_checksum=False)
    sa.data.clear_cache()
    with pytest.raises(DataError) as info:
        sa.data.fai_growth()
    msg = str(info.value)
    assert "Checksum mismatch for data/raw/nbs_fai_growth_by_province.csv" in msg
    assert "scripts/update_manifest.py" in msg
    assert "git checkout -- data/raw/nbs_fai_growth_by_province.csv" in msg


def test_recorded_edit_is_picked_up_not_served_from_cache(data_copy):
    before = sa.data.fai_growth()
    sx = before[(before["province"] == "Shanxi") & (before["year"] == 2020)].iloc[0]
    assert sx["rank"] != 1
    data_copy.edit_csv("nbs_fai_growth_by_province.csv", _set_fai("山西", 2020, "99.9"), record_checksum=True)
    after = sa.data.fai_growth()
    sx = after[(after["province"] == "Shanxi") & (after["year"] == 2020)].iloc[0]
    assert sx["fai_growth_pct"] == 99.9
    assert sx["rank"] == 1


def test_refresh_manifest_records_a_deliberate_edit(data_copy):
    with open(data_copy.raw / "provincial_fai_crosschecks.csv", encoding="utf-8", newline="") as fh:
        n = len(list(csv.DictReader(fh)))
    data_copy.edit_csv("provincial_fai_crosschecks.csv", lambda rows: rows[:-1], record_checksum=False)
    sa.data.clear_cache()
    with pytest.raises(DataError, match="Checksum mismatch"):
        sa.data.fai_crosschecks()
    with pytest.raises(DataError, match=rf"raw/provincial_fai_crosschecks\.csv: {n} -> {n - 1} rows"):
        list(sa.data.refresh_manifest(data_copy.root))  # a new checksum alone does not hide a lost row
    changed = dict(sa.data.refresh_manifest(data_copy.root, accept_shape=True))
    assert changed["provincial_fai_crosschecks"] is True
    assert sum(changed.values()) == 1
    sa.data.clear_cache()
    with open(data_copy.raw / "provincial_fai_crosschecks.csv", encoding="utf-8", newline="") as fh:
        assert len(sa.data.fai_crosschecks()) == len(list(csv.DictReader(fh)))


def test_refresh_manifest_refuses_a_renamed_header(data_copy):
    data_copy.edit_csv(
        "nbs_fai_growth_by_province.csv",
        lambda rows: [{("growth" if k == "fai_growth_pct" else k): v for k, v in r.items()} for r in rows],
        record_checksum=False,
    )
    with pytest.raises(DataError) as info:
        list(sa.data.refresh_manifest(data_copy.root))
    msg = str(info.value)
    assert "raw/nbs_fai_growth_by_province.csv" in msg and "growth" in msg
    assert "edit the schema in data/datapackage.json first" in msg


def test_invalid_geojson(data_copy):
    data_copy.write_text("province_shapes.geojson", '{"type": "FeatureCollection", "features": [')
    with pytest.raises(DataError, match=r"province_shapes\.geojson is not valid GeoJSON.*build_province_shapes"):
        sa.data.province_shapes()
