"""The narrative notebooks: committed clean, parameterised the papermill way, and executing for any province and year.

Expected values are computed here from the raw CSV files with the ``csv`` module (never through the package's
datasets), so a wrong rank in the package or the notebook fails the test.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
RAW = ROOT / "data" / "raw"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]-*.ipynb"))


def _ids(paths):
    return [p.stem for p in paths]


# --------------------------------------------------------------------------------------------- raw-data oracle
def _raw_names() -> dict[str, str]:
    """Chinese short name -> English name, from provinces.csv."""
    with open(RAW / "provinces.csv", encoding="utf-8") as fh:
        return {r["name_zh"]: r["name_en"] for r in csv.DictReader(fh)}


@functools.lru_cache(maxsize=1)
def _raw_fai() -> dict[tuple[str, int], float]:
    """(English name, year) -> FAI growth, for every published value in the raw CSV."""
    names = _raw_names()
    with open(RAW / "nbs_fai_growth_by_province.csv", encoding="utf-8") as fh:
        return {
            (names[r["indicator_name"].split(":")[0]], int(r["year"])): float(r["fai_growth_pct"])
            for r in csv.DictReader(fh)
            if r["fai_growth_pct"].strip()
        }


@functools.lru_cache(maxsize=1)
def _raw_flags() -> dict[tuple[str, int], str]:
    """(English name, year) -> flag, for every value the annotations flag (the 1995 column: shares, not growth;
    revision artefacts): such a value is published but is no growth figure and takes no rank."""
    with open(RAW / "fai_growth_annotations.csv", encoding="utf-8") as fh:
        return {(r["province"], int(r["year"])): r["flag"] for r in csv.DictReader(fh)}


def _raw_growth(province_en: str, year: int) -> float | None:
    """The province's FAI growth in ``year`` from the raw CSV, None when not published or flagged."""
    if (province_en, year) in _raw_flags():
        return None
    return _raw_fai().get((province_en, year))


def _raw_rank(province_en: str, year: int) -> tuple[int | None, int]:
    """Rank (1 = fastest, ties share the smallest rank) and number of provinces with an unflagged value, from the
    raw CSV."""
    values = {p: v for (p, y), v in _raw_fai().items() if y == year and (p, y) not in _raw_flags()}
    if province_en not in values:
        return None, len(values)
    return 1 + sum(v > values[province_en] for v in values.values()), len(values)


def _raw_national_months(year: int) -> int:
    """How many cumulative periods of ``year`` have a national growth figure in the raw monthly CSV."""
    with open(RAW / "fai_2020_monthly_cumulative.csv", encoding="utf-8") as fh:
        return sum(
            1
            for r in csv.DictReader(fh)
            if r["region"] == "China" and int(r["year"]) == year and r["cum_growth_pct"].strip()
        )


@pytest.mark.slow
def test_province_year_agrees_with_the_raw_oracle():
    """What the province pages glue (growth, rank, number ranked) comes from sa.analysis.province_year: for every
    province of provinces.csv and every year of the raw CSV it must equal the oracle above."""
    import shanxi_analysis as sa

    fai = sa.data.fai_growth()
    years = sorted({y for _, y in _raw_fai()})
    for province in _raw_names().values():
        for year in years:
            py = sa.analysis.province_year(fai, province, year)
            assert (py.growth, py.rank) == (_raw_growth(province, year), _raw_rank(province, year)[0]), (province, year)
            assert py.n_ranked == _raw_rank(province, year)[1], year
            # a flagged value is kept as published and named by its flag
            assert (py.flagged, py.flag) == ((province, year) in _raw_flags(), _raw_flags().get((province, year)))
            assert py.published == _raw_fai().get((province, year)), (province, year)
    assert _raw_rank("Shanxi", 2020)[1] == len(_raw_names()), "every province has a 2020 figure"
    # the 1995 column holds shares of national investment: every value of it is flagged, none is ranked
    shares = {p: v for (p, y), v in _raw_fai().items() if y == 1995}
    assert len(shares) == 30 and 95 < sum(shares.values()) <= 100
    assert all(_raw_flags().get((p, 1995)) == "shares, not growth" for p in shares)
    assert sa.analysis.province_year(fai, "Shanxi", 1995).n_ranked == 0


