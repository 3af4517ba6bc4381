"""The article check (notebooks 03, 04, 05): pages about the China Daily article that read the same whichever
province and year the report builder passes, open with the ledger's own counts, and escape every data text.

Expected values come from the raw CSV files or from the ledger computed in the test, never from the notebook.
"""

from __future__ import annotations

import ast
import csv
import html
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import SHARED_BUILD_GROUP

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
RAW = ROOT / "data" / "raw"
ARTICLE_CHECK = ["03-projects-zones-industries", "04-business-climate", "05-claims"]
#: Tests sharing the executed notebooks run on the worker that reads the suite's shared build, so the pages are
#: executed once (pytest -n 2 --dist loadgroup).
GROUP = pytest.mark.xdist_group(SHARED_BUILD_GROUP)
#: Parameters unlike the article's subject: the pages must read exactly as they do for Shanxi in 2020.
OTHER = ("Hubei", 2019)


def _claim_ids() -> list[str]:
    with open(RAW / "article_claims.csv", encoding="utf-8") as fh:
        return [r["claim_id"] for r in csv.DictReader(fh)]


def _texts(nb, mime: str) -> str:
    return "\n".join(
        o["data"][mime] if isinstance(o["data"][mime], str) else "".join(o["data"][mime])
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if mime in o.get("data", {})
    )


def _glued(nb) -> dict:
    from shanxi_analysis import present

    return present.read_glued(nb)


