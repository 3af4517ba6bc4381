"""The province x year grid: --year ranges, --all-years and --plan FILE.yml, all checked before any kernel.

Expected years come from the raw CSV files (conftest.year_range_from_raw), expected provinces from the
raw province table; the command runs in a subprocess on tiny notebooks.  Only one test starts kernels.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import good_notebooks, run_cli, run_main, year_range_from_raw

from shanxi_analysis import publish
from shanxi_analysis.errors import ParameterError, UnknownProvinceError

ROOT = Path(__file__).resolve().parents[1]


def test_year_ranges_lists_and_all():
    lo, hi = year_range_from_raw()
    assert publish.parse_years(f"{lo}-{lo + 3}") == list(range(lo, lo + 4))
    assert publish.parse_years(f"{hi},{lo}") == [hi, lo]
    assert publish.parse_years(["all"]) == list(range(lo, hi + 1))
    assert publish.parse_years([str(hi), f"{hi - 1}-{hi}"]) == [hi, hi - 1]


@pytest.mark.parametrize(
    "spec, said",
    [
        ("2024-2015", "runs backwards"),
        ("twenty", "is not a year"),
        ("1990-1995", "outside the data"),
        ("", "is not a year"),
    ],
)
def test_bad_year_specs_are_refused_with_what_is_accepted(spec, said):
    with pytest.raises(ParameterError) as err:
        publish.parse_years(spec)
    assert said in str(err.value)


def test_grid_from_args_is_every_province_times_every_year():
    lo, hi = year_range_from_raw()
    g = publish.from_args(None, None, all_provinces=True, all_years=True)
    assert len(g.pairs) == 31 * (hi - lo + 1) == len(set(g.pairs))
    with pytest.raises(ParameterError, match="--year or --all-years"):
        publish.from_args(None, ["2020"], all_years=True)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_plan_parts_and_chapters_share_params(tmp_path):
    lo, hi = year_range_from_raw()
    plan = write(
        tmp_path / "p.yml",
        f"""\
title: Coal provinces
article_check: false
parts:
  - caption: coal
    params: {{year: {hi - 1}-{hi}}}
    chapters:
      - province: Shanxi
      - province: [陕西, Inner Mongolia]
  - params: {{province: Hubei, year: {lo}}}
""",
    )
    g = publish.load_plan(plan)
    assert g.article is False and g.title == "Coal provinces"
    assert g.pairs == (
        ("Shanxi", hi - 1),
        ("Shanxi", hi),
        ("Shaanxi", hi - 1),
        ("Inner Mongolia", hi - 1),
        ("Shaanxi", hi),
        ("Inner Mongolia", hi),
        ("Hubei", lo),
    )


@pytest.mark.parametrize(
    "body, said",
    [
        ("parts: [{params: {province: Shanxi, year: 2020, colour: red}}]", "part 1: unknown key 'colour'"),
        ("parts: [{params: {year: 2020}}]", "part 1: missing province"),
        ("parts: [{params: {year: 2020}, chapters: [{province: Shanxi}, {province: Shanxii}]}]", "chapter 2"),
        ("parts: [{params: {province: Shanxi, year: 1900}}]", "outside the data"),
        ("parts: [{params: {province: Shanxi, year: 2020}}\n  - oops: [", "not valid YAML at line"),
        ("sets: []", "non-empty list 'parts'"),
    ],
)
def test_bad_plans_are_named_by_file_part_and_chapter(tmp_path, body, said):
    plan = write(tmp_path / "bad.yml", body)
    with pytest.raises((ParameterError, UnknownProvinceError)) as err:
        publish.load_plan(plan)
    assert said in str(err.value) and str(plan) in str(err.value)


def test_cli_refuses_a_bad_plan_before_any_kernel(tmp_path):
    nbs = good_notebooks(tmp_path / "nbs")
    plan = write(tmp_path / "bad.yml", "parts: [{params: {province: Atlantis, year: 2020}}]")
    out = tmp_path / "out"
    res = run_main("--plan", str(plan), "--notebooks", str(nbs), "--out", str(out))
    assert res.returncode == 2 and "Unknown province 'Atlantis'" in res.stderr and "Traceback" not in res.stderr
    assert not out.exists()
    res = run_main("--plan", str(plan), "--year", "2020", "--notebooks", str(nbs), "--out", str(out))
    assert res.returncode == 2 and "either --plan" in res.stderr


@pytest.mark.e2e
def test_cli_builds_a_plan_and_a_year_range(tmp_path):
    lo, hi = year_range_from_raw()
    nbs = good_notebooks(tmp_path / "nbs")
    out = tmp_path / "out"
    plan = write(tmp_path / "p.yml", f"parts: [{{params: {{province: Hubei, year: {hi - 1}-{hi}}}}}]")
    res = run_cli("--plan", str(plan), "--notebooks", str(nbs), "--out", str(out))
    assert res.returncode == 0, res.stderr
    built = sorted(p.parent.relative_to(out).as_posix() for p in out.glob("*/*/build.json"))
    assert built == [f"{hi - 1}/hubei", f"{hi}/hubei"]
    rec = json.loads((out / str(hi) / "hubei" / "build.json").read_text())
    assert rec["parameters"] == {"province": "Hubei", "year": hi}
