"""What to build, decided and checked before any kernel starts: the plan of a build.

One concept, from the command's options to the report jobs:

* **what is asked for**: ``(province, year)`` pairs from ``--province``/``--year`` values (:func:`from_args`) or
  a plan file (:func:`load_plan`, format below), as a :class:`Grid`;
* **which notebooks**: the ``NN-name.ipynb`` notebooks of a folder and the kind each declares in its metadata
  (:func:`find_notebooks`, :func:`notebook_kind`);
* **the jobs**: one :class:`ReportJob` per parameter set (:func:`plan`, :func:`plan_pairs`), with the parameters
  injected into each notebook (:meth:`ReportJob.notebook_parameters`);
* **the checks**: cell timeout, output formats, output folder, notebooks readable, every injected parameter
  declared by the notebook with a type the value has (:func:`validate_params`);
* :func:`request` does all of this once for the ``report`` command and returns a checked :class:`Request`.

A plan file, in the cal-itp portfolio style (parts of chapters sharing parameters)::

    title: Central China, ten years
    article_check: false          # optional; default true
    parts:
      - caption: The coal provinces
        params:
          year: 2015-2024         # shared by the chapters of this part
        chapters:
          - province: Shanxi
          - province: [Shaanxi, Inner Mongolia]
      - params: {province: all, year: 2020}   # a part without chapters is one entry

``province`` is a name, a list of names or ``all``; ``year`` an integer, a range, a list or ``all``.  Unknown keys,
a missing ``province`` or ``year``, an unknown province or a year outside the data are errors naming the file and
the entry.

The constants name the output layout shared by the other ``publish`` modules.
"""

from __future__ import annotations

import ast
import contextlib
import json
import math
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, TypedDict

from ..data import province_names as _provinces
from ..errors import ParameterError, UnknownProvinceError

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
ARTICLE_HREF_PARAMETER = "article_check_href"
"""The parameter a province notebook declares (``article_check_href: str = ""``) to be given the relative link
from its page to the article check's first page ("" when the notebooks folder has no article check)."""


class _ArticleParameters(TypedDict):
    province: str
    year: int


ARTICLE_PARAMETERS: _ArticleParameters = {"province": "Shanxi", "year": 2020}
"""The parameters the article check runs with: the China Daily article is about Shanxi in 2020."""
DEFAULT_LANG = "en"
"""The language of the reports when none is asked for; the others are published under ``DIR/<lang>/``."""
CATALOG_DIR = Path(__file__).resolve().parents[1] / "messages"
"""The message catalog's folder: a language can be published when it has ``<lang>.yml`` there."""
LANG_PARAMETER = "lang"
"""The parameter a province notebook declares (``lang: str = "en"``) to be written in another language."""
LANGUAGE_FREE_TAG = "language-free"
"""The tag of a notebook cell that computes without words: it neither reads ``lang`` nor shows anything.  When a
set is built in several languages, each notebook runs in full in the first and then, in the same kernel with its
variables kept, again in each other language with its tagged cells skipped: the computations run once per set,
the words and charts once per language (:func:`~shanxi_analysis.publish.build.build_set`)."""
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
    article_check_href: str = ""
    """The link from this set's pages to the article check (:func:`article_href`), "" without one."""
    href_notebooks: frozenset[str] = frozenset()
    """Names of the notebooks that declare :data:`ARTICLE_HREF_PARAMETER` (they are given the link)."""
    lang: str = DEFAULT_LANG
    """The language of the pages (:data:`DEFAULT_LANG` at ``DIR/<year>/<slug>/``, another at ``DIR/<lang>/...``)."""
    languages: tuple[str, ...] = (DEFAULT_LANG,)
    """The languages this run builds the set in: each page links to its counterparts in the others."""

    @property
    def slug(self) -> str:
        """The province part of the output folder ("Inner Mongolia" -> "inner-mongolia")."""
        return _provinces.slug(self.province)

    @property
    def key(self) -> str:
        """The report folder relative to the reports folder: ``<year>/<slug>``, or ``article-check`` (under
        ``<lang>/`` for a language other than :data:`DEFAULT_LANG`)."""
        if self.kind == ARTICLE:
            return ARTICLE_DIR if self.lang == DEFAULT_LANG else f"{self.lang}/{ARTICLE_DIR}"
        return f"{self.year}/{self.slug}" if self.lang == DEFAULT_LANG else f"{self.lang}/{self.year}/{self.slug}"

    @property
    def depth(self) -> int:
        """How many folders below the reports folder the report is published (for links to the index)."""
        return self.key.count("/") + 1

    @property
    def title(self) -> str:
        """The parameters as a reader reads them: ``"Shanxi, 2020"`` or ``"The China Daily article check"`` (the
        catalog's ``article.check_title`` in the job's language)."""
        if self.kind == ARTICLE:
            from ..messages import say

            return say("article.check_title", self.lang)
        if self.lang == "zh":
            from ..data import provinces

            names = dict(zip(provinces()["name_en"], provinces()["name_zh"], strict=True))
            return f"{names[self.province]}，{self.year}年"
        return f"{self.province}, {self.year}"

    def counterparts(self, stem: str) -> list[tuple[str, str]]:
        """``(lang, href)`` of this page in the run's other languages, relative to this page."""
        up = "../" * self.depth
        return [
            (lang, f"{up}{replace(self, lang=lang).key}/{stem}.html") for lang in self.languages if lang != self.lang
        ]

    @property
    def parameters(self) -> dict[str, Any]:
        """The parameters of the set, injected into every notebook and recorded in ``build.json`` (``lang`` only
        for a language other than :data:`DEFAULT_LANG`, so the default's parameters stay as they were)."""
        out: dict[str, Any] = {"province": self.province, "year": self.year}
        if self.lang != DEFAULT_LANG:
            out[LANG_PARAMETER] = self.lang
        return out

    def notebook_parameters(self, notebook: Path | str) -> dict[str, Any]:
        """The values injected into ``notebook``'s ``parameters`` cell: :attr:`parameters`, and
        ``article_check_href`` where the notebook declares that parameter (and only there)."""
        if Path(notebook).name in self.href_notebooks:
            return {**self.parameters, ARTICLE_HREF_PARAMETER: self.article_check_href}
        return self.parameters

    @property
    def set_label(self) -> str:
        """The set in the builder's progress lines, whatever its language: ``"Hubei 2019"``, ``"article check"``."""
        return "article check" if self.kind == ARTICLE else f"{self.province} {self.year}"

    @property
    def label(self) -> str:
        """The set in the builder's lines: :attr:`set_label`, with ``" [zh]"`` for a language but the default."""
        return self.set_label + ("" if self.lang == DEFAULT_LANG else f" [{self.lang}]")


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