@pytest.mark.parametrize("name", ARTICLE_CHECK)
def test_sources_do_not_depend_on_the_province(name):
    """No 'for {province} in {year}' intros, no 'left empty' or 'concerns Shanxi' text, no branch on the parameters
    after they are validated."""
    nb = nbformat.read(NB_DIR / f"{name}.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    for src in code[2:]:  # after the parameters and the cell validating them
        tree = ast.parse(src)
        echoed = {
            id(k.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            for k in node.keywords
            if k.arg in ("province", "year")
        }  # glue.glue(province=province, ...)
        used = [
            n.id
            for n in ast.walk(tree)
            if isinstance(n, ast.Name) and n.id in ("province", "year") and id(n) not in echoed
        ]
        assert not used, (used, src[:200])
    text = "\n".join(c.source for c in nb.cells).lower()
    for phrase in ("left empty", "concerns shanxi", "for {province}", "in {year}"):
        assert phrase not in text, phrase


def _run(name: str, folder: Path, province: str, year: int):
    import papermill as pm

    return pm.execute_notebook(
        str(NB_DIR / f"{name}.ipynb"),
        str(folder / f"{name}.ipynb"),
        parameters={"province": province, "year": year},
        kernel_name="python3",
        cwd=str(NB_DIR),
        progress_bar=False,
        log_output=False,
    )


def _run_other(folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ARTICLE_CHECK:
        _run(name, folder, *OTHER)
    return {"out": str(folder)}


@pytest.fixture(scope="module")
def executed(tmp_path_factory, worker_id, reports):
    """The three pages as the report builder ran them with the article's own parameters (the suite's shared build),
    and run with papermill with parameters unlike them (once per session, conftest.shared_build)."""
    from conftest import shared_build

    other = shared_build(tmp_path_factory, worker_id, "article-check-other", _run_other)
    return {
        (name, params): nbformat.read(str(folder / f"{name}.ipynb"), as_version=4)
        for name in ARTICLE_CHECK
        for params, folder in ((("Shanxi", 2020), reports / "article-check"), (OTHER, other))
    }


@pytest.fixture(scope="module")
def ledger():
    import shanxi_analysis as sa

    sa.data.clear_cache()
    return sa.claims.ledger()


@pytest.mark.notebooks
@GROUP
@pytest.mark.parametrize("name", ARTICLE_CHECK)
def test_pages_read_the_same_for_any_parameters(executed, name):
    nb = executed[(name, OTHER)]
    shown = _texts(nb, "text/markdown") + _texts(nb, "text/html")
    assert shown.strip()
    assert shown == _texts(executed[(name, ("Shanxi", 2020))], "text/markdown") + _texts(
        executed[(name, ("Shanxi", 2020))], "text/html"
    )
    streams = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "stream"]
    assert not [o for o in streams if o.get("name") == "stderr"]


@pytest.mark.notebooks
@GROUP
def test_the_article_check_opens_with_what_the_article_got_wrong_and_what_holds(executed, ledger):
    import shanxi_analysis as sa

    nb = executed[("03-projects-zones-industries", OTHER)]
    shown = [
        "".join(o["data"]["text/markdown"] for o in c.get("outputs", []) if "text/markdown" in o.get("data", {}))
        for c in nb["cells"]
    ]
    lede = html.unescape(next(t for t in shown if t and not t.startswith("#")))  # the first text after the title
    # the catch first, in plain words, with the numbers from the ledger, each linked to its row
    rows = ledger.set_index("claim_id")
    assert lede.startswith("**What the article got wrong or overstated.**") and "**What holds.**" in lede
    nat = rows.loc["national_average_2020"]
    assert f"{nat['article_value']:.1f}%" in lede and f"{nat['data_value']:.1f}%" in lede
    drove = rows.loc["projects_drove_growth"]
    assert f"{drove['article_value']:.2f} trillion" in lede and f"about {drove['data_value']:.2f} trillion" in lede
    assert f"in {2020 - int(rows.loc['best_rank_two_decades', 'data_value'])}" in lede
    for cid in ("national_average_2020", "projects_drove_growth", "best_rank_two_decades", "fai_growth_2020"):
        assert f"(05-claims.html#claim-{cid})" in lede, cid
    md = html.unescape(_texts(nb, "text/markdown"))
    # the unverifiable claims are counted in the lede; the ledger's full counts are on the ledger page and the index
    # (the glued headline), not repeated here (editors read the same paragraph on four pages)
    n_unverifiable = int((ledger["verdict"] == "unverifiable").sum())
    assert f"{n_unverifiable} of the {len(ledger)} claims" in lede
    headline = sa.claims.headline(ledger)
    assert headline not in md and f"Of the {len(ledger)} factual claims" not in md
    assert "How each verdict is reached is set out in [the rulebook](05-claims.html#" in md
    assert _glued(nb)["headline"] == headline


@pytest.mark.notebooks
@GROUP
def test_the_ledger_page_shows_every_claim_its_vocabulary_and_sources(executed, ledger):
    import shanxi_analysis as sa

    nb = executed[("05-claims", OTHER)]
    page = _texts(nb, "text/html")
    md = _texts(nb, "text/markdown")
    for cid in _claim_ids():
        assert f'id="claim-{cid}"' in page, cid
    for verdict in sa.claims.VERDICTS:
        assert f"**{verdict}**" in md
    prose = md + "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")  # static prose: Markdown cells
    for kind in sa.claims.EVIDENCE_KINDS:
        assert kind in prose
    assert sa.claims.headline(ledger) in html.unescape(md)
    assert '<a href="https://shanxi.chinadaily.com.cn/2021-03/26/c_606595.htm"' in md
    glued = _glued(nb)
    assert glued["verdict_counts"] == {k: int(v) for k, v in sa.claims.verdict_counts(ledger).items()}
    assert sum(glued["verdict_counts"].values()) == len(_claim_ids())


@pytest.mark.notebooks
@GROUP
def test_business_climate_shows_the_government_count(executed, ledger):
    nb = executed[("04-business-climate", OTHER)]
    md = html.unescape(_texts(nb, "text/markdown"))
    with open(RAW / "independent_figures.csv", encoding="utf-8") as fh:
        figs = [r for r in csv.DictReader(fh) if r["claim_id"] in ("procedures_before", "approval_procedures")]
    assert figs
    for r in figs:
        assert r["verbatim"] in md and r["source_url"] in md
    assert "province-wide" in md  # both counts are the province's, said alike
    rows = ledger.set_index("claim_id")
    assert _glued(nb)["verdicts"] == {c: rows.at[c, "verdict"] for c in ("procedures_before", "approval_procedures")}


#: Research notes that must never reach a reader (issue 20), and years written with a thousands separator.
NOTES = ("ONLY", "[sic]", "->", "Rule: ", "DERIVED", "&#95;", "independently sourced", "1084", "亿 planned")
_YEAR_WITH_SEPARATOR = re.compile(r"(?<![\d,])2,0[0-4]\d(?![\d,])")


@pytest.mark.notebooks
@GROUP
@pytest.mark.parametrize("name", ARTICLE_CHECK)
def test_no_research_notes_reach_the_pages(executed, name):
    nb = executed[(name, OTHER)]
    shown = html.unescape(_texts(nb, "text/markdown") + _texts(nb, "text/html"))
    for note in NOTES:
        assert note not in shown, (name, note)
    years = [m.group() for m in _YEAR_WITH_SEPARATOR.finditer(shown) if m.group() != "2,000"]  # "nearly 2,000" projects
    assert not years, (name, years)


@pytest.mark.notebooks
@GROUP
@pytest.mark.parametrize("name", ARTICLE_CHECK)
def test_pages_hand_their_claim_reviews_to_the_builder(executed, ledger, name):
    from shanxi_analysis import present

    glued = _glued(executed[(name, OTHER)])
    reviewed = glued["claim_reviews"]
    assert reviewed and {r["claim_id"] for r in reviewed} <= set(ledger["claim_id"])
    reviews = present.claim_reviews(pd.DataFrame(reviewed), page_url="05-claims.html", date_published="2026-01-01")
    assert len(reviews) == len(reviewed)
    by_id = ledger.set_index("claim_id")
    for rec, review in zip(reviewed, reviews, strict=True):
        assert review["url"] == f"05-claims.html#claim-{rec['claim_id']}"
        assert review["reviewRating"]["alternateName"] == by_id.at[rec["claim_id"], "verdict"]
    if name == "05-claims":
        assert [r["claim_id"] for r in glued["ledger"]] == list(present.by_importance(ledger)["claim_id"])
