"""Incremental builds: a notebook runs again only when what determines its output changed.

Each tiny notebook written here prints ``time.time_ns()`` in a cell: a notebook that ran again has a new stamp in
its executed copy, a reused one keeps the stamp of the build it was copied from.  So "which notebooks ran" is read
from the executed notebooks themselves, not from what the builder says about them (which is checked too).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import run_cli, write_notebook

import shanxi_analysis
from shanxi_analysis import publish

STAMP = "import time\nprint('stamp', time.time_ns())"
PKG = Path(shanxi_analysis.__file__).resolve().parent  # the whole package: its code is an input of every set


def stamped_notebooks(folder: Path) -> Path:
    write_notebook(folder, "01-alpha.ipynb", ["print('alpha', province, year)", STAMP])
    write_notebook(folder, "02-beta.ipynb", ["print('beta', year + 1)", STAMP])
    return folder


def stamps(report: Path) -> dict[str, str]:
    """Notebook name -> the stamp printed in its executed copy."""
    out = {}
    for path in sorted(report.glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
        out[path.name] = next(line for line in text.splitlines() if line.startswith("stamp "))
    return out


def ran(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in after if before.get(name) != after[name]}


def build(jobs, out, **kw):
    return publish.build_reports(jobs, out, progress=False, echo=lambda s: None, **kw)


@pytest.mark.e2e
def test_cli_nothing_changed_then_one_notebook_edited_then_force(tmp_path):
    nbs = stamped_notebooks(tmp_path / "nbs")
    out = tmp_path / "out"
    args = ("--province", "Hubei", "--province", "Hunan", "--year", "2019", "--notebooks", str(nbs), "--out", str(out))
    assert run_cli(*args).returncode == 0
    sets = [out / "2019" / "hubei", out / "2019" / "hunan"]
    first = [stamps(s) for s in sets]
    pages = {s: (s / "01-alpha.html").read_bytes() for s in sets}

    res = run_cli(*args)  # nothing changed: nothing runs, nothing is rewritten
    assert res.returncode == 0, res.stderr
    assert "Built 0 report set(s), 0 failed. 2 up to date" in res.stderr
    assert [stamps(s) for s in sets] == first
    assert all((s / "01-alpha.html").read_bytes() == pages[s] for s in sets)

    write_notebook(nbs, "02-beta.ipynb", ["print('beta edited', year + 1)", STAMP])
    res = run_cli(*args)
    assert res.returncode == 0, res.stderr
    second = [stamps(s) for s in sets]
    assert [ran(a, b) for a, b in zip(first, second, strict=True)] == [{"02-beta.ipynb"}] * 2
    for s in sets:
        rec = json.loads((s / "build.json").read_text())
        assert rec["reused"] == ["01-alpha.ipynb"] and rec["ran"] == ["02-beta.ipynb"]
        assert set(rec["keys"]) == {"01-alpha.ipynb", "02-beta.ipynb"}
        assert (s / "01-alpha.html").read_bytes() == pages[s]  # reused page, the same bytes
        assert "beta edited" in (s / "02-beta.html").read_text()
    assert not any((out / ".staging").iterdir())

    res = run_cli(*args[:2], *args[4:], "--force")  # Hubei only, everything runs
    assert res.returncode == 0, res.stderr
    assert ran(second[0], stamps(sets[0])) == {"01-alpha.ipynb", "02-beta.ipynb"}
    assert stamps(sets[1]) == second[1]


@pytest.mark.e2e
def test_a_corrected_raw_file_reruns_only_the_notebooks_that_read_it_and_explain_says_why(tmp_path, data_copy):
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-reads.ipynb", ["import shanxi_analysis as sa\nprint(len(sa.data.provinces()))", STAMP])
    write_notebook(nbs, "02-reads-nothing.ipynb", ["print('beta', year + 1)", STAMP])
    out = tmp_path / "out"
    jobs = publish.plan(["Hubei"], [2019], nbs, article=False)
    assert build(jobs, out)[0].status == "ok"
    rec = json.loads((out / "2019" / "hubei" / "build.json").read_text())
    inputs = {r["notebook"]: r[publish.INPUTS_KEY] for r in rec["notebooks"]}
    assert set(inputs["01-reads.ipynb"]) >= {"provinces"} and inputs["02-reads-nothing.ipynb"] == {}
    before = stamps(out / "2019" / "hubei")

    data_copy.edit_csv("nbs_gdp_by_province.csv", lambda rows: rows[::-1])  # a file neither notebook read: nothing runs
    assert build(jobs, out)[0].status == publish.UP_TO_DATE
    data_copy.edit_csv("provinces.csv", lambda rows: rows[::-1])  # same rows, other bytes; manifest refreshed
    said: list[str] = []
    res = publish.build_reports(jobs, out, progress=False, echo=said.append, explain=True)[0]
    assert res.status == "ok"
    assert ran(before, stamps(out / "2019" / "hubei")) == {"01-reads.ipynb"}
    line = next(s for s in said if s.startswith("build  Hubei 2019"))
    assert "01-reads: data it read changed: provinces" in line and "02-reads-nothing" not in line, line
    said.clear()
    assert publish.build_reports(jobs, out, progress=False, echo=said.append, explain=True)[0].status == (
        publish.UP_TO_DATE
    )
    assert any(s.startswith("skip   Hubei 2019: up to date") for s in said), said


@pytest.mark.e2e
def test_a_corrected_value_reruns_a_notebook_declaring_parts_only_if_it_is_in_one(tmp_path, data_copy):
    """01 declares it reads the FAI panel through its province's and its year's rows; 02 reads it undeclared.  A
    correction to Hubei's 2020 growth reruns 02 everywhere (the raw file changed) and 01 only for Hubei."""
    nbs = tmp_path / "nbs"
    code = "import shanxi_analysis as sa\nprint(len(sa.data.fai_growth()))"
    write_notebook(nbs, "01-parts.ipynb", [code, STAMP])
    node = nbformat.read(str(nbs / "01-parts.ipynb"), as_version=4)
    node.metadata.setdefault("shanxi_analysis", {})["reads"] = {"fai_growth": ["province", "year"]}
    nbformat.write(node, str(nbs / "01-parts.ipynb"))
    write_notebook(nbs, "02-whole.ipynb", [code, STAMP])
    out = tmp_path / "out"
    jobs = publish.plan(["Hubei", "Gansu"], [2019], nbs, article=False)
    assert [r.status for r in build(jobs, out)] == ["ok", "ok"]
    rec = json.loads((out / "2019" / "gansu" / "build.json").read_text())
    parts = {r["notebook"]: r.get(publish.VIEWS_KEY) for r in rec["notebooks"]}
    assert set(parts["01-parts.ipynb"]["views"]) == {"fai_growth[province=Gansu]", "fai_growth[year=2019]"}
    assert "nbs_fai_growth_by_province" not in parts["01-parts.ipynb"]["watched"]
    assert parts["02-whole.ipynb"]["views"] == {}
    assert "nbs_fai_growth_by_province" in parts["02-whole.ipynb"]["watched"]
    before = {s: stamps(out / "2019" / s) for s in ("hubei", "gansu")}

    def hubei_2020(rows):
        row = next(r for r in rows if r["indicator_name"].startswith("湖北") and r["year"] == "2020")
        row["fai_growth_pct"] = str(round(float(row["fai_growth_pct"]) + 0.1, 6))
        return rows

    data_copy.edit_csv("nbs_fai_growth_by_province.csv", hubei_2020)
    said: list[str] = []
    assert [r.status for r in publish.build_reports(jobs, out, progress=False, echo=said.append, explain=True)] == [
        "ok",
        "ok",
    ]
    assert ran(before["hubei"], stamps(out / "2019" / "hubei")) == {"01-parts.ipynb", "02-whole.ipynb"}
    assert ran(before["gansu"], stamps(out / "2019" / "gansu")) == {"02-whole.ipynb"}
    hubei = next(s for s in said if s.startswith("build  Hubei 2019"))
    assert "01-parts: data it read changed: fai_growth (Hubei's rows, every year)" in hubei, hubei
    gansu = next(s for s in said if s.startswith("build  Gansu 2019"))
    assert "02-whole: data it read changed: nbs_fai_growth_by_province" in gansu and "01-parts" not in gansu, gansu