# ------------------------------------------------------------------------------------------------ notebooks


def _kind(path: Path) -> str:
    """The kind a notebook declares in its metadata (read as plain JSON; the notebook was checked before)."""
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    kind = (meta.get(METADATA_KEY) or {}).get("report", PROVINCE) if isinstance(meta, dict) else PROVINCE
    if kind not in KINDS:
        raise ParameterError(
            f"{path.name} declares metadata {METADATA_KEY}.report = {kind!r}; use one of "
            f"{', '.join(map(repr, KINDS))} ({path})."
        )
    return kind


def notebook_kind(path: Path | str) -> str:
    """The kind of report a notebook belongs to, from its metadata ``shanxi_analysis.report``.

    A notebook without that key belongs to the province story (``"province"``).

    Raises
    ------
    ParameterError
        If the notebook cannot be read or declares a kind other than ``province`` or ``article``.
    """
    path = Path(path)
    check_notebooks([path])  # a corrupt notebook is named with what to do, before its metadata is read
    return _kind(path)


def _found(folder: Path) -> tuple[Path, ...]:
    if not folder.is_dir():
        raise ParameterError(f"Notebook folder {folder} does not exist. Pass the folder with --notebooks DIR.")
    found = tuple(sorted(folder.glob(NOTEBOOK_GLOB)))
    if not found:
        raise ParameterError(
            f"No notebooks named NN-name.ipynb (e.g. 01-investment-growth.ipynb) in {folder}. "
            f"Pass the folder with --notebooks DIR."
        )
    check_notebooks(found)  # every notebook read once, before its kind or parameters are
    return found


def find_notebooks(notebooks_dir: Path | str, kind: str | None = None) -> tuple[Path, ...]:
    """The report notebooks in ``notebooks_dir`` (``NN-name.ipynb``), in order; only those of ``kind`` if given.

    The kind is read from each notebook (:func:`notebook_kind`), so adding a notebook never means editing the
    builder.

    Raises
    ------
    ParameterError
        If the folder does not exist, holds no notebook named ``NN-name.ipynb`` or a notebook that cannot be read.
    """
    found = _found(Path(notebooks_dir))
    return found if kind is None else tuple(p for p in found if _kind(p) == kind)


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
    names = list(provinces)
    return plan_pairs([(p, y) for y in dict.fromkeys(years) for p in names], notebooks_dir, article=article)


