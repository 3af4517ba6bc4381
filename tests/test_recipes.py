"""The recipes of CONTRIBUTING.md, each followed step by step in a temporary copy (issue 12).

Every made-up figure here lives only in the test's temporary copy of ``data/`` (the ``data_copy`` fixture points
the package at it through ``SHANXI_ANALYSIS_DATA_DIR``); nothing under the project's ``data/`` is touched.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pandera.pandas as pa
import pytest
from conftest import ROOT, run_cli
from pandera.typing import Series

import shanxi_analysis as sa
from shanxi_analysis.data import cache
from shanxi_analysis.errors import DataError
from shanxi_analysis.present import read_glued

GUARD = 900  # seconds: a harness guard against a hung build, never an assertion


def update_manifest(data_dir: Path) -> None:
    """The recipes' documented command, ``scripts/update_manifest.py --accept-shape DATA_DIR``, run in this process
    on the copy (the script in its own process is tested in test_trust.py)."""
    spec = importlib.util.spec_from_file_location("update_manifest", ROOT / "scripts" / "update_manifest.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["update_manifest.py", "--accept-shape", str(data_dir)]) == 0
    sa.data.clear_cache()


def report_cli(*args: str, data_dir: Path, timeout: float = GUARD) -> subprocess.CompletedProcess:
    return run_cli(*args, env={"SHANXI_ANALYSIS_DATA_DIR": str(data_dir)}, timeout=timeout)


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------------------------- add a dataset
WIDGETS_CSV = "province,year,widgets\n山西,2020,12\nHubei,2020,7\nShanxi,2021,15\n"


def test_recipe_add_a_dataset(data_copy, monkeypatch):
    import shanxi_analysis as sa
    from shanxi_analysis.data import models

    # 1. the raw CSV in data/raw/
    (data_copy.raw / "made_up_widgets.csv").write_text(WIDGETS_CSV, encoding="utf-8")
    # 2. its manifest entry, then the documented command records checksum, rows and key coverage
    pkg_path = data_copy.root / "datapackage.json"
    pkg = json.loads(pkg_path.read_text(encoding="utf-8"))
    pkg["resources"].append(
        {
            "name": "made_up_widgets",
            "path": "raw/made_up_widgets.csv",
            "format": "csv",
            "encoding": "utf-8",
            "title": "Made-up widgets by province (test only)",
            "sources": [{"title": "The recipe test", "path": "https://example.org/widgets"}],
            "licenses": [{"title": "test data"}],
            "published": "not applicable",
            "accessed": "2026-12-01",
            "schema": {
                "fields": [
                    {"name": "province", "type": "string"},
                    {"name": "year", "type": "integer"},
                    {"name": "widgets", "type": "integer"},
                ]
            },
        }
    )
    pkg_path.write_text(json.dumps(pkg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    update_manifest(data_copy.root)
    entry = next(
        r for r in json.loads(pkg_path.read_text(encoding="utf-8"))["resources"] if r["name"] == "made_up_widgets"
    )
    assert entry["rows"] == 3 and entry["hash"].startswith("sha256:")

    # 3. the schema model in data/models.py: a subclass of Model, which registers it under its name
    monkeypatch.setattr(models, "MODELS", dict(models.MODELS))  # the registration ends with the test

    class MadeUpWidgets(models.Model):
        province: Series[str]
        year: Series[int]
        widgets: Series[int] = pa.Field(ge=0)

    assert models.MODELS["MadeUpWidgets"] is MadeUpWidgets

    # 4. the loader in data/datasets.py, registered with @dataset, and exported from data/__init__.py, which makes
    # it sa.data.made_up_widgets()
    monkeypatch.setitem(sa.data.LOADERS, "made_up_widgets", None)  # the registration ends with the test

    def made_up_widgets() -> pd.DataFrame:
        df = sa.data.read_frame("made_up_widgets")
        df["province"] = sa.data.to_province(df["province"], "made_up_widgets.csv", "province")
        df = sa.data.validate(df, "MadeUpWidgets", ["data/raw/made_up_widgets.csv"], key=["province", "year"])
        return sa.data.with_provenance(df, "made_up_widgets", title="Made-up widgets", unit="widgets")

    monkeypatch.setattr(sa.data, "made_up_widgets", sa.data.dataset(made_up_widgets), raising=False)
    assert "made_up_widgets" in sa.data.available()

    # 5. the test: through the public API, with validation, cache and provenance
    df = sa.data.made_up_widgets()
    assert list(df["province"]) == ["Shanxi", "Hubei", "Shanxi"]  # 山西 normalised
    assert df.attrs["sources"][0]["title"] == "Made-up widgets by province (test only)"
    assert df.attrs["sources"][0]["sha256"] == entry["hash"].removeprefix("sha256:")
    index = json.loads(cache._index_path("made_up_widgets").read_text())
    assert {"made_up_widgets", "provinces", "province_aliases"} <= set(index["inputs"])
    sa.data.clear_cache()
    pd.testing.assert_frame_equal(sa.data.made_up_widgets(), df)  # read back from the disk cache

    (data_copy.raw / "made_up_widgets.csv").write_text(WIDGETS_CSV.replace(",7\n", ",-7\n"), encoding="utf-8")
    update_manifest(data_copy.root)
    with pytest.raises(DataError, match=r"(?s)MadeUpWidgets.*column widgets.*province='Hubei'"):
        sa.data.made_up_widgets()


# --------------------------------------------------------------------------------------------- add a claim
def test_recipe_add_a_claim(data_copy, tmp_path):
    from shanxi_analysis.claims import definitions

    # 1. a row in article_claims.csv, recorded with the documented command
    def add(rows):
        rows.append(
            {
                "claim_id": "made_up_bridges",
                "quote": "Shanxi built more than 40 made-up bridges in 2020.",
                "article_value": "40",
                "unit": "bridges (more than)",
            }
        )

    data_copy.edit_csv("article_claims.csv", add, record_checksum=False)
    update_manifest(data_copy.root)
    # 2. an entry with the same id in (a copy of) definitions.yml: an article-only figure, on the basis
    #    'article only' (nothing but the article bears on it yet)
    yml = tmp_path / "definitions.yml"
    text = (ROOT / "shanxi_analysis" / "claims" / "definitions.yml").read_text(encoding="utf-8")
    yml.write_text(
        text.rstrip("\n") + "\n\n- id: made_up_bridges\n  topic: Made-up bridges\n  topic_zh: 虚构的桥梁\n"
        "  quote_zh: 2020年山西建成40多座虚构的桥梁。\n  basis: article only\n  check: article_only\n"
        "  params:\n"
        "    rule: more than\n    step: 10\n    settle: A count of the bridges built in 2020.\n"
        "    settle_zh: 2020年建成桥梁的数量。\n",
        encoding="utf-8",
    )
    try:
        definitions.register(yml)
        table = sa.claims.ledger()
    finally:
        definitions.register()
    row = table.set_index("claim_id").loc["made_up_bridges"]
    assert row["topic"] == "Made-up bridges"
    assert row["basis"] == "article only"
    assert row["article_value"] == 40
    # no independent figure exists for it: the ledger says so rather than inventing one
    assert pd.isna(row["data_value"])
    assert row["verdict"] == "unverifiable"
    assert row["settle"] == "A count of the bridges built in 2020."


# --------------------------------------------------------------------------------------------- add a notebook
def _minimal_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Made-up widgets\n\nA minimal chapter."))
    params = nbformat.v4.new_code_cell('province: str = "Shanxi"\nyear: int = 2020')
    params.metadata["tags"] = ["parameters"]
    nb.cells.append(params)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import shanxi_analysis as sa\n"
            "from shanxi_analysis import present\n"
            "ctx = present.setup(province, year)\n"
            "g = ctx.fai_growth\n"
            "row = g[(g.province == ctx.province) & (g.year == ctx.year)]\n"
            "present.glue(made_up_rows=len(row))\n"
            "print(f'WIDGETS PAGE FOR {province} {year}')"
        )
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["shanxi_analysis"] = {"report": "province"}
    nbformat.write(nb, str(path))


@pytest.mark.notebooks
def test_recipe_add_a_notebook(tmp_path):
    nbs = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", nbs, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    # keep the build short: the new chapter beside one real chapter of each kind
    for p in nbs.glob("[0-9][0-9]-*.ipynb"):
        if p.name not in {"00-overview.ipynb"}:
            p.unlink()
    _minimal_notebook(nbs / "08-made-up-widgets.ipynb")
    out = tmp_path / "out"
    res = report_cli(
        "--province",
        "Hubei",
        "--year",
        "2019",
        "--no-article-check",
        "--notebooks",
        str(nbs),
        "--out",
        str(out),
        data_dir=ROOT / "data",
    )
    assert res.returncode == 0, res.stderr
    page = out / "2019" / "hubei" / "08-made-up-widgets.html"
    assert "WIDGETS PAGE FOR Hubei 2019" in page.read_text(encoding="utf-8")
    assert "2019/hubei/08-made-up-widgets.html" in (out / "index.html").read_text(encoding="utf-8")
    glued = read_glued(nbformat.read(str(out / "2019" / "hubei" / "08-made-up-widgets.ipynb"), as_version=4))
    assert glued["made_up_rows"] == 1


# --------------------------------------------------------------------------------------------- add a year
def _append_year(data_copy) -> int:
    """Append a made-up year (the last + 1) to the copy's FAI growth table, as a data-only change."""
    rows = read_rows(data_copy.raw / "nbs_fai_growth_by_province.csv")
    yearbook = read_rows(data_copy.raw / "nbs_yearbook_fai_growth_by_field.csv")
    new = max(int(r["year"]) for r in rows + yearbook) + 1
    ids = list(dict.fromkeys((r["indicator_id"], r["indicator_name"]) for r in rows))

    def add(table):
        for i, (iid, name) in enumerate(ids):
            table.append(
                {"indicator_id": iid, "indicator_name": name, "year": str(new), "fai_growth_pct": f"{i % 7}.5"}
            )

    data_copy.edit_csv("nbs_fai_growth_by_province.csv", add, record_checksum=False)

    def scope(table):
        table.append({"first_year": str(new), "last_year": str(new), "scope": "Made-up year of the recipe test."})

    data_copy.edit_csv("fai_growth_scope.csv", scope, record_checksum=False)
    update_manifest(data_copy.root)  # the documented command
    return new


