"""Shared fixtures and helpers of the test suite.

The suite has tiers (markers registered in ``pyproject.toml``):

- unit (no marker): in-memory frames and notebooks, the package called in-process; ``make test-unit``;
- ``e2e``: starts the command line or a report build in a subprocess, a kernel, a Dask cluster or another tool, or
  rebuilds datasets from a private copy of ``data/`` (every test using ``data_copy`` is marked so here);
- ``notebooks``: executes the project's own notebooks (the slowest end-to-end builds);
- ``browser``: drives headless Chromium;
- ``slow``: in-process but seconds each (chart label placement, sweeps over every province and year).

Helpers used by several test modules live here (test modules never import each other): tiny notebooks written by
the tests, the command line run in a subprocess, readers of the raw CSV files (the oracle: the csv module, never the
package), process checks, a private copy of ``data/`` (``data_copy``), and one real build of the project's notebooks
shared by the tests that read it (``reports``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
NOTEBOOKS = ROOT / "notebooks"
REAL_NOTEBOOKS = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
#: The reference sources (optional): tests that compare with them are skipped where the folder is missing.
SHARED = ROOT.parent / "shared" / "sources"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"reference sources not found at {SHARED}")
GUARD = 240  # seconds: a harness guard against a hung subprocess, never an assertion
PARAMS = 'province: str = "Shanxi"  # any of the 31 provinces\nyear: int = 2020  # year of the analysis'
FIGURE = (
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(3, 2))\nax.plot([1, 2, 3])\n"
    "ax.set_title(f'{province} {year}')\nplt.show()"
)


# --------------------------------------------------------------------------------------------- raw-file oracle
def raw_rows(name: str, folder: Path = RAW) -> list[dict[str, str]]:
    """The rows of a raw CSV file, read with the csv module."""
    with open(folder / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def num(text: str) -> float:
    """A raw CSV cell as a number, NaN where empty."""
    return float(text) if text.strip() else math.nan


def english_names() -> dict[str, str]:
    """Chinese short and full province names -> English name, from provinces.csv."""
    out = {}
    for r in raw_rows("provinces.csv"):
        out[r["name_zh"]] = out[r["name_zh_full"]] = r["name_en"]
    return out


def year_range_from_raw() -> tuple[int, int]:
    """Years of the provincial growth series: the Wind table, continued by the yearbook's all-investment growth."""
    years = [int(r["year"]) for r in raw_rows("nbs_fai_growth_by_province.csv") if r["fai_growth_pct"].strip()]
    years += [
        int(r["year"])
        for r in raw_rows("nbs_yearbook_fai_growth_by_field.csv")
        if r["field"] == "all" and r["growth_pct"].strip()
    ]
    return min(years), max(years)


# ------------------------------------------------------------------------------------------- tiny notebooks
def new_notebook(
    cells: list[str], params: str | None = PARAMS, title: str = "A notebook", kind: str | None = None
) -> nbformat.NotebookNode:
    """An in-memory notebook: a markdown title, a cell tagged parameters, then code cells; ``kind`` goes into its
    metadata (``shanxi_analysis.report``), none by default."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(f"# {title}\n\nWhat this notebook shows."))
    if params is not None:
        p = nbformat.v4.new_code_cell(params)
        p.metadata["tags"] = ["parameters"]
        nb.cells.append(p)
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if kind is not None:
        nb.metadata["shanxi_analysis"] = {"report": kind}
    return nb


def write_notebook(
    folder: Path,
    name: str,
    cells: list[str],
    params: str | None = PARAMS,
    title: str | None = None,
    kind: str | None = None,
) -> Path:
    """:func:`new_notebook` written to ``folder/name`` (its title: '<name> heading')."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    nbformat.write(new_notebook(cells, params, f"{title or name} heading", kind), str(path))
    return path


def good_notebooks(folder: Path) -> Path:
    """Two tiny notebooks that build: 01-alpha prints its parameters and draws a figure, 02-beta adds."""
    write_notebook(folder, "01-alpha.ipynb", ["print(f'REPORT FOR {province} IN {year}')", FIGURE])
    write_notebook(folder, "02-beta.ipynb", ["total = year + 1", "print('beta total', total)"])
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------------------- the command line
def cli_env(env: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1", **(env or {})}


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = GUARD) -> subprocess.CompletedProcess:
    """``python -m shanxi_analysis report --no-progress ARGS`` in a subprocess, from the project folder."""
    return subprocess.run(
        [sys.executable, "-m", "shanxi_analysis", "report", "--no-progress", *args],
        capture_output=True,
        text=True,
        env=cli_env(env),
        timeout=timeout,
        cwd=ROOT,
    )