def plan_pairs(
    pairs: Iterable[tuple[str | int, int]],
    notebooks_dir: Path | str,
    *,
    article: bool = True,
    languages: Sequence[str] = (DEFAULT_LANG,),
) -> list[ReportJob]:
    """Like :func:`plan` for explicit (province, year) pairs, in their order (from a :class:`Grid`), each pair in
    every language of ``languages``; the article check is built once per language (``DIR/article-check/``,
    ``DIR/<lang>/article-check/``), and each story links to the article check in its own language."""
    wanted = list(dict.fromkeys((_provinces.normalize(p), y) for p, y in pairs))
    if not wanted:
        raise ParameterError("Nothing to build: give at least one --province (or --all-provinces) and one --year.")
    found = _found(Path(notebooks_dir))
    kinds = {p: _kind(p) for p in found}
    story = tuple(p for p in found if kinds[p] == PROVINCE)
    checks = tuple(p for p in found if kinds[p] == ARTICLE)
    langs = tuple(dict.fromkeys(languages))
    check_jobs = {
        lang: ReportJob(
            ARTICLE_PARAMETERS["province"], ARTICLE_PARAMETERS["year"], checks, ARTICLE, lang=lang, languages=langs
        )
        for lang in langs
    }
    jobs = list(check_jobs.values()) if article and checks else []
    if story:
        takes = frozenset(p.name for p in story if ARTICLE_HREF_PARAMETER in declared_parameters(p))
        for p, y in wanted:
            for lang in langs:
                job = ReportJob(p, y, story, PROVINCE, "", takes, lang, langs)
                # story pages are DIR/<year>/<slug>/ (DIR/<lang>/<year>/<slug>/): the article check in the same
                # language is depth levels up
                href = f"{'../' * job.depth}{check_jobs[lang].key}/{checks[0].stem}.html" if checks and takes else ""
                jobs.append(replace(job, article_check_href=href))
    if not jobs:
        raise ParameterError(
            f"Nothing to build: every notebook in {Path(notebooks_dir)} is of kind 'article' "
            "and the article check was left out."
        )
    return jobs


def article_href(notebooks_dir: Path | str, depth: int = 2) -> str | None:
    """The link from a report page ``depth`` folders below the reports folder to the article check's first
    page, or None when ``notebooks_dir`` has no notebook of kind ``article``.

    Reads only the metadata (plain JSON); unreadable files count as no article check.
    """
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


# ------------------------------------------------------------------------------------------ options and inputs


def catalog_languages() -> tuple[str, ...]:
    """The languages the reports can be written in: those with a message catalog (``messages/<lang>.yml``)."""
    return tuple(sorted(p.stem for p in CATALOG_DIR.glob("*.yml")))


def parse_languages(spec: Any, *, where: str = "--lang") -> tuple[str, ...]:
    """``"en"``, ``"zh"``, ``"en,zh"`` (or a list) -> the languages in order, each checked against the catalogs.

    Raises
    ------
    ParameterError
        An empty value or a language without a catalog (the message lists those there are).
    """
    items = [spec] if isinstance(spec, str) else list(spec or [])
    langs = [x.strip().lower() for item in items for x in str(item).split(",") if x.strip()]
    known = catalog_languages()
    if not langs:
        raise ParameterError(f"{where}: give a language ({', '.join(known)}) or several separated by commas.")
    bad = [x for x in langs if x not in known]
    if bad:
        raise ParameterError(
            f"{where}: no message catalog for {', '.join(map(repr, bad))}; use one of {', '.join(known)} "
            f"(or several, e.g. en,zh); a new language is a file {CATALOG_DIR}/<lang>.yml."
        )
    return tuple(dict.fromkeys(langs))


def check_timeout(value: Any) -> int | None:
    """The per-cell timeout as whole seconds (None: no limit, from ``None`` or 0).

    Only whole seconds are accepted (``600``, ``"600"``, ``600.0``): the kernel client counts in integer
    seconds, so ``2.5`` is refused rather than silently rounded.  ``nan``, ``inf``, negative values, booleans
    and text that is not a number are refused too, before any kernel starts.

    Raises
    ------
    ParameterError
        Saying what was given and what is accepted.
    """
    if value is None:
        return None
    bad = ParameterError(
        f"--timeout must be a whole number of seconds per cell (e.g. 600), or 0 for no limit; not {value!r}."
    )
    if isinstance(value, bool):
        raise bad
    if isinstance(value, str):
        if not value.isascii():  # float() reads other scripts' digits ("٦٠٠"); the command takes ASCII numbers
            raise bad
        try:
            value = float(value.strip())
        except ValueError:
            raise bad from None
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0 or value != int(value):
        raise bad
    return int(value) or None


def check_notebooks(paths: Iterable[Path]) -> None:
    """Read every notebook before any kernel starts; a file that is not a valid notebook stops the run.

    Raises
    ------
    ParameterError
        Naming the notebook and the reason (not JSON, not a notebook, unreadable, not UTF-8).
    """
    import nbformat

    for path in dict.fromkeys(paths):
        try:
            nb = nbformat.read(str(path), as_version=4)
            nbformat.validate(nb)
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise ParameterError(
                f"Notebook {path} cannot be read ({reason}). Restore it with "
                f"`git checkout -- {path}` or remove it from the notebooks folder."
            ) from None
        except Exception as exc:  # noqa: BLE001 - NotJSONError, ValidationError, ValueError ... all mean corrupt
            first = next((x for x in str(exc).splitlines() if x.strip()), "")[:200]
            raise ParameterError(
                f"Notebook {path} is not a valid notebook ({type(exc).__name__}: {first}). "
                f"Restore it with `git checkout -- {path}` (or fix the file) and run "
                f"again."
            ) from None