# --------------------------------------------------------------------------------------------- hygiene
def test_notebooks_exist():
    names = [p.stem for p in NOTEBOOKS]
    for expected in (
        "00-overview",
        "01-investment-growth",
        "02-year-in-detail",
        "03-projects-zones-industries",
        "04-business-climate",
        "05-claims",
        "06-peers",
        "07-investment-and-economy",
    ):
        assert expected in names


def _kind(path: Path) -> str | None:
    """The report kind a notebook declares in its metadata (read with json, not the builder)."""
    meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    return meta.get("shanxi_analysis", {}).get("report")


def test_every_notebook_declares_its_kind():
    kinds = {p.stem[:2]: _kind(p) for p in NOTEBOOKS}
    assert {n: k for n, k in kinds.items() if n in ("03", "04", "05")} == {
        "03": "article",
        "04": "article",
        "05": "article",
    }
    assert all(k == "province" for n, k in kinds.items() if n not in ("03", "04", "05")), kinds


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell must be tagged 'parameters'"
    assert tagged[0] is code_cells[0], "the parameters cell must be the first code cell"
    before = nb.cells[: nb.cells.index(tagged[0])]
    # at most a markdown title precedes the parameters (the province story's notebooks have none: the line above their
    # titles comes from the message catalog, in the page's language)
    assert len(before) <= 1 and all(c.cell_type == "markdown" for c in before), (
        "only a markdown title may precede the parameters"
    )
    src = tagged[0].source
    assert 'province: str = "Shanxi"' in src and "year: int = 2020" in src
    assert src.count("#") >= 2, "each parameter carries a comment"
    # the next code cell checks the parameters and sets the notebook up in one call (with the page's language where
    # the notebook declares one)
    setup = "present.setup(province, year, lang=lang)" if "lang: str" in src else "present.setup(province, year)"
    assert setup in code_cells[1].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["kernelspec"]["language"] == "python"
    for c in nb.cells:
        if c.cell_type == "code":
            assert c.outputs == [] and c.execution_count is None, f"{path.name} has outputs: strip them"


#: What a cell that shows or words something calls: never in a language-free cell.
SHOWING = {"display", "HTML", "Markdown", "md", "say", "glue", "figure", "print", "show"}


def _language_free_cells(path: Path) -> list:
    from shanxi_analysis.publish import LANGUAGE_FREE_TAG

    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if LANGUAGE_FREE_TAG in c.get("metadata", {}).get("tags", [])]


def test_the_story_notebooks_compute_in_language_free_cells():
    tagged = {p.name: _language_free_cells(p) for p in NOTEBOOKS}
    stories = [p.name for p in NOTEBOOKS if '"report": "province"' in p.read_text(encoding="utf-8")]
    assert stories and all(tagged[name] for name in stories), tagged  # each story computes once per set


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_a_language_free_cell_neither_reads_the_language_nor_shows_anything(path):
    """A cell tagged language-free is skipped when the notebook runs again in another language (its variables are
    kept from the first run): it must not read ``lang`` (or anything set from it later) and must show nothing."""
    import ast

    for cell in _language_free_cells(path):
        tree = ast.parse(cell.source)
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        assert "lang" not in names, f"{path.name}: a language-free cell reads lang:\n{cell.source}"
        called = {
            n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
            for n in ast.walk(tree)
            if isinstance(n, ast.Call)
        }
        assert not called & SHOWING, f"{path.name}: a language-free cell shows {called & SHOWING}:\n{cell.source}"
        assert tree.body and not isinstance(tree.body[-1], ast.Expr), (
            f"{path.name}: a language-free cell ends with an expression, which the notebook would show:\n{cell.source}"
        )
        assigned = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        assert assigned, f"{path.name}: a language-free cell that assigns nothing computes nothing:\n{cell.source}"