@pytest.mark.e2e
def test_a_package_file_changed_reruns_everything_a_touch_does_not(tmp_path):
    code = tmp_path / "pkg"
    shutil.copytree(PKG, code, ignore=shutil.ignore_patterns("__pycache__"))
    nbs = stamped_notebooks(tmp_path / "nbs")
    out = tmp_path / "out"
    jobs = publish.plan(["Hubei"], [2019], nbs, article=False)
    assert build(jobs, out, inputs=publish.Inputs.current(code_dir=code))[0].status == "ok"
    before = stamps(out / "2019" / "hubei")
    os.utime(code / "numbers.py")  # a touch changes no byte: still up to date
    assert build(jobs, out, inputs=publish.Inputs.current(code_dir=code))[0].status == publish.UP_TO_DATE
    with open(code / "numbers.py", "a", encoding="utf-8") as f:
        f.write("\n# a change\n")
    assert build(jobs, out, inputs=publish.Inputs.current(code_dir=code))[0].status == "ok"
    assert ran(before, stamps(out / "2019" / "hubei")) == {"01-alpha.ipynb", "02-beta.ipynb"}


# Every kind of input that is not Python code: the claim rules, both template folders, the page template, the
# locked requirements.  Each edit alone must make the set stale (checked with the one function that decides what
# runs), and a rebuild after an edit of the claim rules really runs the notebooks again.
NON_PYTHON_INPUTS = (
    "claims/definitions.yml",
    "present/templates/table.html.j2",
    "present/templates/link.html.j2",
    "publish/templates/index.html.j2",
    "publish/templates/nav.md.j2",
    "publish/templates/report/index.html.j2",
    "publish/templates/report/report.css",
    "requirements.txt",
)