SYSTEM_DIRS = ("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/proc", "/sbin", "/sys", "/usr")
"""Folders (with everything under them) a reports folder may never be: the operating system's."""
SHARED_DIRS = ("/", "/home", "/media", "/mnt", "/opt", "/root", "/run", "/srv", "/tmp", "/var")
"""Folders a reports folder may be under but never be itself."""
REPORTS_MARKERS = (LOCK_FILE, STAGING_DIR)
"""What every build leaves in its reports folder: a non-empty folder holding neither is not a reports folder."""


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_location(out_dir: Path | str, inputs: Iterable[Path | str] = ()) -> Path:
    """Refuse a reports folder whose files a build could destroy or mix with its own; returns the resolved path.

    Refused: a system folder or anything under one (:data:`SYSTEM_DIRS`); a shared folder itself
    (:data:`SHARED_DIRS`), the home folder, the project folder or any folder above them; a folder inside the
    package, the data folder or one of ``inputs`` (the notebooks); a non-empty folder that is not a reports
    folder (it holds none of :data:`REPORTS_MARKERS`, which every build leaves).

    Raises
    ------
    ParameterError
        Naming the folder, why, and what to do.
    """
    from .. import config

    out = Path(out_dir).expanduser().absolute().resolve()
    pick = f"Choose a new or empty folder with --out DIR (default {config.REPORTS_DIR})."

    def refuse(why: str) -> ParameterError:
        return ParameterError(f"Will not write reports to {out}: {why}. {pick}")

    for system in SYSTEM_DIRS:
        if _is_within(out, Path(system)):
            raise refuse("it is a system folder")
    roots = [Path(p) for p in SHARED_DIRS] + [config.PROJ_ROOT.resolve()]
    with contextlib.suppress(RuntimeError, KeyError):  # no home folder known: nothing to protect there
        roots.append(Path.home().resolve())
    for root in roots:
        if _is_within(root, out):
            raise refuse(f"it is {'the project folder' if root == config.PROJ_ROOT.resolve() else root} or holds it")
    package = Path(__file__).resolve().parents[1]
    for folder, what in [(package, "the package"), (config.data_dir().resolve(), "the data folder")] + [
        (Path(p).resolve(), "the notebooks folder") for p in inputs
    ]:
        if _is_within(out, folder):
            raise refuse(f"it is inside {what} ({folder})")
    if out.is_dir():
        try:
            entries = {e.name for e in os.scandir(out)}
        except OSError as exc:
            raise ParameterError(f"Cannot read {out}: {exc.strerror or exc}. {pick}") from None
        if entries - {".gitkeep", ".gitignore"} and not entries & set(REPORTS_MARKERS):
            raise refuse("it holds other files and is not a reports folder")
    elif out.exists():
        raise refuse("it is not a folder")
    return out


def check_output_dir(out_dir: Path | str) -> Path:
    """Create ``out_dir`` if needed and prove it is writable with a probe file; returns the absolute path.

    Raises
    ------
    ParameterError
        With the path and the operating system's reason, before any work starts.
    """
    out = Path(out_dir).absolute()
    probe = out / f".write-probe-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(out) else ""
        raise ParameterError(
            f"Cannot write reports to {out}: {reason}{where}. Choose a writable folder with --out DIR."
        ) from exc
    return out