def test_recipe_add_a_year_data_and_cli(data_copy):
    from shanxi_analysis import publish
    from shanxi_analysis.cli import build_parser

    first, last = sa.data.year_range()
    new = _append_year(data_copy)
    assert new == last + 1
    g = sa.data.fai_growth()  # loads and validates
    assert g.loc[g["year"] == new, "province"].nunique() == 31
    assert g.loc[g["year"] == new, "rank"].notna().all()
    assert sa.data.year_range() == (first, new)
    assert f"-{new})" in g.attrs["processing"]  # the stated span follows the data
    for argv in (["--year", str(new)], ["--all-years"], ["--year", f"{first}-{new}"]):
        args = build_parser().parse_args(["report", *argv])
        years = {y for _, y in publish.from_args(args.province, args.year, all_years=args.all_years).pairs}
        assert new in years, argv
    # every dataset still loads with the new year in the copy
    for name, load in sa.data.LOADERS.items():
        assert len(load()) > 0, name


@pytest.mark.notebooks
def test_recipe_add_a_year_story_builds(data_copy, tmp_path):
    new = _append_year(data_copy)
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        if json.loads(p.read_text(encoding="utf-8"))["metadata"].get("shanxi_analysis", {}).get("report") == "province":
            shutil.copy2(p, nbs / p.name)
    out = tmp_path / "out"
    res = report_cli(
        "--province",
        "Shanxi",
        "--year",
        str(new),
        "--no-article-check",
        "--notebooks",
        str(nbs),
        "--out",
        str(out),
        data_dir=data_copy.root,
    )
    assert res.returncode == 0, res.stderr[-4000:]
    folder = out / str(new) / "shanxi"
    built = {p.name for p in folder.glob("*.html")}
    rec = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    left_out = {Path(n["notebook"]).stem for n in rec["notebooks"] if n.get("published") is False and n.get("reason")}
    assert left_out == {"02-year-in-detail"}, rec  # a made-up year of annual growth alone: no detail to show
    assert built == {p.with_suffix(".html").name for p in nbs.glob("*.ipynb") if p.stem not in left_out}


