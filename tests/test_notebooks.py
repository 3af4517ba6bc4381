"""The narrative notebooks: committed clean, parameterised the papermill way, and executing for any province and year.

Expected values are computed here from the raw CSV files with the ``csv`` module (never through the package's
datasets), so a wrong rank in the package or the notebook fails the test.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
RAW = ROOT / "data" / "raw"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]-*.ipynb"))
GLUE_MIME, GLUE_KEY = "application/json", "shanxi_analysis.results"


def _ids(paths):
    return [p.stem for p in paths]


# --------------------------------------------------------------------------------------------- raw-data oracle
def _raw_names() -> dict[str, str]:
    """Chinese short name -> English name, from provinces.csv."""
    with open(RAW / "provinces.csv", encoding="utf-8") as fh:
        return {r["name_zh"]: r["name_en"] for r in csv.DictReader(fh)}


def _raw_rank(province_en: str, year: int) -> tuple[int | None, int]:
    """Rank (1 = fastest, ties share the smallest rank) and number of provinces with a value, from the raw CSV."""
    names = _raw_names()
    values: dict[str, float] = {}
    with open(RAW / "nbs_fai_growth_by_province.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if int(r["year"]) == year and r["fai_growth_pct"].strip():
                values[names[r["indicator_name"].split(":")[0]]] = float(r["fai_growth_pct"])
    if province_en not in values:
        return None, len(values)
    return 1 + sum(v > values[province_en] for v in values.values()), len(values)


def test_raw_oracle_maps_every_province():
    rank, n = _raw_rank("Shanxi", 2020)
    assert n == 31 and rank is not None


# --------------------------------------------------------------------------------------------- hygiene
def test_notebooks_exist():
    names = [p.stem for p in NOTEBOOKS]
    for expected in ("00-overview", "01-investment-growth", "02-year-in-detail", "03-projects-zones-industries",
                     "04-business-climate", "05-claims", "06-peers", "07-investment-and-economy"):
        assert expected in names


def _kind(path: Path) -> str | None:
    """The report kind a notebook declares in its metadata (read with json, not the builder)."""
    meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    return meta.get("shanxi_analysis", {}).get("report")


def test_every_notebook_declares_its_kind():
    kinds = {p.stem[:2]: _kind(p) for p in NOTEBOOKS}
    assert {n: k for n, k in kinds.items() if n in ("03", "04", "05")} == {"03": "article", "04": "article",
                                                                          "05": "article"}
    assert all(k == "province" for n, k in kinds.items() if n not in ("03", "04", "05")), kinds


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell must be tagged 'parameters'"
    assert tagged[0] is code_cells[0], "the parameters cell must be the first code cell"
    before = nb.cells[: nb.cells.index(tagged[0])]
    assert len(before) == 1 and before[0].cell_type == "markdown", "only a markdown title may precede the parameters"
    src = tagged[0].source
    assert 'province: str = "Shanxi"' in src and "year: int = 2020" in src
    assert src.count("#") >= 2, "each parameter carries a comment"
    # the next code cell validates the parameters with the package's helpers
    assert "sa.provinces.normalize(province)" in code_cells[1].source
    assert "analysis.check_year(year)" in code_cells[1].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["kernelspec"]["language"] == "python"
    for c in nb.cells:
        if c.cell_type == "code":
            assert c.outputs == [] and c.execution_count is None, f"{path.name} has outputs: strip them"


# --------------------------------------------------------------------------------------------- execution
def _execute(path: Path, out: Path, **params):
    import papermill as pm

    return pm.execute_notebook(str(path), str(out), parameters=params, kernel_name="python3", cwd=str(NB_DIR),
                               progress_bar=False, log_output=False)


def _glued(nb) -> dict:
    res: dict = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            d = o.get("data", {}).get(GLUE_MIME)
            if isinstance(d, dict) and GLUE_KEY in d:
                res.update(d[GLUE_KEY])
    return res


def _outputs(nb, kind: str) -> list:
    return [o for c in nb["cells"] for o in c.get("outputs", []) if kind in o.get("data", {})]


DEFAULT = ("Shanxi", 2020)
# Every notebook with the default parameters (the article check runs only with them); the spread of province
# stories over provinces and years, chosen from the data, is built and checked page by page in test_reports.py.
RUNS = [(p, prov, yr) for p in NOTEBOOKS for prov, yr in [DEFAULT]]


def _gdp_years() -> set[int]:
    with open(RAW / "nbs_gdp_by_province.csv", encoding="utf-8") as fh:
        return {int(r["year"]) for r in csv.DictReader(fh) if r["gdp_100m_yuan"].strip()}


@pytest.mark.notebooks
@pytest.mark.parametrize("path,province,year", RUNS, ids=[f"{p.stem}-{pr}-{y}" for p, pr, y in RUNS])
def test_notebook_executes(path, province, year, tmp_path):
    nb = _execute(path, tmp_path / path.name, province=province, year=year)
    glued = _glued(nb)
    english = _raw_names().get(province, province)
    assert glued["province"] == english and glued["year"] == year
    # no warnings or tracebacks leak into the report
    streams = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "stream"]
    assert not [o for o in streams if o.get("name") == "stderr"], [o["text"][:300] for o in streams]
    assert _outputs(nb, "text/markdown"), "the notebook must narrate its findings"
    if "rank" in glued:
        rank, n = _raw_rank(english, year)
        assert glued["rank"] == rank
        assert glued["n_ranked"] == n if "n_ranked" in glued else True
    if "verdict_counts" in glued:
        from shanxi_analysis import claims

        counts = claims.verdict_counts(claims.ledger())
        assert glued["verdict_counts"] == {k: int(v) for k, v in counts.items()}
    if path.stem == "01-investment-growth":
        rank, _ = _raw_rank(english, year)
        assert len(_outputs(nb, "image/png")) == 3, "bar chart, history and map"
        if rank is None:
            assert glued["growth"] is None
    if path.stem == "02-year-in-detail":
        images = len(_outputs(nb, "image/png"))
        # monthly chart only for 2020; Shanxi-2020 sector and city charts; a scale chart where GDP exists
        expected = (year == 2020) + 2 * ((english, year) == DEFAULT) + (year in _gdp_years())
        assert images == expected
        assert glued["province_months"] == (4 if (english, year) == DEFAULT else 0)
    if path.stem == "00-overview":
        text = "".join(o["data"]["text/markdown"] for o in _outputs(nb, "text/markdown"))
        first_article = next(p for p in NOTEBOOKS if _kind(p) == "article").stem
        link = f"](../../article-check/{first_article}.html)"
        assert (link in text) == ((english, year) == DEFAULT)  # Shanxi 2020's story links to the article check


@pytest.mark.notebooks
@pytest.mark.parametrize("path,params,message", [
    (NB_DIR / "01-investment-growth.ipynb", {"province": "Atlantis"}, "Unknown province 'Atlantis'"),
    (NB_DIR / "02-year-in-detail.ipynb", {"year": 1980}, "year 1980 is outside"),
], ids=["bad-province", "bad-year"])
def test_invalid_parameters_stop_early(path, params, message, tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as exc:
        _execute(path, tmp_path / path.name, **params)
    assert message in str(exc.value)
    # cells run: parameters, papermill's injected parameters, then the validating cell
    assert exc.value.exec_count <= 3, "invalid parameters must stop the notebook in its first cells"