def chromium_path() -> str | None:
    """The Chromium executable (``chromium`` or ``chromium-browser``), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """Validate output formats; PDF needs Chromium.

    Raises
    ------
    ParameterError
        For an unknown format, or ``pdf`` without Chromium (with the install command).
    """
    fmts = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in fmts if f not in FORMATS]
    if unknown or not fmts:
        raise ParameterError(
            f"Unknown output format {', '.join(unknown) or '(none)'}: use a comma-separated list "
            f"of {', '.join(FORMATS)} (e.g. --format html,pdf)."
        )
    if "pdf" in fmts and not chromium_path():
        raise ParameterError(PDF_INSTALL_HINT)
    return fmts


# ------------------------------------------------------------------------------------------------ parameters


_TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}


def declared_parameters(notebook: Path | str) -> dict[str, str]:
    """The parameters a notebook declares in its cell tagged ``parameters``: name -> type name.

    The type is the annotation (``year: int = 2020``) or, without one, the type of the default literal;
    ``""`` when neither says.  Read once per version of the file (the answer is kept while its size and
    modification time stay the same).
    """
    path = Path(notebook).absolute()
    st = path.stat()
    return dict(_declared(path, st.st_mtime_ns, st.st_size))


@lru_cache(maxsize=256)
def _declared(path: Path, mtime_ns: int, size: int) -> tuple[tuple[str, str], ...]:
    import papermill as pm

    out = []
    for name, info in pm.inspect_notebook(str(path)).items():
        kind = info.get("inferred_type_name") or ""
        if kind in ("None", "NoneType"):
            kind = ""
        if not kind:
            try:
                kind = type(ast.literal_eval(info.get("default") or "")).__name__
            except (ValueError, SyntaxError):
                kind = ""
        out.append((name, kind))
    return tuple(out)


def _type_ok(value: Any, kind: str) -> bool | None:
    kind = kind.replace(" ", "")
    for none in ("Optional[", "|None", "None|"):
        if none in kind:
            kind = kind.replace(none, "").rstrip("]")
    types = _TYPES.get(kind)
    if types is None:
        return None
    if isinstance(value, bool) and bool not in types:
        return False
    return isinstance(value, types)


def validate_params(jobs: Sequence[ReportJob], year_range: tuple[int, int] | None = None) -> None:
    """Check every job (from :func:`plan`) before any kernel starts.

    Each year must lie within the data (``datasets.year_range()`` unless ``year_range`` is given), and every
    notebook must declare each injected parameter with a type the value has (:func:`check_declared`).

    Raises
    ------
    ParameterError
        Naming the year and the range, or the notebook, the parameter and what to change.
    """
    if not jobs:
        raise ParameterError("Nothing to build: the plan is empty.")
    lo, hi = year_range or _data_years()
    bad_years = sorted(
        {j.year for j in jobs if isinstance(j.year, bool) or not isinstance(j.year, int) or not lo <= j.year <= hi},
        key=str,
    )
    if bad_years:
        raise ParameterError(
            f"Year {', '.join(map(str, bad_years))} is outside the data: FAI growth by province "
            f"covers {lo}-{hi}. Choose --year between {lo} and {hi}."
        )
    check_declared(jobs)


def check_declared(jobs: Iterable[ReportJob]) -> None:
    """Every notebook declares each parameter it is given (:meth:`ReportJob.notebook_parameters`) with a type
    the value has, in its cell tagged ``parameters``.

    Raises
    ------
    ParameterError
        Naming the notebook, the parameter and what to change.
    """
    checked: set[tuple[Path, str, str]] = set()
    for job in jobs:
        for nb in job.notebooks:
            declared = None
            for name, value in job.notebook_parameters(nb).items():
                if (nb, name, type(value).__name__) in checked:
                    continue
                if declared is None:
                    declared = declared_parameters(nb)
                if not declared:
                    raise ParameterError(
                        f"{nb.name} has no cell tagged 'parameters' (looked in {nb}). Tag its first "
                        f"code cell 'parameters' and declare: province: str = \"Shanxi\" and "
                        f"year: int = 2020."
                    )
                if name not in declared:
                    raise ParameterError(
                        f"{nb.name} does not declare the parameter {name!r}: its parameters cell declares only "
                        f"{', '.join(declared)} ({nb}). Add `{name}: {type(value).__name__} = ...` to the cell "
                        f"tagged 'parameters'."
                    )
                if not _type_ok(value, declared[name]):
                    said = (
                        f"declares {name!r} as {declared[name]}"
                        if declared[name]
                        else f"declares {name!r} without a type or literal default"
                    )
                    raise ParameterError(
                        f"{nb.name} {said}, but the report passes {type(value).__name__} {value!r} ({nb}). "
                        f"Declare it as `{name}: {type(value).__name__} = ...` in the cell tagged 'parameters'."
                    )
                checked.add((nb, name, type(value).__name__))


# ------------------------------------------------------------------------------------- the province x year grid


ALL = "all"
_RANGE = re.compile(r"^\s*([0-9]{4})\s*[-\u2013]\s*([0-9]{4})\s*$")
_ASCII_INT = re.compile(r"[0-9]+")
PLAN_KEYS = {"title", "article_check", "parts"}
PART_KEYS = {"caption", "params", "chapters"}
PARAM_KEYS = {"province", "year"}


@dataclass(frozen=True)
class Grid:
    """What a command asks for: ordered (province, year) pairs and whether the article check is built."""

    pairs: tuple[tuple[str, int], ...]
    article: bool = True
    title: str | None = None


def _data_years() -> tuple[int, int]:
    """The first and last year of the data (``datasets.year_range()``)."""
    from ..data import datasets

    return datasets.year_range()


def parse_years(spec: Any, span: tuple[int, int] | None = None, *, where: str = "--year") -> list[int]:
    """Years from ``2020``, ``"2020"``, ``"2015-2024"``, ``"2015,2018"``, a list of those, or ``"all"``.

    ``span`` (default: the data's years) bounds ``all`` and every year; a year outside it is refused with the range.

    Raises
    ------
    ParameterError
        Naming ``where``, the value and what is accepted.
    """

    def bad(value: Any, why: str = "") -> ParameterError:
        return ParameterError(
            f"{where}: {value!r} is not a year{why}; give a year (2020), a range (2015-2024), "
            f"a comma-separated list (2015,2018) or 'all'."
        )

    if isinstance(spec, bool) or spec is None:
        raise bad(spec)
    if isinstance(spec, (list, tuple)):
        if not spec:
            raise bad(spec, " (empty list)")
        return list(dict.fromkeys(y for s in spec for y in parse_years(s, span, where=where)))
    out: list[int] = []
    if isinstance(spec, int):
        out = [spec]
    elif isinstance(spec, str):
        text = spec.strip()
        if text.lower() == ALL:
            lo, hi = span or _data_years()
            return list(range(lo, hi + 1))
        for part in (p for p in text.split(",")):
            m = _RANGE.match(part)
            if m:
                lo, hi = int(m.group(1)), int(m.group(2))
                if lo > hi:
                    raise bad(part, f" range (it runs backwards; write {hi}-{lo})")
                out += range(lo, hi + 1)
            elif _ASCII_INT.fullmatch(part.strip()):  # ASCII digits only: str.isdigit() takes "٢٠٢٠" too
                out.append(int(part))
            else:
                raise bad(part)
    else:
        raise bad(spec)
    lo, hi = span or _data_years()
    outside = sorted({y for y in out if not lo <= y <= hi})
    if outside:
        raise ParameterError(
            f"Year {', '.join(map(str, outside))} is outside the data: FAI growth by province "
            f"covers {lo}-{hi}. Choose years between {lo} and {hi} ({where})."
        )
    return list(dict.fromkeys(out))


def parse_provinces(spec: Any, *, where: str = "--province") -> list[str]:
    """Canonical names from a name, an adcode, a list of those, or ``"all"`` (the 31 in adcode order).

    Raises
    ------
    UnknownProvinceError
        For a name that is not a province (with ``where`` and the closest names).
    """
    if isinstance(spec, str) and spec.strip().lower() == ALL:
        return _provinces.names()
    items = spec if isinstance(spec, (list, tuple)) else [spec]
    if not items:
        raise ParameterError(f"{where}: empty list of provinces; give a name, a list of names or 'all'.")
    out = []
    for item in items:
        try:
            out.append(_provinces.normalize(item))
        except UnknownProvinceError as exc:
            raise UnknownProvinceError(f"{where}: {exc}") from None
    return list(dict.fromkeys(out))


def from_args(
    provinces: Sequence[str] | None,
    years: Sequence[str] | None,
    *,
    all_provinces: bool = False,
    all_years: bool = False,
    span: tuple[int, int] | None = None,
) -> Grid:
    """The grid of the command-line options (``--province``, ``--year``, ``--all-provinces``, ``--all-years``)."""
    if all_provinces and provinces:
        raise ParameterError("give either --province or --all-provinces, not both.")
    if all_years and years:
        raise ParameterError("give either --year or --all-years, not both.")
    yrs = parse_years(ALL if all_years else list(years or ["2020"]), span)  # first: a typo needs no data
    names = parse_provinces(ALL if all_provinces else list(provinces or ["Shanxi"]))
    return Grid(tuple((p, y) for y in yrs for p in names))


PLAN_MAX_BYTES = 128 * 1024
"""The largest plan file read (a plan of every province and year, one chapter each, is about 30 kB); it bounds the
time spent parsing a plan to a second or two."""
PLAN_MAX_ENTRIES = 10_000
"""The most chapters (entries) a plan may list; the whole grid is 31 provinces x the data's years."""


def _plan_loader() -> type:
    """PyYAML's safe loader (the C one when available: a plan of thousands of entries loads in well under a
    second) that refuses a mapping with a duplicate key instead of keeping the last value silently."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class PlanLoader(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = getattr(key_node, "value", None)
                if isinstance(key, str) and key != "<<":
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key {key!r} in one mapping", key_node.start_mark
                        )
                    seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return PlanLoader


def _load_yaml(path: Path) -> Any:
    import yaml

    from ..data import raw

    try:
        data = raw.read_regular(path, PLAN_MAX_BYTES)
        text = data.decode("utf-8")
    except raw.NotARegularFile as exc:
        raise ParameterError(
            f"Plan {path} {exc}. A plan is a small YAML file (see `python -m shanxi_analysis report --help`)."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(
            f"Plan {path} cannot be read ({getattr(exc, 'strerror', None) or exc}). Check the path given to --plan."
        ) from None
    try:
        return yaml.load(text, Loader=_plan_loader())  # noqa: S506 - a safe loader (SafeLoader/CSafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ParameterError(f"Plan {path} is not valid YAML{at}: {problem}. Fix the file and run again.") from None


def _unknown(keys: Iterable[str], allowed: set[str], where: str) -> None:
    extra = sorted(str(k) for k in keys if k not in allowed)
    if extra:
        raise ParameterError(
            f"{where}: unknown key {', '.join(map(repr, extra))}; allowed: {', '.join(sorted(allowed))}."
        )


def load_plan(path: Path | str, span: tuple[int, int] | None = None) -> Grid:
    """Read and check a plan file (format in the module docstring); every entry is resolved here.

    Raises
    ------
    ParameterError, UnknownProvinceError
        Naming the file, the part and chapter, the key and what is accepted.
    """
    path = Path(path)
    doc = _load_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("parts"), list) or not doc["parts"]:
        raise ParameterError(
            f"Plan {path}: expected a mapping with a non-empty list 'parts' (each with 'params' "
            f"and optional 'chapters'); see `python -m shanxi_analysis report --help`."
        )
    _unknown(doc, PLAN_KEYS, f"Plan {path}")
    article = doc.get("article_check", True)
    if not isinstance(article, bool):
        raise ParameterError(f"Plan {path}: article_check must be true or false, not {article!r}.")
    entries = sum(
        len(p["chapters"]) if isinstance(p, dict) and isinstance(p.get("chapters"), list) else 1 for p in doc["parts"]
    )
    if entries > PLAN_MAX_ENTRIES:
        raise ParameterError(
            f"Plan {path} lists {entries:,} entries, more than {PLAN_MAX_ENTRIES:,}; the whole grid needs far fewer "
            f"(use province: all and year ranges such as 2015-2024)."
        )
    pairs: list[tuple[str, int]] = []
    memo_p: dict[str, list[str]] = {}
    memo_y: dict[str, list[int]] = {}
    for i, part in enumerate(doc["parts"], 1):
        where = f"Plan {path}, part {i}"
        if not isinstance(part, dict):
            raise ParameterError(f"{where}: expected a mapping with 'params' and optional 'chapters'.")
        _unknown(part, PART_KEYS, where)
        shared = part.get("params") or {}
        chapters = part.get("chapters")
        if not isinstance(shared, dict) or (chapters is not None and not isinstance(chapters, list)):
            raise ParameterError(f"{where}: 'params' must be a mapping and 'chapters' a list of mappings.")
        for j, chapter in enumerate(chapters or [{}], 1):
            at = f"{where}, chapter {j}" if chapters else where
            if not isinstance(chapter, dict):
                raise ParameterError(f"{at}: expected a mapping such as {{province: Shanxi}}.")
            params = {**shared, **chapter}
            _unknown(params, PARAM_KEYS, at)
            missing = sorted(PARAM_KEYS - set(params))
            if missing:
                raise ParameterError(f"{at}: missing {', '.join(missing)} (in the part's params or the chapter).")
            # each distinct value is resolved once: thousands of chapters naming the same provinces stay fast
            pkey, ykey = repr(params["province"]), repr(params["year"])
            if pkey not in memo_p:
                memo_p[pkey] = parse_provinces(params["province"], where=f"{at}, province")
            if ykey not in memo_y:
                memo_y[ykey] = parse_years(params["year"], span, where=f"{at}, year")
            names, years = memo_p[pkey], memo_y[ykey]
            pairs += [(p, y) for y in years for p in names]
    title = doc.get("title")
    return Grid(tuple(dict.fromkeys(pairs)), article, str(title) if title is not None else None)


# ------------------------------------------------------------------------------------------ the report command


@dataclass(frozen=True)
class Request:
    """What a ``report`` command asks for, every value checked (:func:`request`)."""

    jobs: tuple[ReportJob, ...]
    out: Path
    formats: tuple[str, ...]
    timeout: int | None
    workers: int = 1
    scheduler: str | None = None
    title: str | None = None


def request(
    *,
    provinces: Sequence[str] | None = None,
    years: Sequence[str] | None = None,
    all_provinces: bool = False,
    all_years: bool = False,
    plan_file: Path | str | None = None,
    article: bool = True,
    notebooks_dir: Path | str,
    out_dir: Path | str,
    formats: Iterable[str] = DEFAULT_FORMATS,
    timeout: Any = DEFAULT_TIMEOUT,
    workers: int | None = None,
    scheduler: str | None = None,
    span: tuple[int, int] | None = None,
    kernel_memory_mb: Any = None,
    languages: Any = DEFAULT_LANG,
) -> Request:
    """Check the options of the ``report`` command, each once, and plan its jobs; nothing is run.

    The order is the order of the messages a user sees: workers, kernel memory limit and scheduler (its address
    parsed, resolved and connected to, :func:`check_scheduler`), cell timeout, formats, the output folder's location
    (:func:`check_output_location`), the grid (``--province``/``--year``/``--all-*`` or ``--plan``, years within the
    data ``span``), the notebooks (readable, their kinds, their declared parameters), then the output folder
    (created and proved writable).  ``workers`` None means 1; given together with ``scheduler`` it is refused.

    Raises
    ------
    ParameterError, UnknownProvinceError
        The first problem, naming the option or file and what is accepted.
    """
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ParameterError(f"--workers must be 1 or more (a whole number), not {workers!r}.")
    if kernel_memory_mb is not None:
        check_memory_mb(kernel_memory_mb)
    if scheduler is not None:
        if workers is not None:
            raise ParameterError(
                "give either --scheduler (the Dask cluster decides how many sets run at once) or --workers, not both."
            )
        scheduler = check_scheduler(scheduler)
    checked_timeout = check_timeout(timeout)
    checked_formats = check_formats(formats)
    check_output_location(out_dir, [notebooks_dir])
    # the data's years (span) are read only where a year is checked, after its syntax: a typo costs no data load
    langs = parse_languages(languages)
    if plan_file is not None:
        if provinces or years or all_provinces or all_years:
            raise ParameterError("give either --plan or --province/--year/--all-provinces/--all-years, not both.")
        grid = load_plan(plan_file, span)
    else:
        grid = from_args(provinces, years, all_provinces=all_provinces, all_years=all_years, span=span)
    jobs = plan_pairs(grid.pairs, notebooks_dir, article=article and grid.article, languages=langs)
    check_declared(jobs)  # the years are within the data already: the grid checked them
    out = check_output_dir(out_dir)
    jobs = _linked_checks(jobs, out)
    return Request(tuple(jobs), out, checked_formats, checked_timeout, workers or 1, scheduler, grid.title)


def _linked_checks(jobs: Sequence[ReportJob], out: Path) -> list[ReportJob]:
    """``jobs`` with each story's link to the article check kept only where the check will be there to link to:
    built by the same run in the story's language, or already published in ``out`` (``--no-article-check`` into a
    folder without one would otherwise publish a dead link, and Shanxi 2020's overview would summarise a check the
    reader cannot open)."""
    built = {j.lang for j in jobs if j.kind == ARTICLE}
    out_jobs = []
    for job in jobs:
        href = job.article_check_href
        # the story's folder may not exist yet: '..' is resolved on the path, not by the file system
        if href and job.lang not in built and not Path(os.path.normpath(out / job.key / href)).is_file():
            job = replace(job, article_check_href="")
        out_jobs.append(job)
    return out_jobs


def check_memory_mb(value: Any) -> float:
    """``--kernel-memory-mb``: a finite number of megabytes above 0 (``nan``, ``inf``, 0 and negatives refused).

    Raises
    ------
    ParameterError
        Saying what was given and what is accepted.
    """
    bad = ParameterError(f"--kernel-memory-mb must be a number of megabytes above 0 (e.g. 2048), not {value!r}.")
    if isinstance(value, bool):
        raise bad
    if isinstance(value, str):
        if not value.isascii():
            raise bad
        try:
            value = float(value.strip())
        except ValueError:
            raise bad from None
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise bad
    return float(value)


SCHEDULER_CONNECT_SECONDS = 5.0
"""How long :func:`check_scheduler` waits for the scheduler to accept a connection."""


def check_scheduler(address: str) -> str:
    """A Dask scheduler address ``tcp://HOST:PORT`` (or ``tls://``), checked before any data loads: the syntax,
    the port (1-65535), the host name resolved, and a TCP connection accepted within
    :data:`SCHEDULER_CONNECT_SECONDS`.  Returns the address.

    Raises
    ------
    ParameterError
        One line naming the address, what is wrong and what to do.
    """
    import socket
    from urllib.parse import urlsplit

    form = "an address like tcp://HOST:8786"

    def bad(why: str) -> ParameterError:
        return ParameterError(f"--scheduler {address!r}: {why}; give {form} of a running `dask scheduler`.")

    if not isinstance(address, str) or not address.isascii() or any(c.isspace() for c in address):
        raise bad("not an address")
    try:
        parts = urlsplit(address)
        port = parts.port
        host = parts.hostname
    except ValueError as exc:
        raise bad(f"not an address ({str(exc).replace('Port', 'port')})") from None
    if parts.scheme not in ("tcp", "tls"):
        raise bad("the scheme must be tcp:// or tls://")
    if not host:
        raise bad("no host")
    if port is None or not 1 <= port <= 65535:
        raise bad("no port between 1 and 65535")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise bad("only tcp://HOST:PORT is accepted")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise bad(f"unknown host {host!r} ({getattr(exc, 'strerror', None) or exc})") from None
    reason = "no answer"
    for family, kind, proto, _, sockaddr in infos:
        try:
            with socket.socket(family, kind, proto) as sock:
                sock.settimeout(SCHEDULER_CONNECT_SECONDS)
                sock.connect(sockaddr)
                return address
        except OSError as exc:
            reason = exc.strerror or str(exc) or type(exc).__name__
    raise bad(f"nothing accepts connections at {host}:{port} ({reason}); start the scheduler or fix the address")
