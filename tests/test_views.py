"""The parts of a dataset a page declares it reads (``sa.analysis.view_key``) and what the kernel answers after a
notebook (``publish.incremental.session_inputs``): a corrected value rebuilds a page only if it is in one of the
page's parts, and the declarations of the story notebooks hold (a panel changed everywhere outside a page's parts
gives the same page, byte for byte)."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd
import pytest

import shanxi_analysis as sa
from shanxi_analysis import publish
from shanxi_analysis.errors import DataError
from shanxi_analysis.publish import incremental

ROOT = Path(__file__).resolve().parents[1]
STORY_READS = {"fai_growth": ["province", "year", "usable", "region", "medians"]}


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return {"fai_growth": sa.data.fai_growth(), "provinces": sa.data.provinces()}


def _keys(frames: dict[str, pd.DataFrame], province: str, year: int) -> dict[str, str]:
    names = sa.analysis.view_names(STORY_READS, province, year)
    return {n: sa.analysis.view_key(n, frames) for n in names}


def _with(frames: dict[str, pd.DataFrame], fai: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {**frames, "fai_growth": fai}


def _set_value(fai: pd.DataFrame, province: str, year: int, delta: float) -> pd.DataFrame:
    out = fai.copy()
    out.attrs = dict(fai.attrs)
    at = (out["province"] == province) & (out["year"] == year)
    assert at.sum() == 1 and out.loc[at, "fai_growth_pct"].notna().all()
    out.loc[at, "fai_growth_pct"] += delta
    return out


def test_view_names_follow_the_declaration_and_the_parameters():
    names = sa.analysis.view_names(STORY_READS, "山西", 2020)
    assert names == [
        "fai_growth[province=Shanxi]",
        "fai_growth[year=2020]",
        "fai_growth[usable]",
        "fai_growth[region=Shanxi]",
        "fai_growth[medians]",
    ]
    assert sa.analysis.describe_view(names[1]) == "fai_growth (the rows of 2020, every province)"
    with pytest.raises(DataError, match="gdp"):
        sa.analysis.view_names({"gdp": ["year"]}, "Shanxi", 2020)
    with pytest.raises(DataError, match="'city'.*province, year, usable, region, medians"):
        sa.analysis.view_names({"fai_growth": ["city"]}, "Shanxi", 2020)
    with pytest.raises(DataError, match="not a part"):
        sa.analysis.view_key("fai_growth[city=Taiyuan]", {})


def test_a_corrected_value_changes_the_parts_it_is_in_and_no_other(frames):
    before = _keys(frames, "Shanxi", 2016)
    hubei_2020 = _with(frames, _set_value(frames["fai_growth"], "Hubei", 2020, 0.1))
    assert _keys(hubei_2020, "Shanxi", 2016) == before  # neither Shanxi's, nor 2016's, nor Shanxi's region's
    assert _keys(hubei_2020, "Hubei", 2016) != _keys(frames, "Hubei", 2016)  # Hubei's rows
    changed = {n for n, k in _keys(hubei_2020, "Shanxi", 2020).items() if k != _keys(frames, "Shanxi", 2020)[n]}
    assert changed == {"fai_growth[year=2020]"}
    # Shanxi's own value in another year: its rows and (moving it above or below its region) its record
    shanxi = _with(frames, _set_value(frames["fai_growth"], "Shanxi", 2005, 30.0))
    changed = {n for n, k in _keys(shanxi, "Shanxi", 2016).items() if k != before[n]}
    assert changed == {"fai_growth[province=Shanxi]", "fai_growth[region=Shanxi]"}


def test_a_corrected_median_changes_the_medians_part(frames):
    """00 says how often the median province outgrew China (every year's median: the ``medians`` part); a corrected
    value that moves a year's median changes that part for every page, one that does not (Hubei's 2020, the
    lowest) leaves it."""
    fai = frames["fai_growth"]
    usable = fai[~sa.analysis.is_flagged(fai) & fai["fai_growth_pct"].notna() & (fai["year"] == 2016)]
    middle = usable.sort_values("fai_growth_pct").iloc[len(usable) // 2]["province"]  # the 2016 median province
    before = _keys(frames, "Shanxi", 2020)
    moved = _keys(_with(frames, _set_value(fai, middle, 2016, 5.0)), "Shanxi", 2020)
    assert {n for n, k in moved.items() if k != before[n]} >= {"fai_growth[medians]"}
    lowest = _keys(_with(frames, _set_value(fai, "Hubei", 2020, 0.1)), "Shanxi", 2016)
    assert lowest["fai_growth[medians]"] == _keys(frames, "Shanxi", 2016)["fai_growth[medians]"]


def test_a_flag_changes_the_usable_part_and_a_source_checksum_does_not(frames):
    fai = frames["fai_growth"].copy()
    fai.attrs = json.loads(json.dumps(frames["fai_growth"].attrs, default=str))
    at = (fai["province"] == "Hubei") & (fai["year"] == 2005)
    fai.loc[at, "flagged"] = True
    before = _keys(frames, "Shanxi", 2016)
    usable = frames["fai_growth"][~sa.analysis.is_flagged(frames["fai_growth"])]
    in_2005 = usable[(usable["year"] == 2005) & usable["fai_growth_pct"].notna()]
    moved = in_2005["fai_growth_pct"].median() != in_2005[in_2005["province"] != "Hubei"]["fai_growth_pct"].median()
    changed = {n for n, k in _keys(_with(frames, fai), "Shanxi", 2016).items() if k != before[n]}
    assert changed == {"fai_growth[usable]"} | ({"fai_growth[medians]"} if moved else set())
    resum = frames["fai_growth"].copy()
    resum.attrs = json.loads(json.dumps(frames["fai_growth"].attrs, default=str))
    for source in resum.attrs["sources"]:
        source["sha256"] = "0" * 64
    assert _keys(_with(frames, resum), "Shanxi", 2016) == before
    resum.attrs["sources"][0]["title"] += " (revised)"  # the words a page cites
    assert all(k != before[n] for n, k in _keys(_with(frames, resum), "Shanxi", 2016).items())


def test_the_kernel_answers_with_the_declared_parts_and_the_files_read_otherwise():
    sa.data.forget_session_reads()
    sa.data.fai_growth()
    sa.data.gdp()
    sa.data.normalize("山西")
    answer = incremental.session_inputs({"fai_growth": ["province", "year"]}, "Shanxi", 2020)
    sa.data.forget_session_reads()
    assert set(answer["views"]) == {"fai_growth[province=Shanxi]", "fai_growth[year=2020]"}
    assert "nbs_fai_growth_by_province" in answer["files"]  # every file read is still recorded
    assert "nbs_fai_growth_by_province" not in answer["watched"]  # but only read through fai_growth's parts
    assert {"nbs_gdp_by_province", "provinces", "province_aliases"} <= set(answer["watched"])
    # the same raw file read through a dataset that is not declared is watched
    sa.data.reconciliation()
    answer = incremental.session_inputs({"fai_growth": ["province"]}, "Shanxi", 2020)
    sa.data.forget_session_reads()
    assert "nbs_fai_growth_by_province" in answer["watched"] and answer["views"] == {}  # fai_growth was not read


def test_a_kernel_computes_a_part_once_per_version_of_its_files(monkeypatch):
    computed: list[str] = []
    real = sa.analysis.view_key
    monkeypatch.setattr(sa.analysis, "view_key", lambda name, frames: computed.append(name) or real(name, frames))
    monkeypatch.setattr(incremental, "_VIEW_MEMO", {})

    def ask() -> dict[str, str]:
        sa.data.forget_session_reads()
        sa.data.fai_growth()
        answer = incremental.session_inputs({"fai_growth": ["year"]}, "Shanxi", 2020)["views"]
        sa.data.forget_session_reads()
        return answer

    first = ask()
    assert ask() == first and computed == ["fai_growth[year=2020]"]  # the second notebook asks again: remembered
    key = sa.data.resource_key
    monkeypatch.setattr(sa.data, "resource_key", lambda name: key(name) + ("x" if name == "fai_growth_scope" else ""))
    assert ask() == first and len(computed) == 2  # a file behind the dataset changed: computed again


def test_a_record_with_parts_reruns_on_a_changed_part_or_watched_file_only():
    sa.data.forget_session_reads()
    sa.data.fai_growth()
    sa.data.normalize("Shanxi")
    answer = incremental.session_inputs({"fai_growth": ["province", "year"]}, "Shanxi", 2020)
    sa.data.forget_session_reads()
    files = answer["files"]
    views = {"views": answer["views"], "watched": answer["watched"]}
    assert incremental.data_changes(files, views) == []
    stale_file = {**files, "nbs_fai_growth_by_province": "0:0"}
    assert incremental.data_changes(stale_file, views) == []  # read only through its parts
    assert incremental.data_changes(stale_file) == ["nbs_fai_growth_by_province"]  # recorded without parts
    assert incremental.data_changes({**files, "provinces": "0:0"}, views) == ["provinces"]
    stale_part = {**views, "views": {**views["views"], "fai_growth[year=2020]": "0"}}
    assert incremental.data_changes(files, stale_part) == ["fai_growth (the rows of 2020, every province)"]


def test_two_languages_record_the_parts_only_when_both_runs_did():
    en = {
        publish.INPUTS_KEY: {"a": "1", "b": "2"},
        publish.VIEWS_KEY: {"views": {"fai_growth[usable]": "k"}, "watched": ["a"]},
    }
    zh = {publish.INPUTS_KEY: {"c": "3"}, publish.VIEWS_KEY: {"views": {}, "watched": ["c", "a"]}}
    merged = incremental.merged_inputs(en, zh)
    assert merged[publish.INPUTS_KEY] == {"a": "1", "b": "2", "c": "3"}
    assert merged[publish.VIEWS_KEY] == {"views": {"fai_growth[usable]": "k"}, "watched": ["a", "c"]}
    old = {publish.INPUTS_KEY: {"a": "1"}}  # recorded before parts were
    assert publish.VIEWS_KEY not in incremental.merged_inputs(old, zh)
    assert incremental.merged_inputs(None, zh)[publish.VIEWS_KEY] == zh[publish.VIEWS_KEY]


# ------------------------------------------------------------------ the story notebooks' declarations hold
def _outside(fai: pd.DataFrame, province: str, year: int, step: float) -> pd.DataFrame:
    """``fai`` with the figures outside the parts of (province, year) moved by ``step`` away from the province's
    figure of its year and from the year's median (above both up, below both down; those between them, the middle
    figures included, stay): every rank, every flag, every year's median and the province's standing against its
    region's median stay as they were."""
    out = fai.copy()
    out.attrs = fai.attrs
    mine = fai[fai["province"] == province].set_index("year")["fai_growth_pct"]
    usable = fai[~sa.analysis.is_flagged(fai) & fai["fai_growth_pct"].notna()]
    ordered = usable.groupby("year")["fai_growth_pct"].agg(lambda v: sorted(v))
    lo = fai["year"].map(ordered.map(lambda v: v[(len(v) - 1) // 2]))  # the middle figures of each year
    hi = fai["year"].map(ordered.map(lambda v: v[len(v) // 2]))
    own = fai["year"].map(mine)
    top = pd.concat([own, hi], axis=1).max(axis=1)  # a year without the province's figure: the middle alone
    bottom = pd.concat([own, lo], axis=1).min(axis=1)
    outside = (fai["province"] != province) & (fai["year"] != year) & fai["fai_growth_pct"].notna()
    up, down = outside & (fai["fai_growth_pct"] > top), outside & (fai["fai_growth_pct"] < bottom)
    out.loc[up, "fai_growth_pct"] = fai.loc[up, "fai_growth_pct"] + step
    out.loc[down, "fai_growth_pct"] = fai.loc[down, "fai_growth_pct"] - step
    return out


def _swapped(fai: pd.DataFrame, province: str, year: int, provinces: pd.DataFrame) -> pd.DataFrame:
    """``fai`` with the figures (and ranks) of pairs of provinces swapped in every year but ``year``: provinces
    outside the province's region, both with a usable figure on the same side of the province's (or any, in a year
    it has none). Which province had which figure changes across the panel; the province's rows, its year, every
    flag and its region's record stay as they were."""
    out = fai.copy()
    out.attrs = fai.attrs
    region = provinces.set_index("name_en")["region"]
    own = fai[fai["province"] == province].set_index("year")["fai_growth_pct"]
    usable = fai["fai_growth_pct"].notna() & ~sa.analysis.is_flagged(fai)
    others = usable & (fai["year"] != year) & (fai["province"].map(region) != region[province])
    for y, rows in fai[others].groupby("year"):
        mine = own.get(y)
        sides = [rows] if pd.isna(mine) else [rows[rows["fai_growth_pct"] > mine], rows[rows["fai_growth_pct"] < mine]]
        for side in sides:
            idx = list(side.sort_values("fai_growth_pct").index)
            for a, b in zip(idx[0::2], idx[1::2], strict=False):
                out.loc[[a, b], ["fai_growth_pct", "rank"]] = fai.loc[[b, a], ["fai_growth_pct", "rank"]].to_numpy()
    return out


@pytest.fixture(scope="module")
def story_pages():
    """Run the story notebooks' cells in one IPython shell (bench/profile_charts.py) for some sets, with the FAI
    panel as published and with it moved outside each set's parts; each run's displayed outputs."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import profile_charts
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from shanxi_analysis import data

    loader = data.fai_growth
    published = loader()

    def pages(province: str, year: int, lang: str, fai: pd.DataFrame) -> list[str]:
        """Every output of every cell, as a kernel sends it: what the cell displays and the value it ends with."""
        shell = profile_charts.Shell()
        seen: list[str] = []

        def run(code: str, where: str) -> None:
            start = len(shell.outputs)
            with contextlib.redirect_stdout(io.StringIO()):
                result = shell.shell.run_cell(code, store_history=False, silent=False)
            assert result.success, f"{where}: {result.error_in_exec or result.error_before_exec!r}"
            shown = [d for d, _ in shell.outputs[start:]]
            if result.result is not None:
                shown.append(shell.shell.display_formatter.format(result.result)[0])
            seen.extend(f"{where}: " + json.dumps(d, sort_keys=True, default=str) for d in shown)

        def served() -> pd.DataFrame:
            out = fai.copy(deep=True)
            out.attrs = dict(fai.attrs)
            return out

        plt.close("all")  # the inline backend shows every open figure after a cell: none left by other tests
        data.fai_growth = served
        try:
            declared = _story_reads()
            for nb in profile_charts.story_notebooks():
                if declared.get(nb.stem) != STORY_READS:
                    continue  # claims nothing this comparison checks
                for i, code in enumerate(profile_charts.code_cells(nb)):
                    if i == 1:
                        run(f"province = {province!r}\nyear = {year}\nlang = {lang!r}", "parameters")
                    run(code, f"{province} {year} {nb.name} cell {i}")
            return seen
        finally:
            data.fai_growth = loader
            del shell.outputs[:]

    return published, pages


@pytest.mark.notebooks
@pytest.mark.parametrize("change", ["moved", "swapped"])
@pytest.mark.parametrize(
    ("province", "year", "lang"),
    [("Shanxi", 2020, "en"), ("Hebei", 2016, "zh"), ("Chongqing", 1995, "en"), ("Tibet", 2008, "en")],
)
def test_a_story_page_is_the_same_when_the_figures_outside_its_parts_change(story_pages, province, year, lang, change):
    published, pages = story_pages
    frames = {"fai_growth": published, "provinces": sa.data.provinces()}
    if change == "moved":
        moved = _outside(published, province, year, 1.0)
        assert (moved["fai_growth_pct"] != published["fai_growth_pct"]).sum() > 500  # most of the panel moved
    else:
        moved = _swapped(published, province, year, frames["provinces"])
        assert (moved["fai_growth_pct"] != published["fai_growth_pct"]).sum() > 300  # who had what, in most years
    names = sa.analysis.view_names(STORY_READS, province, year)
    assert {n: sa.analysis.view_key(n, frames) for n in names} == {
        n: sa.analysis.view_key(n, _with(frames, moved)) for n in names
    }  # the change is outside every part
    _same(pages(province, year, lang, moved), pages(province, year, lang, published))


def _same(got: list[str], expected: list[str]) -> None:
    """Equal lists of outputs; if not, the first that differs (its notebook and cell), shortened."""
    for a, b in zip(got, expected, strict=False):
        if a != b:
            at = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
            raise AssertionError(f"first difference at {b.split(': ', 1)[0]}: ...{a[at - 80 : at + 160]!r} against "
                                 f"...{b[at - 80 : at + 160]!r}")  # fmt: skip
    assert len(got) == len(expected), (got[len(expected) :], expected[len(got) :])


@pytest.mark.notebooks
def test_the_comparison_sees_a_change_inside_a_part(story_pages):
    published, pages = story_pages
    inside = _set_value(published, "Hubei", 2020, 0.3)  # in the rows of 2020: Shanxi 2020's bars and map
    assert pages("Shanxi", 2020, "en", inside) != pages("Shanxi", 2020, "en", published)


def _story_reads() -> dict[str, dict[str, list[str]]]:
    """Each story notebook's declaration (its metadata's ``shanxi_analysis.reads``)."""
    out = {}
    for nb in publish.find_notebooks(ROOT / "notebooks"):
        if publish.notebook_kind(nb) == "province":
            meta = json.loads(nb.read_text(encoding="utf-8"))["metadata"]["shanxi_analysis"]
            out[nb.stem] = meta.get("reads", {})
    return out


def test_a_story_notebook_declares_the_parts_the_comparison_keeps_or_none():
    """The comparison above keeps the four parts of STORY_READS and runs the notebooks that declare them: a
    notebook declaring fewer could depend on one it left out, unchecked. Today all five declare them."""
    reads = _story_reads()
    assert all(r in ({}, STORY_READS) for r in reads.values()), reads
    assert sorted(stem for stem, r in reads.items() if r) == [
        "00-overview",
        "01-investment-growth",
        "02-year-in-detail",
        "06-peers",
        "07-investment-and-economy",
    ]