# --------------------------------------------------------------------------------------------- execution
def _execute(path: Path, out: Path, **params):
    import papermill as pm

    return pm.execute_notebook(
        str(path),
        str(out),
        parameters=params,
        kernel_name="python3",
        cwd=str(NB_DIR),
        progress_bar=False,
        log_output=False,
    )


def _glued(nb) -> dict:
    """The values the notebook glued, read with the package's own reader (tested in test_analysis.py against a
    notebook whose glued values the test writes itself)."""
    from shanxi_analysis import present

    return present.read_glued(nb)


def _outputs(nb, kind: str) -> list:
    return [o for c in nb["cells"] for o in c.get("outputs", []) if kind in o.get("data", {})]


DEFAULT = ("Shanxi", 2020)
# Every notebook with the default parameters (the article check runs only with them); the spread of province
# stories over provinces and years, chosen from the data, is built and checked page by page in test_reports.py.
RUNS = [(p, prov, yr) for p in NOTEBOOKS for prov, yr in [DEFAULT]]


#: A link to the article check as the report builder passes it to notebook 00.
ARTICLE_HREF = "../../article-check/03-projects-zones-industries.html"


@pytest.mark.notebooks
def test_overview_links_the_article_check_only_when_given_a_link(tmp_path):
    """Notebook 00 imports nothing from the publishing stage: without ``article_check_href`` it has no link to the
    article check (only to the other pages of its own set, which sit next to it)."""
    nb = _execute(NB_DIR / "00-overview.ipynb", tmp_path / "00.ipynb", province="Shanxi", year=2020)
    text = "".join(o["data"]["text/markdown"] for o in _outputs(nb, "text/markdown"))
    assert "article check" not in text and "article-check" not in text
    links = re.findall(r"\]\(([^)]*)\)", text)
    article = {p.name for p in NOTEBOOKS if _kind(p) == "article"}
    assert links and all(re.fullmatch(r"\d\d-[a-z-]+\.html", href) for href in links), links
    assert not {href.replace(".html", ".ipynb") for href in links} & article, links
    code = "".join(c["source"] for c in nb["cells"] if c["cell_type"] == "code")
    assert not re.search(r"import publish|shanxi_analysis\.publish|\bpublish\.", code)
    # the path chart says how usual outgrowing China is (three editors read "faster than China in N years" as
    # praise): the median province's count, as the analysis gives it (checked against data/raw in test_claims.py)
    import shanxi_analysis as sa

    medians = sa.analysis.median_against_china(sa.data.fai_growth(), sa.data.national_fai_growth())
    (chart,) = [o for o in _outputs(nb, "image/svg+xml") if "shanxi_analysis.figure" in o.get("metadata", {})]
    said = json.dumps(chart["metadata"]["shanxi_analysis.figure"], ensure_ascii=False)
    assert f"the median province's did in {medians.faster} of the {medians.years} years" in said, said[:400]


# The pages that rank the province, and whether they also say how many provinces were ranked ("n_ranked").
RANKING = {"00-overview": True, "01-investment-growth": True, "02-year-in-detail": False}


def _gdp_years() -> set[int]:
    with open(RAW / "nbs_gdp_by_province.csv", encoding="utf-8") as fh:
        return {int(r["year"]) for r in csv.DictReader(fh) if r["gdp_100m_yuan"].strip()}