def run_main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """What :func:`run_cli` returns, from ``cli.main`` called in this process: for the command's answers that come
    before any build starts (usage and data errors), without the cost of a new interpreter."""
    import shanxi_analysis as sa
    from shanxi_analysis import cli

    argv = ["report", "--no-progress", *args]
    saved = {k: os.environ.get(k) for k in env or {}}
    out, err = io.StringIO(), io.StringIO()
    os.environ.update(env or {})
    sa.data.clear_cache()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(argv)
            except SystemExit as exc:  # argparse's own usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        restore_env(saved)
        sa.data.clear_cache()
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def restore_env(saved: dict[str, str | None]) -> None:
    """Put back the environment variables recorded in ``saved`` (None: the variable was not set)."""
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def popen_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """:func:`run_cli` started in the background; it dumps its threads' stacks on SIGUSR1 (to diagnose a hang)."""
    code = (
        "import faulthandler, signal, sys; faulthandler.register(signal.SIGUSR1, all_threads=True); "
        "from shanxi_analysis.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, "report", "--no-progress", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(env),
        cwd=ROOT,
    )


# ------------------------------------------------------------------------------------------------ processes
def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (psutil: workers, their kernels ...)."""
    import psutil

    try:
        return {p.pid for p in psutil.Process(pid).children(recursive=True)}
    except psutil.NoSuchProcess:
        return set()


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (a zombie is not)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


#: The xdist group of every test that reads the suite's shared build (:func:`reports`), and of the other tests that
#: drive the browser or execute the article check: one worker runs them all, so no worker waits idle for a build
#: the other is making (``pytest -n 2 --dist loadgroup``).
SHARED_BUILD_GROUP = "shared-build"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test on a private copy of data/ rebuilds datasets from the raw files (seconds each): end-to-end tier.
    A test reading the shared build joins :data:`SHARED_BUILD_GROUP`."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "data_copy" in names:
            item.add_marker(pytest.mark.e2e)
        if "reports" in names:
            item.add_marker(pytest.mark.xdist_group(SHARED_BUILD_GROUP))


# ------------------------------------------------------------------------------------ a private copy of data/
class DataCopy:
    """A copy of the project's data/ in a temporary folder, in use by the package while the test runs."""

    def __init__(self, root: Path):
        self.root = root
        self.raw = root / "raw"

    def edit_csv(
        self, name: str, change: Callable[[list[dict]], list[dict] | None], *, record_checksum: bool = True
    ) -> None:
        """Rewrite ``raw/<name>`` through ``change(rows)`` (edit in place or return new rows), then record the
        new checksum in the copy's manifest unless ``record_checksum`` is False."""
        path = self.raw / name
        text = path.read_text(encoding="utf-8")
        reader = csv.DictReader(io.StringIO(text))
        fields = list(reader.fieldnames or [])
        rows = list(reader)
        new = change(rows)
        rows = rows if new is None else new
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=list(rows[0].keys()) if rows else fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
        if record_checksum:
            self.record_checksums()

    def write_text(self, name: str, text: str, *, record_checksum: bool = True) -> None:
        (self.raw / name).write_text(text, encoding="utf-8")
        if record_checksum:
            self.record_checksums()

    def record_checksums(self) -> None:
        """Record every file's current checksum in the copy's manifest, even where the file is broken."""
        import shanxi_analysis as sa

        list(sa.data.refresh_manifest(self.root, check_headers=False, skip_missing=True, accept_shape=True))
        sa.data.clear_cache()


def _writable_rmtree(folder: Path) -> None:
    """Remove ``folder`` even where a test left a file or folder without write permission."""

    def retry(func: Callable, path: str, _exc: object) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o700)
        func(path)

    if folder.exists():
        handler = {"onexc": retry} if sys.version_info >= (3, 12) else {"onerror": retry}  # renamed in 3.12
        shutil.rmtree(folder, **handler)