@pytest.mark.e2e
def test_an_edit_to_each_kind_of_non_python_input_makes_the_set_stale(tmp_path):
    code = tmp_path / "pkg"
    shutil.copytree(PKG, code, ignore=shutil.ignore_patterns("__pycache__"))
    req = tmp_path / "requirements.txt"
    shutil.copyfile(PKG.parent / "requirements.txt", req)
    nbs = stamped_notebooks(tmp_path / "nbs")
    out = tmp_path / "out"
    jobs = publish.plan(["Hubei"], [2019], nbs, article=False)

    def inputs():
        return publish.Inputs.current(code_dir=code, template_dir=code / "publish/templates/report", requirements=req)

    assert build(jobs, out, inputs=inputs())[0].status == "ok"
    before = stamps(out / "2019" / "hubei")
    assert publish.decide(jobs, out, publish.DEFAULT_FORMATS, inputs=inputs())[0].up_to_date
    for rel in NON_PYTHON_INPUTS:
        path = req if rel == "requirements.txt" else code / rel
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert not publish.decide(jobs, out, publish.DEFAULT_FORMATS, inputs=inputs())[0].up_to_date, rel
        path.write_bytes(original)
        assert publish.decide(jobs, out, publish.DEFAULT_FORMATS, inputs=inputs())[0].up_to_date, rel
    rules = code / "claims/definitions.yml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# a new rule comment\n", encoding="utf-8")
    assert build(jobs, out, inputs=inputs())[0].status == "ok"  # not "up to date"
    assert ran(before, stamps(out / "2019" / "hubei")) == {"01-alpha.ipynb", "02-beta.ipynb"}


@pytest.mark.e2e
def test_a_parameter_changed_runs_only_the_new_set(tmp_path):
    nbs = stamped_notebooks(tmp_path / "nbs")
    out = tmp_path / "out"
    build(publish.plan(["Hubei"], [2019], nbs, article=False), out)
    before = stamps(out / "2019" / "hubei")
    results = build(publish.plan(["Hubei"], [2019, 2018], nbs, article=False), out)
    assert [r.status for r in results] == [publish.UP_TO_DATE, "ok"]
    assert stamps(out / "2019" / "hubei") == before
    assert set(stamps(out / "2018" / "hubei")) == {"01-alpha.ipynb", "02-beta.ipynb"}
    keys = [json.loads((out / y / "hubei" / "build.json").read_text())["keys"] for y in ("2019", "2018")]
    assert keys[0]["01-alpha.ipynb"] != keys[1]["01-alpha.ipynb"]  # the year is part of the key


def test_keys_ignore_outputs_but_not_sources(tmp_path):
    nb = write_notebook(tmp_path, "01-a.ipynb", ["print(1)"])
    digest = publish.notebook_digest(nb)
    node = nbformat.read(str(nb), as_version=4)
    node.cells[-1].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    node.cells[-1].execution_count = 3
    nbformat.write(node, str(nb))
    assert publish.notebook_digest(nb) == digest
    node.cells[-1].source = "print(2)"
    nbformat.write(node, str(nb))
    assert publish.notebook_digest(nb) != digest


@pytest.mark.notebooks
def test_only_the_page_with_the_breakdown_reads_it(reports):
    """Shanxi's 2020 investment breakdown is read by Shanxi 2020's detail page (and the article check) only, so a
    correction to it rebuilds no other province's page (the incremental key is the raw files a notebook read)."""
    readers = set()
    for path in reports.glob("**/build.json"):
        if "_failed" in path.parts:
            continue
        build = publish.read_json(path)
        for rec in build["notebooks"]:
            if "shanxi_investment_2020" in rec.get(publish.INPUTS_KEY, {}):
                readers.add((build["kind"], build["parameters"].get("province"), build["parameters"]["year"]))
    stories = {r for r in readers if r[0] == "province"}
    assert stories == {("province", "Shanxi", 2020)}, readers
    assert ("article", "Shanxi", 2020) in readers