@pytest.mark.notebooks
@pytest.mark.parametrize("path,province,year", RUNS, ids=[f"{p.stem}-{pr}-{y}" for p, pr, y in RUNS])
def test_notebook_executes(path, province, year, reports):
    # executed once for the whole suite by the report builder (conftest.reports), as a reader gets it
    folder = "article-check" if _kind(path) == "article" else f"{year}/{province.lower()}"
    nb = nbformat.read(str(reports / folder / path.name), as_version=4)
    glued = _glued(nb)
    english = _raw_names().get(province, province)
    assert glued["province"] == english and glued["year"] == year
    # no warnings or tracebacks leak into the report
    streams = [o for c in nb["cells"] for o in c.get("outputs", []) if o.get("output_type") == "stream"]
    assert not [o for o in streams if o.get("name") == "stderr"], [o["text"][:300] for o in streams]
    assert _outputs(nb, "text/markdown"), "the notebook must narrate its findings"
    if path.stem in RANKING:
        # the pages that rank the province (02 included) glue its growth and rank, checked against the raw CSV;
        # 00 and 01 also say how many provinces were ranked
        rank, n = _raw_rank(english, year)
        assert glued["rank"] == rank and glued["growth"] == _raw_growth(english, year)
        if RANKING[path.stem]:
            assert glued["n_ranked"] == n
    if path.stem in ("03-projects-zones-industries", "05-claims"):
        # the counts the page states are the ledger's verdicts counted (not sa.claims.verdict_counts, which the
        # notebooks call themselves): every claim once, verdicts with no claim shown as 0
        from collections import Counter

        import shanxi_analysis as sa

        verdicts = sa.claims.ledger()["verdict"]
        assert {k: v for k, v in glued["verdict_counts"].items() if v} == dict(Counter(verdicts))
        assert glued["n_claims"] == len(verdicts) == sum(glued["verdict_counts"].values())
    # charts are SVG (with alt text and a caption), never PNG
    assert not _outputs(nb, "image/png")
    if path.stem == "01-investment-growth":
        assert len(_outputs(nb, "image/svg+xml")) == 3, "bar chart, history and map"
    if path.stem == "02-year-in-detail":
        images = len(_outputs(nb, "image/svg+xml"))
        # monthly chart only for 2020; Shanxi-2020 sector and city charts; a scale chart where GDP exists
        expected = (year == 2020) + 2 * ((english, year) == DEFAULT) + (year in _gdp_years())
        assert images == expected
        assert glued["province_months"] == (4 if (english, year) == DEFAULT else 0)
        assert glued["national_months"] == _raw_national_months(year)
    if path.stem == "00-overview":
        text = "".join(o["data"]["text/markdown"] for o in _outputs(nb, "text/markdown"))
        assert (f"]({ARTICLE_HREF})" in text) == ((english, year) == DEFAULT)  # only Shanxi 2020 links the article
        if (english, year) == DEFAULT:
            # the ledger's verdicts counted, in short: the full counts are the ledger page's
            import shanxi_analysis as sa

            verdicts = sa.claims.ledger()["verdict"].value_counts()
            short = (
                f"Of the article's {verdicts.sum()} claims, {verdicts['confirmed']} are confirmed, "
                f"{verdicts['consistent']} only consistent with its own numbers, "
                f"{verdicts['misleading']} misleading and {verdicts['contradicted']} contradicted; "
                f"{verdicts['unverifiable']} cannot be checked"
            )
            assert short in " ".join(text.split()) and "factual claims" not in text


@pytest.mark.notebooks
@pytest.mark.parametrize(
    "path,params,message",
    [
        (NB_DIR / "01-investment-growth.ipynb", {"province": "Atlantis"}, "Unknown province 'Atlantis'"),
        (NB_DIR / "02-year-in-detail.ipynb", {"year": 1980}, "year 1980 is outside"),
    ],
    ids=["bad-province", "bad-year"],
)
def test_invalid_parameters_stop_early(path, params, message, tmp_path):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as exc:
        _execute(path, tmp_path / path.name, **params)
    assert message in str(exc.value)
    # cells run: parameters, papermill's injected parameters, then the validating cell
    assert exc.value.exec_count <= 3, "invalid parameters must stop the notebook in its first cells"


# --------------------------------------------------------------------------------------------- one story per set
#: Sets whose pages are read together: no sentence of eight words or more may appear on two pages of a set.
STORY_SETS = (("Shanxi", 2020), ("Hubei", 2020), ("Beijing", 2003))


def _page_sentences(nb) -> list[str]:
    """The sentences a reader sees on a page: its Markdown cells and Markdown outputs, links reduced to their
    labels, split at sentence ends and list items."""
    import re

    texts = [c["source"] for c in nb["cells"] if c["cell_type"] == "markdown"]
    texts += [o["data"]["text/markdown"] for o in _outputs(nb, "text/markdown")]
    out = []
    for text in texts:
        text = re.sub(r"<[^>]+>", "", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text))
        for line in text.splitlines():
            line = line.strip("-#* ").strip()
            out += [s.strip() for s in re.split(r"(?<=[.;:!?])\s+", line) if s.strip()]
    return out