@pytest.fixture(scope="session")
def pristine_data(tmp_path_factory) -> tuple[Path, Path]:
    """``(data folder, dataset cache)``: where this worker's ``data_copy`` lives, and the cache of every dataset built
    once from the untouched data there.

    Every ``data_copy`` of a worker sits at the same path (a worker runs one test at a time), so the cache, whose
    entries are per data folder and keyed by the checksums of the raw files read, serves the datasets a test does
    not touch and rebuilds, as it would for a user, each one whose raw files the test changed. The cache itself is
    tested with its own copies in test_trust and test_cache_key."""
    import shanxi_analysis as sa

    base = tmp_path_factory.mktemp("pristine")
    data, cache = base / "data-copy" / "data", base / "cache"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("interim", "cache"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SHANXI_ANALYSIS_DATA_DIR", str(data))
        mp.setenv("SHANXI_ANALYSIS_CACHE_DIR", str(cache))
        mp.delenv("SHANXI_ANALYSIS_CACHE", raising=False)
        sa.data.clear_cache()
        for loader in sa.data.available():
            getattr(sa.data, loader)()
        sa.data.clear_cache()
    return data, cache


@pytest.fixture
def data_copy(pristine_data, tmp_path, monkeypatch) -> DataCopy:
    """A writable copy of data/ that the package reads instead of the real one for this test, with a dataset cache
    of its own that starts with the datasets of the untouched data (``pristine_data``)."""
    import shanxi_analysis as sa

    dst, seed = pristine_data
    _writable_rmtree(dst)
    shutil.copytree(ROOT / "data", dst, ignore=shutil.ignore_patterns("interim", "cache"))
    shutil.copytree(seed, tmp_path / "cache")
    monkeypatch.setenv("SHANXI_ANALYSIS_DATA_DIR", str(dst))
    monkeypatch.setenv("SHANXI_ANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    sa.data.clear_cache()
    yield DataCopy(dst)
    sa.data.clear_cache()


# ------------------------------------------------------------------------ one real build, shared by the suite
#: The parameter sets of the shared real build: the article's own (with the article check) and another.
REAL_SETS = (("Shanxi", 2020), ("Guangdong", 2019))


def shared_build(tmp_path_factory, worker_id: str, name: str, build: Callable[[Path], dict]) -> Path:
    """``build(folder)`` run once per test session, whatever the number of xdist workers, into a folder the tests
    only read; ``build`` returns ``{"out": ...}`` or ``{"error": ...}``.

    With ``pytest -n 2`` the first worker to ask builds under a file lock and the other reads the record it leaves
    (the pattern of pytest-xdist's documentation): a module- or session-scoped fixture alone is built once per
    worker, so twice."""
    from filelock import FileLock

    if worker_id == "master":  # no xdist
        result = build(tmp_path_factory.mktemp(name))
    else:
        shared = tmp_path_factory.getbasetemp().parent
        record = shared / f"{name}.json"
        with FileLock(str(record) + ".lock"):
            if record.is_file():
                result = json.loads(record.read_text())
            else:
                result = build(shared / name)
                record.write_text(json.dumps(result))
    if "error" in result:
        pytest.fail(f"the shared build {name!r} failed: {result['error']}")
    return Path(result["out"])


# ------------------------------------------------------------------------ raw panels (independent of the package)
def raw_series(
    name: str, key: str, value: str, *, where: tuple[str, str] | None = None
) -> dict[tuple[str, int], float]:
    """(English province, year) -> value of a raw file whose province column is ``key`` (Chinese, maybe with a
    ``:indicator`` suffix, or English)."""
    en = english_names()
    out = {}
    for r in raw_rows(name):
        if where and r[where[0]] != where[1]:
            continue
        zh = r[key].split(":")[0]
        prov = en.get(zh, zh)
        if r[value].strip() and prov in en.values():
            out[(prov, int(r["year"]))] = float(r[value])
    return out


def raw_panels() -> dict[str, dict[tuple[str, int], float]]:
    """Every province-year series in data/raw, read with the csv module (independent of the package)."""
    growth = raw_series("nbs_fai_growth_by_province.csv", "indicator_name", "fai_growth_pct")
    growth.update(raw_series("nbs_yearbook_fai_growth_by_field.csv", "region_zh", "growth_pct", where=("field", "all")))
    return {
        "growth": growth,
        "gdp": raw_series("nbs_gdp_by_province.csv", "region", "gdp_100m_yuan"),
        "level": raw_series("fai_level_by_province.csv", "region_zh", "fai_100m_yuan"),
        "price": raw_series("fai_price_index_by_province.csv", "indicator_name", "index_prev_year_100"),
        "gfcf": raw_series("gfcf_by_province.csv", "indicator_name", "gfcf_100m_yuan"),
        "grp": raw_series("grp_index_by_province.csv", "region_zh", "index_prev_year_100"),
        "population": raw_series("population_yearend_by_province.csv", "region_zh", "population_10k"),
        "monthly": {
            (r["region"], int(r["year"])): 1.0
            for r in raw_rows("fai_2020_monthly_cumulative.csv")
            if r["cum_growth_pct"].strip()
        },
        "national": {
            ("China", int(r["year"])): 1.0 for r in raw_rows("national_fai_growth.csv") if r["growth_pct"].strip()
        },
    }


def story_cases() -> dict[str, tuple[str, int]]:
    """The parameter sets of the spread, chosen from the raw data."""
    panels = raw_panels()
    growth = panels["growth"]
    provinces = [r["name_en"] for r in raw_rows("provinces.csv")]  # in adcode order
    years = sorted({y for _, y in growth})

    def coverage(p: str, y: int) -> int:
        return sum(((p, y) in s) or (name == "national" and ("China", y) in s) for name, s in panels.items())

    cases = {"every dataset": max(((p, y) for y in years for p in provinces), key=lambda k: coverage(*k))}
    early = sorted(((v, p) for (p, y), v in growth.items() if y == years[0]))
    cases["before 2005"] = (early[len(early) // 2][1], years[0])
    assert years[0] < 2005
    no_price = [p for p in provinces if not any(k[0] == p for k in panels["price"])]
    assert no_price, "every province has a price index"
    last_price = max(y for _, y in panels["price"])
    cases["no price index"] = (no_price[0], max(y for (p, y) in growth if p == no_price[0] and y <= last_price))
    assert ("Ningxia", 2023) in growth  # the issue's own example of a 2023-2024 story
    cases["2023 or 2024"] = ("Ningxia", 2023)
    cases["no growth figure"] = next((p, y) for y in years for p in provinces if (p, y) not in growth)
    return cases


# ------------------------------------------------------------------------ the build read by several test modules
#: Sets read in both languages (test_chinese) and for repeated sentences (test_notebooks), chosen from the data;
#: the first is the article's own, built with the article check.
BILINGUAL_SETS = (("Shanxi", 2020), ("Shaanxi", 2019), ("Hubei", 2020), ("Tibet", 2015), ("Beijing", 2003))
#: The article's set and another province and year (English only), read by the browser and notebook tests.
REAL_SETS = (("Shanxi", 2020), ("Guangdong", 2019))


def _build_reports(out: Path) -> dict:
    def plan(sets) -> Path:
        path = out.parent / f"{out.name}-plan-{len(list(out.parent.glob(out.name + '-plan-*')))}.yml"
        path.write_text("parts:\n" + "".join(f"  - params: {{province: {p}, year: {y}}}\n" for p, y in sets))
        return path

    out.parent.mkdir(parents=True, exist_ok=True)
    spread = list(dict.fromkeys([*story_cases().values(), *REAL_SETS[1:]]))
    runs = [
        ("--plan", str(plan(BILINGUAL_SETS)), "--lang", "en,zh"),  # with the article check, built once, here
        ("--plan", str(plan(spread)), "--no-article-check"),
    ]
    for args in runs:
        res = run_cli(*args, "--workers", "2", "--out", str(out), timeout=1500)
        if res.returncode != 0:
            return {"error": f"{args}: exit {res.returncode}\n{res.stderr[-4000:]}"}
    return {"out": str(out)}


@pytest.fixture(scope="session")
def reports(tmp_path_factory, worker_id) -> Path:
    """The project's notebooks built once per session with the command line (warm kernels, two workers) into a
    folder the tests only read: the stories of :data:`BILINGUAL_SETS` in English and Chinese with the article check
    (``<out>/2020/shanxi/``, ``<out>/zh/2020/shanxi/``, ``<out>/article-check/``), then the spread of
    :func:`story_cases` and the rest of :data:`REAL_SETS` in English (a second run into the same folder), and the
    index over all of them."""
    return shared_build(tmp_path_factory, worker_id, "reports", _build_reports)