# ----------------------------------------------------------------------------- province files are every input
def test_every_dataset_naming_provinces_records_both_province_files(data_copy):
    sa.data.population()  # builds the province lookup in this process
    sa.data.gdp()  # built later, with the lookup already cached
    for name in ("population", "gdp"):
        inputs = json.loads(cache._index_path(name).read_text())["inputs"]
        assert {"provinces", "province_aliases"} <= set(inputs), name

    def add(rows):
        rows.append({"province": "Shanxi", "alias": "Made Up Shanxi", "kind": "pinyin", "note": "test"})

    data_copy.edit_csv("province_aliases.csv", add, record_checksum=False)
    update_manifest(data_copy.root)
    built = []

    real = sa.data.load_or_build

    def spy(name, build):
        def counted():
            built.append(name)
            return build()

        return real(name, counted)

    import unittest.mock

    with unittest.mock.patch.object(cache, "load_or_build", spy):
        sa.data.gdp()
    assert built == ["gdp"]  # the aliases file changed: gdp is rebuilt, not read from the stale cache entry
    recorded = json.loads(cache._index_path("gdp").read_text())["inputs"]["province_aliases"]
    assert recorded == cache.input_key("province_aliases") and recorded.startswith(
        sa.data.resource("province_aliases").sha256 + ":"
    )