@pytest.fixture(scope="module")
def story_sets(reports) -> Path:
    """The suite's shared build of the stories (conftest.reports)."""
    from conftest import BILINGUAL_SETS

    assert set(STORY_SETS) <= set(BILINGUAL_SETS)
    return reports


@pytest.mark.notebooks
@pytest.mark.parametrize("province,year", STORY_SETS, ids=[f"{p}-{y}" for p, y in STORY_SETS])
def test_no_sentence_is_repeated_across_the_pages_of_a_set(story_sets, province, year):
    from collections import defaultdict

    folder = story_sets / str(year) / province.lower()
    pages = sorted(folder.glob("*.ipynb"))
    assert len(pages) >= 4, pages
    seen: dict[str, set[str]] = defaultdict(set)
    titles = {}
    for page in pages:
        nb = nbformat.read(str(page), as_version=4)
        titles[page.stem] = _glued(nb).get("page_title")
        for sentence in _page_sentences(nb):
            if len(sentence.split()) >= 8:
                seen[" ".join(sentence.lower().split())].add(page.stem)
    repeated = {s: sorted(p) for s, p in seen.items() if len(p) > 1}
    assert not repeated, f"stated on more than one page of {province} {year}: {repeated}"
    # every page has a title of its own that states something, not a section name
    assert all(titles.values()) and len(set(titles.values())) == len(titles), titles
    assert not {"Overview", "The year in context"} & set(titles.values())
    import yaml

    catalog = yaml.safe_load((ROOT / "shanxi_analysis" / "messages" / "en.yml").read_text(encoding="utf-8"))
    kickers = {v for k, v in catalog.items() if k.startswith("kicker.")}
    for page in pages:  # each page opens with its kicker line, then its title as its first heading
        nb = nbformat.read(str(page), as_version=4)
        kicker, first = (o["data"]["text/markdown"] for o in _outputs(nb, "text/markdown")[:2])
        assert kicker.strip().strip("*") in kickers and "#" not in kicker, (page.stem, kicker)
        assert first.startswith("# ") and titles[page.stem] in first, page.stem
    overview = " ".join(_page_sentences(nbformat.read(str(folder / "00-overview.ipynb"), as_version=4)))
    detail = folder / "02-year-in-detail.ipynb"
    if detail.exists():
        intro = " ".join(_page_sentences(nbformat.read(str(detail), as_version=4)))
        assert ("pandemic" in intro.lower()) == (year == 2020)
    else:  # a page with nothing to add is left out of the set, with its reason in build.json (never 2020's)
        runs = json.loads((folder / "build.json").read_text(encoding="utf-8"))
        entry = next(r for r in runs["notebooks"] if r["notebook"] == detail.name)
        assert year != 2020 and entry["published"] is False and entry["reason"], entry
    if province == "Hubei":
        assert "Wuhan" in overview
    if province == "Beijing":
        assert "SARS" in overview


@pytest.mark.notebooks
def test_no_warning_or_traceback_reaches_any_page_in_any_language(reports):
    """Every executed notebook of the shared build (the stories in English and Chinese, the spread, the article
    check) is free of stderr output: a library warning printed by a chart (matplotlib's "constrained_layout not
    applied" on a Chinese rank chart) would otherwise be published on the page."""
    executed = sorted(p for p in reports.rglob("*.ipynb") if "_failed" not in p.parts and ".staging" not in p.parts)
    assert len(executed) >= 60, len(executed)  # sixteen sets of five stories and the article check
    assert any("/zh/" in p.as_posix() for p in executed)
    for path in executed:
        nb = nbformat.read(str(path), as_version=4)
        outputs = [o for c in nb.cells for o in c.get("outputs", [])]
        leaked = [o for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
        leaked += [o for o in outputs if o.get("output_type") == "error"]
        assert not leaked, (path.relative_to(reports).as_posix(), [str(o)[:300] for o in leaked])
