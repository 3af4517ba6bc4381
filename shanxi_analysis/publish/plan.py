"""The plan of a build: report jobs, their results, notebook discovery and kinds.

``plan``/``plan_pairs`` are pure (one :class:`ReportJob` per parameter set). The checks made before a kernel
starts live next door: :mod:`~shanxi_analysis.publish.params` (each job's parameters against the notebooks'
``parameters`` cells) and :mod:`~shanxi_analysis.publish.options` (the command's options). The constants name the
output layout shared by the other ``publish`` modules."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from ..data import province_names as _provinces
from ..errors import ParameterError

FORMATS = ("html", "ipynb", "pdf")
DEFAULT_FORMATS = ("html", "ipynb")
DEFAULT_TIMEOUT = 600
"""Seconds a single cell may run before it is interrupted (papermill's ``execution_timeout``)."""

NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
METADATA_KEY = "shanxi_analysis"
"""Notebook metadata namespace: ``metadata["shanxi_analysis"]["report"]`` names the kind of report."""
PROVINCE, ARTICLE = "province", "article"
KINDS = (PROVINCE, ARTICLE)
"""``province``: the province story, run for every (province, year); ``article``: the article check, run once."""
ARTICLE_DIR = "article-check"
"""Folder of the article check under the reports folder (``DIR/article-check/``)."""


class _ArticleParameters(TypedDict):
    province: str
    year: int


ARTICLE_PARAMETERS: _ArticleParameters = {"province": "Shanxi", "year": 2020}
"""The parameters the article check runs with: the China Daily article is about Shanxi in 2020."""
STAGING_DIR = ".staging"
FAILED_DIR = "_failed"
LOCK_FILE = ".lock"
INDEX_FILE = "index.html"
BUILD_FILE = "build.json"
STALE_AFTER_SECONDS = 24 * 3600
KEEP_FAILURES = 5
KERNEL_NAME = "python3"
UP_TO_DATE = "up to date"
"""Status of a parameter set whose every notebook's key matches its last good build: nothing was run."""
LIBRARIES = (
    "pandas",
    "numpy",
    "pandera",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "jupyter_client",
)
PDF_INSTALL_HINT = (
    "PDF needs Chromium: install it with `sudo apt-get install chromium` (or `make browser-deps`), "
    "or leave pdf out of --format."
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


@dataclass(frozen=True)
class ReportJob:
    """One parameter set: the notebooks to run for one province and year."""

    province: str
    year: int
    notebooks: tuple[Path, ...]
    kind: str = PROVINCE

    @property
    def slug(self) -> str:
        """The province part of the output folder ("Inner Mongolia" -> "inner-mongolia")."""
        return _provinces.slug(self.province)

    @property
    def key(self) -> str:
        """The report folder relative to the reports folder: ``<year>/<slug>``, or ``article-check``."""
        return ARTICLE_DIR if self.kind == ARTICLE else f"{self.year}/{self.slug}"

    @property
    def depth(self) -> int:
        """How many folders below the reports folder the report is published (for links to the index)."""
        return self.key.count("/") + 1

    @property
    def title(self) -> str:
        """The parameters as a reader reads them: ``"Shanxi, 2020"`` or ``"The article check"``."""
        return "The China Daily article check" if self.kind == ARTICLE else f"{self.province}, {self.year}"

    @property
    def parameters(self) -> dict[str, Any]:
        """The values injected into every notebook's ``parameters`` cell."""
        return {"province": self.province, "year": self.year}

    @property
    def label(self) -> str:
        return "article check" if self.kind == ARTICLE else f"{self.province} {self.year}"


@dataclass
class Failure:
    """Where and why a notebook failed."""

    notebook: str
    cell: int | None  # 1-based position of the failing cell in the source notebook
    exec_count: int | None  # the "In [n]" of that cell in the executed notebook
    ename: str
    evalue: str
    kind: str = "error"  # error | timeout | kernel

    def describe(self) -> str:
        """One line: notebook, cell, error."""
        where = self.notebook
        if self.cell is not None:
            where += f", cell {self.cell}" + (f" (In [{self.exec_count}])" if self.exec_count else "")
        line = next((x for x in str(self.evalue).splitlines() if x.strip()), "")
        return f"{where}: {self.ename}: {line}" if line else f"{where}: {self.ename}"


@dataclass
class ReportResult:
    """The outcome of one parameter set."""

    job: ReportJob
    status: str  # ok | failed | interrupted
    started: str
    finished: str
    seconds: float
    folder: Path | None  # the published report folder, or the kept failed attempt
    notebooks: list[dict] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("ok", UP_TO_DATE)


def notebook_kind(path: Path | str) -> str:
    """The kind of report a notebook belongs to, from its metadata ``shanxi_analysis.report``.

    A notebook without that key belongs to the province story (``"province"``).

    Raises
    ------
    ParameterError
        If the notebook cannot be read or declares a kind other than ``province`` or ``article``.
    """
    path = Path(path)
    from .options import check_notebooks  # (options imports this module's constants)

    check_notebooks([path])  # a corrupt notebook is named with what to do, before its metadata is read
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    kind = (meta.get(METADATA_KEY) or {}).get("report", PROVINCE) if isinstance(meta, dict) else PROVINCE
    if kind not in KINDS:
        raise ParameterError(
            f"{path.name} declares metadata {METADATA_KEY}.report = {kind!r}; use one of "
            f"{', '.join(map(repr, KINDS))} ({path})."
        )
    return kind


def find_notebooks(notebooks_dir: Path | str, kind: str | None = None) -> tuple[Path, ...]:
    """The report notebooks in ``notebooks_dir`` (``NN-name.ipynb``), in order; only those of ``kind`` if given.

    The kind is read from each notebook (:func:`notebook_kind`), so adding a notebook never means editing the
    builder.

    Raises
    ------
    ParameterError
        If the folder does not exist or holds no notebook named ``NN-name.ipynb``.
    """
    folder = Path(notebooks_dir)
    if not folder.is_dir():
        raise ParameterError(f"Notebook folder {folder} does not exist. Pass the folder with --notebooks DIR.")
    found = tuple(sorted(folder.glob(NOTEBOOK_GLOB)))
    if not found:
        raise ParameterError(
            f"No notebooks named NN-name.ipynb (e.g. 01-investment-growth.ipynb) in {folder}. "
            "Pass the folder that holds them with --notebooks DIR."
        )
    if kind is None:
        return found
    return tuple(p for p in found if notebook_kind(p) == kind)


def plan(
    provinces: Iterable[str | int], years: Iterable[int], notebooks_dir: Path | str, *, article: bool = True
) -> list[ReportJob]:
    """The article check (once, first) and one province story per (province, year), year by year.

    Parameters
    ----------
    provinces
        Names in any common spelling, or adcodes; duplicates (after normalising) are dropped.
    years
        Years; duplicates are dropped.
    notebooks_dir
        Folder of ``NN-name.ipynb`` notebooks.  Notebooks of kind ``province`` run for every (province, year);
        those of kind ``article`` run once, with :data:`ARTICLE_PARAMETERS`, as their own report.
    article
        False: leave the article check out.

    Raises
    ------
    UnknownProvinceError
        For a name that is not a province (the message lists the closest names).
    ParameterError
        If there are no notebooks, or no province or year.
    """
    names = list(dict.fromkeys(_provinces.normalize(p) for p in provinces))
    yrs = list(dict.fromkeys(years))
    return plan_pairs([(p, y) for y in yrs for p in names], notebooks_dir, article=article)


def plan_pairs(pairs: Iterable[tuple[str, int]], notebooks_dir: Path | str, *, article: bool = True) -> list[ReportJob]:
    """Like :func:`plan` for explicit (province, year) pairs, in their order (from
    :mod:`shanxi_analysis.publish.grid`)."""
    pairs = list(dict.fromkeys((_provinces.normalize(p), y) for p, y in pairs))
    if not pairs:
        raise ParameterError("Nothing to build: give at least one --province (or --all-provinces) and one --year.")
    found = find_notebooks(notebooks_dir)
    kinds = {p: notebook_kind(p) for p in found}
    story = tuple(p for p in found if kinds[p] == PROVINCE)
    checks = tuple(p for p in found if kinds[p] == ARTICLE)
    jobs = (
        [ReportJob(ARTICLE_PARAMETERS["province"], ARTICLE_PARAMETERS["year"], checks, ARTICLE)]
        if article and checks
        else []
    )
    if story:
        jobs += [ReportJob(p, y, story) for p, y in pairs]
    if not jobs:
        raise ParameterError(
            f"Nothing to build: every notebook in {Path(notebooks_dir)} is of kind 'article' "
            "and the article check was left out."
        )
    return jobs


def article_href(notebooks_dir: Path | str, depth: int = 2) -> str | None:
    """The link from a report page ``depth`` folders below the reports folder to the article check's first
    page, or None when ``notebooks_dir`` has no notebook of kind ``article``."""
    # Called from inside a notebook, after the builder checked every notebook: read only the metadata (plain
    # JSON), not nbformat, whose import and validation cost a kernel 1-3 s; unreadable files count as no article.
    for path in sorted(Path(notebooks_dir).glob(NOTEBOOK_GLOB)):
        try:
            meta = json.loads(path.read_text(encoding="utf-8")).get("metadata")
        except (OSError, ValueError, AttributeError):
            continue
        if (
            isinstance(meta, dict)
            and isinstance(meta.get(METADATA_KEY), dict)
            and meta[METADATA_KEY].get("report") == ARTICLE
        ):
            return f"{'../' * depth}{ARTICLE_DIR}/{path.stem}.html"
    return None
