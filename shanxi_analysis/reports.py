"""How reports get built: every notebook, for each (province, year), executed and published as HTML with an index.

The builder reads like a declarative plan (cal-itp portfolio style)::

    jobs = plan(["Hubei"], [2019], config.NOTEBOOKS_DIR)      # pure: one ReportJob per parameter set
    validate_params(jobs)                                     # before any kernel starts
    results = build_reports(jobs, config.REPORTS_DIR)         # execute, export, publish, index

Output layout under the reports folder ``DIR``::

    DIR/index.html                       every report set: parameters, status, build time, links, how it was made
    DIR/<year>/<province-slug>/          the last good report of those parameters:
        NN-name.ipynb, NN-name.html      executed notebook and self-contained HTML (code hidden, figures embedded)
        NN-name.pdf                      with ``formats`` containing "pdf" (headless Chromium)
        build.json                       parameters, times, status, package/library versions, data checksums
    DIR/_failed/<year>/<slug>/<stamp>/   a failed attempt, kept for debugging (executed notebooks + build.json)
    DIR/.staging/<pid>-<id>/             work in progress: never a report; removed when its owner is gone
    DIR/.lock                            serialises publishing and index writes between concurrent runs

Guarantees:

* A report folder appears only when every notebook of its parameter set succeeded: it is built in a private
  staging folder and swapped in with one atomic ``renameat2(RENAME_EXCHANGE)`` (or two renames where the kernel
  lacks it), under ``fcntl.flock`` on ``DIR/.lock``.  A failed, interrupted or killed run never replaces or damages
  the last good report, and two runs into one folder do not corrupt each other.
* ``timeout`` is **per cell** (papermill's ``execution_timeout``): a cell that runs longer is interrupted and the
  notebook is reported as failed like any other error.  There is no limit on a whole notebook.
* Kernels run in the notebooks folder (so relative paths work) with matplotlib's inline backend, so figures are
  embedded even when the caller exported ``MPLBACKEND=Agg``.  Kernel stderr goes to ``kernel-<notebook>.log``,
  kept only with failed attempts.
"""

from __future__ import annotations

import ast
import ctypes
import datetime as dt
import errno
import fcntl
import hashlib
import html
import json
import os
import platform
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import Future, TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from . import __version__, config, incremental, kernels
from . import provinces as _provinces
from .errors import ParameterError

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
ARTICLE_PARAMETERS = {"province": "Shanxi", "year": 2020}
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
LIBRARIES = ("pandas", "numpy", "pandera", "matplotlib", "seaborn", "papermill", "nbconvert", "nbclient",
             "ipykernel", "jupyter_client")
PDF_INSTALL_HINT = ("PDF needs Chromium: install it with `sudo apt-get install chromium` (or `make browser-deps`), "
                    "or leave pdf out of --format.")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer")
_TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}


# --------------------------------------------------------------------------------------------------------------
# The plan
# --------------------------------------------------------------------------------------------------------------

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
        return ("The China Daily article check" if self.kind == ARTICLE else f"{self.province}, {self.year}")

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
    check_notebooks([path])  # a corrupt notebook is named with what to do, before its metadata is read
    meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    kind = (meta.get(METADATA_KEY) or {}).get("report", PROVINCE) if isinstance(meta, dict) else PROVINCE
    if kind not in KINDS:
        raise ParameterError(f"{path.name} declares metadata {METADATA_KEY}.report = {kind!r}; use one of "
                             f"{', '.join(map(repr, KINDS))} ({path}).")
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
        raise ParameterError(f"No notebooks named NN-name.ipynb (e.g. 01-investment-growth.ipynb) in {folder}. "
                             "Pass the folder that holds them with --notebooks DIR.")
    if kind is None:
        return found
    return tuple(p for p in found if notebook_kind(p) == kind)


def plan(provinces: Iterable[str | int], years: Iterable[int], notebooks_dir: Path | str, *,
         article: bool = True) -> list[ReportJob]:
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


def plan_pairs(pairs: Iterable[tuple[str, int]], notebooks_dir: Path | str, *,
               article: bool = True) -> list[ReportJob]:
    """Like :func:`plan` for explicit (province, year) pairs, in their order (from :mod:`shanxi_analysis.grid`)."""
    pairs = list(dict.fromkeys((_provinces.normalize(p), y) for p, y in pairs))
    if not pairs:
        raise ParameterError("Nothing to build: give at least one --province (or --all-provinces) and one --year.")
    found = find_notebooks(notebooks_dir)
    kinds = {p: notebook_kind(p) for p in found}
    story = tuple(p for p in found if kinds[p] == PROVINCE)
    checks = tuple(p for p in found if kinds[p] == ARTICLE)
    jobs = [ReportJob(ARTICLE_PARAMETERS["province"], ARTICLE_PARAMETERS["year"], checks, ARTICLE)] \
        if article and checks else []
    if story:
        jobs += [ReportJob(p, y, story) for p, y in pairs]
    if not jobs:
        raise ParameterError(f"Nothing to build: every notebook in {Path(notebooks_dir)} is of kind 'article' "
                             "and the article check was left out.")
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
        if isinstance(meta, dict) and isinstance(meta.get(METADATA_KEY), dict) \
                and meta[METADATA_KEY].get("report") == ARTICLE:
            return f"{'../' * depth}{ARTICLE_DIR}/{path.stem}.html"
    return None


def declared_parameters(notebook: Path | str) -> dict[str, str]:
    """The parameters a notebook declares in its cell tagged ``parameters``: name -> type name.

    The type is the annotation (``year: int = 2020``) or, without one, the type of the default literal;
    ``""`` when neither says.
    """
    import papermill as pm

    out = {}
    for name, info in pm.inspect_notebook(str(notebook)).items():
        kind = info.get("inferred_type_name") or ""
        if kind in ("None", "NoneType"):
            kind = ""
        if not kind:
            try:
                kind = type(ast.literal_eval(info.get("default") or "")).__name__
            except (ValueError, SyntaxError):
                kind = ""
        out[name] = kind
    return out


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
    """Check every job before any kernel starts.

    Each year must lie within the data (``datasets.year_range()`` unless ``year_range`` is given), and every
    notebook must declare each injected parameter with a type the value has.

    Raises
    ------
    ParameterError
        Naming the year and the range, or the notebook, the parameter and what to change.
    """
    if not jobs:
        raise ParameterError("Nothing to build: the plan is empty.")
    check_notebooks(nb for job in jobs for nb in job.notebooks)
    if year_range is None:
        from . import datasets

        year_range = datasets.year_range()
    lo, hi = year_range
    bad_years = sorted({j.year for j in jobs if isinstance(j.year, bool) or not isinstance(j.year, int)
                        or not lo <= j.year <= hi}, key=str)
    if bad_years:
        raise ParameterError(f"Year {', '.join(map(str, bad_years))} is outside the data: FAI growth by province "
                             f"covers {lo}-{hi}. Choose --year between {lo} and {hi}.")
    checked: set[tuple[Path, str, str]] = set()
    for job in jobs:
        for nb in job.notebooks:
            declared = None
            for name, value in job.parameters.items():
                if (nb, name, type(value).__name__) in checked:
                    continue
                if declared is None:
                    declared = declared_parameters(nb)
                if not declared:
                    raise ParameterError(f"{nb.name} has no cell tagged 'parameters' (looked in {nb}). Tag its first "
                                         f"code cell 'parameters' and declare: province: str = \"Shanxi\" and "
                                         f"year: int = 2020.")
                if name not in declared:
                    raise ParameterError(
                        f"{nb.name} does not declare the parameter {name!r}: its parameters cell declares only "
                        f"{', '.join(declared)} ({nb}). Add `{name}: {type(value).__name__} = ...` to the cell "
                        f"tagged 'parameters'.")
                ok = _type_ok(value, declared[name])
                if not ok:
                    said = f"declares {name!r} as {declared[name]}" if declared[name] else \
                        f"declares {name!r} without a type or literal default"
                    raise ParameterError(
                        f"{nb.name} {said}, but the report passes {type(value).__name__} {value!r} ({nb}). "
                        f"Declare it as `{name}: {type(value).__name__} = ...` in the cell tagged 'parameters'.")
                checked.add((nb, name, type(value).__name__))


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
    import math

    if value is None:
        return None
    bad = ParameterError(f"--timeout must be a whole number of seconds per cell (e.g. 600), or 0 for no limit; "
                         f"not {value!r}.")
    if isinstance(value, bool):
        raise bad
    if isinstance(value, str):
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
            raise ParameterError(f"Notebook {path} cannot be read ({reason}). Restore it with "
                                 f"`git checkout -- {path}` or remove it from the notebooks folder.") from None
        except Exception as exc:  # noqa: BLE001 - NotJSONError, ValidationError, ValueError ... all mean corrupt
            first = next((x for x in str(exc).splitlines() if x.strip()), "")[:200]
            raise ParameterError(f"Notebook {path} is not a valid notebook ({type(exc).__name__}: {first}). "
                                 f"Restore it with `git checkout -- {path}` (or fix the file) and run "
                                 f"again.") from None


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
        raise ParameterError(f"Cannot write reports to {out}: {reason}{where}. Choose a writable folder with "
                             f"--out DIR.") from exc
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
        raise ParameterError(f"Unknown output format {', '.join(unknown) or '(none)'}: use a comma-separated list "
                             f"of {', '.join(FORMATS)} (e.g. --format html,pdf).")
    if "pdf" in fmts and not chromium_path():
        raise ParameterError(PDF_INSTALL_HINT)
    return fmts


# --------------------------------------------------------------------------------------------------------------
# Provenance
# --------------------------------------------------------------------------------------------------------------

def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def provenance(command: Sequence[str] | None = None) -> dict[str, Any]:
    """How a report set is made: package and library versions, data manifest checksums, command line."""
    from . import sources

    manifest = config.manifest_path()
    try:
        manifest_sha = hashlib.sha256(manifest.read_bytes()).hexdigest()
    except OSError:
        manifest_sha = "missing"
    return {
        "package": "shanxi-analysis", "version": __version__,
        "python": platform.python_version(), "platform": platform.platform(terse=True),
        "libraries": {lib: _version(lib) for lib in LIBRARIES},
        "data_manifest": {"path": str(manifest), "sha256": manifest_sha,
                          "resources": {name: r.sha256 for name, r in sorted(sources.manifest().items())}},
        "command": list(command) if command is not None else None,
    }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _iso(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


# --------------------------------------------------------------------------------------------------------------
# Execution and export (one exporter, one export thread per process)
# --------------------------------------------------------------------------------------------------------------

_EXPORTER = None
_EXPORTER_LOCK = threading.Lock()


#: The project's page template: ``templates/report/`` (extends nbconvert's ``lab`` template with a small
#: stylesheet of its own; no JupyterLab CSS, no script from a CDN).
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "report"


def _exporter():
    """The process's single HTMLExporter (template loaded once): code hidden, prompts hidden."""
    global _EXPORTER
    with _EXPORTER_LOCK:
        if _EXPORTER is None:
            from nbconvert import HTMLExporter

            _EXPORTER = HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATES_DIR)],
                                     exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
        return _EXPORTER


class _Background:
    """One daemon thread running submitted calls in order.

    Unlike ``ThreadPoolExecutor`` it never holds up interpreter exit: after Ctrl-C the command exits at once
    even if an export (or a lazy import inside one) is still under way.
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._loop, name="shanxi-export", daemon=True).start()

    def _loop(self) -> None:
        while True:
            fut, fn, args = self._queue.get()
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn(*args))
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting caller
                fut.set_exception(exc)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        fut: Future = Future()
        self._queue.put((fut, fn, args))
        return fut


_EXPORT_POOL: _Background | None = None


def _export_pool() -> _Background:
    """The process's export thread: HTML/PDF are written while the next notebook's kernel runs."""
    global _EXPORT_POOL
    if _EXPORT_POOL is None:
        # papermill (nbclient, jupyter_client) is imported here, in the calling thread, before the export thread
        # imports nbconvert: both import jupyter_client, and two threads importing it at once can fail with
        # "cannot import name ... from partially initialized module jupyter_client.manager".
        import papermill  # noqa: F401

        _EXPORT_POOL = _Background()
        _EXPORT_POOL.submit(_exporter)  # load templates while the first kernel starts
    return _EXPORT_POOL


def _kernel_manager_class(log_path: Path, track_clients: bool = False):
    """An AsyncKernelManager that starts kernels with the inline matplotlib backend and stderr in ``log_path``.

    ``track_clients``: remember every client it hands out, so that a kept (warm) kernel's clients can be stopped
    after each notebook (:meth:`stop_clients`) instead of piling up.
    """
    from jupyter_client import AsyncKernelManager

    class ReportKernelManager(AsyncKernelManager):
        _clients: list = []

        def client(self, **kw: Any) -> Any:  # type: ignore[override]
            kc = super().client(**kw)
            if track_clients:
                self._clients = [*self._clients, kc]
            return kc

        def stop_clients(self) -> None:
            clients, self._clients = self._clients, []
            for kc in clients:
                try:
                    kc.stop_channels()
                except Exception:  # noqa: BLE001 - a client of a dead kernel
                    pass

        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
            env = dict(kw.pop("env", None) or os.environ)
            env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
            env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
            log = open(log_path, "ab")
            try:
                kw.update(env=env, stdout=log, stderr=log)
                await super().start_kernel(**kw)
            finally:
                log.close()  # the kernel keeps its own copy of the descriptor

    return ReportKernelManager


def _source_cell(nb: Any, index: int | None) -> int | None:
    """1-based position in the source notebook of executed cell ``index`` (skipping papermill's own cells)."""
    if index is None:
        return None
    skip = 0
    for cell in nb.cells[:index]:
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags or "papermill-error-cell-tag" in tags:
            skip += 1
    return index - skip + 1


def _last_started_cell(path: Path) -> tuple[Any, int | None]:
    import nbformat

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:  # noqa: BLE001 - no executed notebook written at all
        return None, None
    started = [i for i, c in enumerate(nb.cells)
               if c.get("metadata", {}).get("papermill", {}).get("start_time")
               and "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])]
    return nb, (started[-1] if started else None)


def _failure(exc: BaseException, name: str, executed: Path, timeout: float | None) -> Failure:
    """Turn an execution exception into a :class:`Failure` naming the cell."""
    import nbformat
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        try:
            nb = nbformat.read(str(executed), as_version=4)
            nb.cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
            cell = _source_cell(nb, exc.cell_index)
        except Exception:  # noqa: BLE001
            cell = exc.cell_index + 1
        return Failure(name, cell, exc.exec_count, exc.ename, exc.evalue, "error")
    nb, index = _last_started_cell(executed)
    cell = _source_cell(nb, index) if nb is not None else None
    count = nb.cells[index].get("execution_count") if nb is not None and index is not None else None
    if isinstance(exc, CellTimeoutError):
        return Failure(name, cell, count, "CellTimeoutError",
                       f"the cell ran longer than --timeout {timeout:g} s and was interrupted", "timeout")
    return Failure(name, cell, count, type(exc).__name__, str(exc) or repr(exc), "kernel")


def _nav_cell(job: ReportJob, current: str, started: str, prov: dict[str, Any]) -> Any:
    """A markdown cell shown at the top of each HTML page: what this is, how it was made, links.

    The parameters are written as a reader reads them ("Shanxi, 2020"), never as Python literals.
    """
    import nbformat

    links = " · ".join(f"**{html.escape(p.stem)}**" if p.stem == current else
                       f"[{html.escape(p.stem)}]({p.stem}.html)" for p in job.notebooks)
    libs = ", ".join(f"{k} {v}" for k, v in prov["libraries"].items())
    dm = prov["data_manifest"]
    rows = "".join(f"<tr><td>{html.escape(n)}</td><td><code>{html.escape(s)}</code></td></tr>"
                   for n, s in dm["resources"].items())
    up = "../" * job.depth
    if job.kind == ARTICLE:
        what = (f"Built {html.escape(started)} by shanxi-analysis {html.escape(str(prov['version']))}: the check of "
                f"the China Daily article on {html.escape(job.province)} in {job.year}, built once for every "
                f"report set")
    else:
        what = (f"Built {html.escape(started)} by shanxi-analysis {html.escape(str(prov['version']))} for "
                f"{html.escape(job.province)}, {job.year}")
    text = (
        f'<div class="shanxi-provenance" style="font-size:0.85em;border-bottom:1px solid #ccc;'
        f'padding-bottom:0.5em">\n\n'
        f"[← all reports]({up}{INDEX_FILE}) · **{html.escape(job.title)}** · {links}\n\n"
        f"{what}; data manifest sha256 <code>{html.escape(dm['sha256'][:16])}</code> "
        f"([build.json]({BUILD_FILE})).\n\n"
        f"<details><summary>How this was made</summary>\n\n"
        f"Python {html.escape(str(prov['python']))}; {html.escape(libs)}.\n\n"
        f"<table><tr><th>raw file</th><th>sha256</th></tr>{rows}</table>\n\n</details>\n\n</div>"
    )
    return nbformat.v4.new_markdown_cell(text)


def _export(nb: Any, folder: Path, stem: str, title: str, pdf: bool) -> dict[str, str]:
    """Write ``stem.html`` (and ``stem.pdf``) for an executed notebook node; returns the files written.

    The full references of the charts' sources (recorded by :func:`shanxi_analysis.plots.show` in each figure's
    output metadata) are handed to the template, which lists them at the end of the page.
    """
    from .fmt import chart_references

    exporter = _exporter()
    resources = {"metadata": {"name": title}, "shanxi_sources": chart_references(nb)}
    with _EXPORTER_LOCK:
        body, _ = exporter.from_notebook_node(nb, resources=resources)
    path = folder / f"{stem}.html"
    path.write_text(body, encoding="utf-8")
    files = {"html": path.name}
    if pdf:
        files["pdf"] = print_pdf(path, folder / f"{stem}.pdf").name
    return files


def print_pdf(html_path: Path, pdf_path: Path, chromium: str | None = None, timeout: float = 120) -> Path:
    """Print an HTML file to PDF offline with headless Chromium.

    Page breaks come from the report template's print stylesheet (``templates/report/report.css``): figures,
    short tables and table rows are never split, headings stay with what follows, no break is forced; Chinese text
    needs a CJK font on the machine (``make browser-deps`` installs Debian's ``fonts-noto-cjk``).

    Raises
    ------
    ParameterError
        If Chromium is not installed (with the install command).
    RuntimeError
        If Chromium fails or writes nothing.
    """
    exe = chromium or chromium_path()
    if not exe:
        raise ParameterError(PDF_INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="shanxi-chromium-") as profile:
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}",
               html_path.resolve().as_uri()]
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, check=False)
    if res.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        tail = res.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise RuntimeError(f"Chromium could not print {html_path.name} to PDF (exit {res.returncode}): "
                           f"{' / '.join(tail)}")
    return pdf_path


_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


def _disk_error(exc: BaseException) -> bool:
    """True for a full or read-only disk (also when wrapped by a library as the cause of another error)."""
    for _ in range(10):
        if exc is None:
            break
        if isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _run_notebook(job: ReportJob, nb_path: Path, staging: Path, cwd: Path,
                  timeout: float | None, warm: "kernels.WarmKernel | None" = None) -> tuple[Any, Failure | None]:
    """Execute one notebook with papermill: in a kernel of its own, or in ``warm`` reset to a fresh namespace."""
    import papermill as pm

    executed = staging / nb_path.name
    log = staging / f"kernel-{nb_path.stem}.log"
    try:
        kernel = {"km": warm.ready(cwd)} if warm is not None else {"kernel_manager_class": _kernel_manager_class(log)}
        nb = pm.execute_notebook(str(nb_path), str(executed), parameters=job.parameters, kernel_name=KERNEL_NAME,
                                 cwd=str(cwd), progress_bar=False, execution_timeout=timeout, report_mode=False,
                                 **kernel)
        if warm is not None:
            warm.after(failed=False)  # replaced before the next notebook if it died or grew past the limit
        return nb, None
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, the run goes on
        if _disk_error(exc):
            raise  # a full or read-only disk fails every notebook: stop and say so once
        if warm is not None:
            log.write_bytes(warm.log_text())
            warm.after(failed=True)  # its state is no longer trusted: a new kernel for the next notebook
        failure = _failure(exc, nb_path.name, executed, timeout)
        try:
            import nbformat

            nb = nbformat.read(str(executed), as_version=4)
        except Exception:  # noqa: BLE001
            nb = None
        return nb, failure


# --------------------------------------------------------------------------------------------------------------
# Staging, publishing, locking
# --------------------------------------------------------------------------------------------------------------

@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``out_dir/.lock``."""
    fd = os.open(out_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _new_staging(out_dir: Path) -> Path:
    folder = out_dir / STAGING_DIR / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    return folder


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_staging(out_dir: Path | str, *, max_age: float = STALE_AFTER_SECONDS) -> list[Path]:
    """Remove staging folders left by runs that died (owner PID gone) or that are older than ``max_age`` s.

    A previous report moved aside by the two-rename fallback and never replaced is put back first.
    Returns the folders removed.
    """
    out = Path(out_dir)
    root = out / STAGING_DIR
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    now = time.time()
    with _locked(out):
        for entry in sorted(root.iterdir()):
            pid_text = entry.name.split("-", 1)[0]
            try:
                pid = int(pid_text)
                age = now - entry.stat().st_mtime
            except (ValueError, OSError):
                continue
            if pid == os.getpid() or (_pid_alive(pid) and age < max_age):
                continue
            if entry.name.endswith(".old"):
                target = _target_of(out, entry)
                if target is not None and not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.rename(entry, target)
                    continue
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _target_of(out: Path, folder: Path) -> Path | None:
    try:
        rec = json.loads((folder / BUILD_FILE).read_text(encoding="utf-8"))
        if rec.get("kind") == ARTICLE:
            return out / ARTICLE_DIR
        return out / str(int(rec["parameters"]["year"])) / _provinces.slug(rec["parameters"]["province"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _publish(staging: Path, target: Path) -> None:
    """Swap a complete staging folder into ``target`` (caller holds the lock)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.rename(staging, target)
        return
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous report
        return
    aside = staging.with_name(staging.name + ".old")
    os.rename(target, aside)
    os.rename(staging, target)
    shutil.rmtree(aside, ignore_errors=True)


def _keep_failed(out_dir: Path, staging: Path, job: ReportJob, stamp: str, mend_links: bool = True) -> Path:
    """Move a failed attempt to ``_failed/<year>/<slug>/<stamp>`` and keep only the newest few."""
    parent = out_dir / FAILED_DIR / job.key
    parent.mkdir(parents=True, exist_ok=True)
    dest = parent / f"{stamp}-{staging.name.rsplit('-', 1)[-1][:6]}"
    os.rename(staging, dest)
    up = "../" * job.depth
    for page in dest.glob("*.html") if mend_links else ():  # two folders deeper than a published report: mend the link to the index
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(f'href="{up}{INDEX_FILE}"', f'href="../../{up}{INDEX_FILE}"'),
                        encoding="utf-8")
    for old in sorted(p for p in parent.iterdir() if p.is_dir())[:-KEEP_FAILURES]:
        shutil.rmtree(old, ignore_errors=True)
    return dest


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:6]}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written temporary file behind
        raise


# --------------------------------------------------------------------------------------------------------------
# One report
# --------------------------------------------------------------------------------------------------------------

def _copy_reused(out: Path, job: ReportJob, decision: "incremental.Decision", staging: Path) -> dict[str, dict]:
    """Copy the notebooks ``decision`` reuses from the published report into ``staging``; their records.

    Checked again under the lock (another run may have published since the plan was made): a notebook whose key
    or files no longer match is run instead.
    """
    folder = out / job.key
    with _locked(out):
        published = _read_json(folder / BUILD_FILE)
        ok = incremental.reusable(published, folder, decision.keys) & decision.reuse
        records = {}
        for rec in (published or {}).get("notebooks", []):
            if rec.get("notebook") in ok:
                for name in rec["files"].values():
                    shutil.copy2(folder / name, staging / name)  # a copy: a kept failed attempt is edited later
                records[rec["notebook"]] = {**rec, "reused": True,
                                            "built": rec.get("built") or published.get("finished")}
    return records


def build_report(job: ReportJob, out_dir: Path | str, *, formats: Sequence[str] = DEFAULT_FORMATS,
                 timeout: float | None = DEFAULT_TIMEOUT, cwd: Path | str | None = None,
                 command: Sequence[str] | None = None,
                 on_notebook: Callable[[str, bool], None] | None = None,
                 decision: "incremental.Decision | None" = None,
                 warm: "kernels.WarmKernel | None" = None) -> ReportResult:
    """Run every notebook of ``job`` and publish the report atomically; record a failure otherwise.

    Parameters
    ----------
    job
        The parameter set (validate it first with :func:`validate_params`).
    out_dir
        The reports folder (checked with :func:`check_output_dir`).
    formats
        Any of ``html``, ``ipynb``, ``pdf``; a failed attempt always keeps its executed notebooks.
    timeout
        Seconds a single cell may run (None: no limit).
    cwd
        Working directory of the kernels (default: the notebooks' folder).
    command
        The command line, recorded in ``build.json``.
    on_notebook
        Called with a notebook's file name and False when it starts, True when it has run (progress bars).
    decision
        From :func:`shanxi_analysis.incremental.decide`: every notebook's key, and those the last good build of
        the same parameters provides unchanged (copied, not run, after checking again under the lock).  None: run
        every notebook (keys are still recorded).
    warm
        Run the notebooks one after another in this kept kernel (:mod:`shanxi_analysis.kernels`), each from a fresh
        namespace; None: a new kernel per notebook.

    Returns
    -------
    ReportResult
        ``status`` "ok" with ``folder`` the published report, or "failed" with ``folder`` the kept attempt
        and ``failures`` naming notebook, cell and error. The index is updated either way.
    """
    out = Path(out_dir).absolute()
    cwd = Path(cwd) if cwd else job.notebooks[0].parent
    timeout = check_timeout(timeout)  # never NaN or a fraction in the kernel client or in build.json
    started_at = _now()
    t0 = time.perf_counter()
    prov = provenance(command)
    staging = _new_staging(out)
    pool = _export_pool()
    pending: list[tuple[dict, Future]] = []
    records: list[dict] = []
    failures: list[Failure] = []
    if decision is None:
        decision = incremental.decide([job], out, formats, force=True)[0]
    try:
        reused = _copy_reused(out, job, decision, staging) if decision.reuse else {}
        for nb_path in job.notebooks:
            if nb_path.name in reused:
                records.append(reused[nb_path.name])
                if on_notebook:
                    on_notebook(nb_path.name, True)
                continue
            if on_notebook:
                on_notebook(nb_path.name, False)
            t = time.perf_counter()
            nb, failure = _run_notebook(job, nb_path, staging, cwd, timeout, warm)
            rec = {"notebook": nb_path.name, "status": "ok" if failure is None else "failed",
                   "seconds": round(time.perf_counter() - t, 2), "files": {"ipynb": nb_path.name},
                   "key": decision.keys.get(nb_path.name), "reused": False}
            if failure is not None:
                rec["error"] = asdict(failure)
                failures.append(failure)
            records.append(rec)
            if nb is not None and (failure is not None or "html" in formats or "pdf" in formats):
                nb.cells.insert(0, _nav_cell(job, nb_path.stem, _iso(started_at), prov))
                title = f"{nb_path.stem} — {job.title}"
                pdf = failure is None and "pdf" in formats
                pending.append((rec, pool.submit(_export, nb, staging, nb_path.stem, title, pdf)))
            if on_notebook:
                on_notebook(nb_path.name, True)
        for rec, fut in pending:
            try:
                rec["files"].update(fut.result())
            except Exception as exc:  # noqa: BLE001 - an export failure fails the report like a notebook
                if _disk_error(exc):
                    raise
                if rec["status"] == "ok":
                    failure = Failure(rec["notebook"], None, None, type(exc).__name__, f"export failed: {exc}",
                                      "export")
                    rec["status"], rec["error"] = "failed", asdict(failure)
                    failures.append(failure)
        status = "ok" if not failures else "failed"
        if status == "ok":
            for log in staging.glob("kernel-*.log"):
                log.unlink()
            if "ipynb" not in formats:
                for rec in records:
                    if not rec.get("reused"):
                        (staging / rec["files"].pop("ipynb")).unlink(missing_ok=True)
        finished_at = _now()
        seconds = round(time.perf_counter() - t0, 2)
        build = {"kind": job.kind, "parameters": job.parameters, "slug": job.slug, "status": status,
                 "started": _iso(started_at), "finished": _iso(finished_at), "seconds": seconds,
                 "formats": list(formats), "timeout_per_cell": timeout, "notebooks": records,
                 "failures": [f.describe() for f in failures], "provenance": prov,
                 "keys": dict(decision.keys), "reused": sorted(reused),
                 "ran": [r["notebook"] for r in records if not r.get("reused")]}
        (staging / BUILD_FILE).write_text(json.dumps(build, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                                          encoding="utf-8")
        with _locked(out):
            if status == "ok":
                folder = out / job.key
                _publish(staging, folder)
            else:
                folder = _keep_failed(out, staging, job, started_at.strftime("%Y%m%dT%H%M%S"))
            write_index(out, locked=True)
        return ReportResult(job, status, _iso(started_at), _iso(finished_at), seconds, folder, records, failures)
    except BaseException:
        for _, fut in pending:
            fut.cancel()
        for _, fut in pending:
            if not fut.cancelled():
                try:
                    fut.result(timeout=10)  # let a running export finish writing before the folder goes
                except (FutureTimeout, Exception):  # noqa: BLE001 - the staging folder is discarded anyway
                    pass
        shutil.rmtree(staging, ignore_errors=True)  # leftovers (pid gone) are removed by the next run
        raise


# --------------------------------------------------------------------------------------------------------------
# Many reports
# --------------------------------------------------------------------------------------------------------------

class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: staging removed, nothing published."""


def _raise_terminated(signum: int, frame: Any) -> None:
    raise _Terminated(signum)


def quiet_library_warnings() -> None:
    """Silence library chatter that is not about the reports (call from the command line, not from a library).

    nbconvert warns for every output it has no HTML form for (e.g. ``application/json`` next to a text form),
    and papermill logs what the builder already reports as a failure with notebook and cell.
    """
    import logging
    import warnings

    warnings.filterwarnings("ignore", message="Your element with mimetype", category=UserWarning)
    logging.getLogger("papermill").setLevel(logging.CRITICAL)


def _worker_init() -> None:
    import signal

    signal.signal(signal.SIGTERM, _raise_terminated)
    kernels.skip_iri_grammar()  # a spawned worker imports papermill afresh
    quiet_library_warnings()


def _worker_build(job: ReportJob, out_dir: Path, formats: Sequence[str], timeout: float | None,
                  cwd: Path | None, command: Sequence[str] | None,
                  decision: "incremental.Decision | None" = None, warm_mb: float | None = None) -> ReportResult:
    """In a pool worker: ``warm_mb`` set means this process's warm kernel, with that memory limit."""
    warm = kernels.process_kernel(warm_mb) if warm_mb else None
    return build_report(job, out_dir, formats=formats, timeout=timeout, cwd=cwd, command=command,
                        decision=decision, warm=warm)


def _up_to_date(job: ReportJob, out: Path) -> ReportResult:
    now = _iso(_now())
    return ReportResult(job, UP_TO_DATE, now, now, 0.0, out / job.key)


def build_reports(jobs: Sequence[ReportJob], out_dir: Path | str, *, workers: int = 1,
                  formats: Sequence[str] = DEFAULT_FORMATS, timeout: float | None = DEFAULT_TIMEOUT,
                  cwd: Path | str | None = None, command: Sequence[str] | None = None, progress: bool = True,
                  echo: Callable[[str], None] | None = None, force: bool = False,
                  inputs: "incremental.Inputs | None" = None, fresh_kernels: bool = False,
                  kernel_memory_mb: float = kernels.DEFAULT_MEMORY_LIMIT_MB,
                  scheduler: str | None = None) -> list[ReportResult]:
    """Build every job, ``workers`` parameter sets at a time in separate processes, with progress bars.

    Incremental: :func:`shanxi_analysis.incremental.decide` keys every notebook first; a set whose keys all match
    its last good build is reported :data:`UP_TO_DATE` and not run, and in the others only the notebooks whose key
    changed run (the rest are copied from the last good build).  ``force`` runs everything; ``inputs`` overrides
    the digests of data, code, requirements and template (tests).

    Warm kernels (default): each worker keeps one kernel and runs its notebooks one after another in it, each from
    a fresh namespace (:mod:`shanxi_analysis.kernels`); ``fresh_kernels`` starts a kernel per notebook instead.

    Two back-ends run what was decided: the local pool (``workers`` processes, the default), or with ``scheduler``
    (``tcp://HOST:PORT``) an existing Dask cluster (:mod:`shanxi_analysis.dask_backend`): workers return the
    executed notebooks and pages as bytes and this process publishes them.

    Validate first (:func:`validate_params`, :func:`check_output_dir`, :func:`check_formats`). Stale staging
    folders of dead runs are removed first; the index is rewritten after every report. A failing parameter set
    does not stop the others. ``KeyboardInterrupt`` (Ctrl-C, or SIGTERM in workers) removes unfinished staging
    folders and propagates.
    """
    from tqdm.auto import tqdm

    out = Path(out_dir).absolute()
    say = echo or (lambda s: tqdm.write(s, file=sys.stderr))
    for stale in clean_stale_staging(out):
        say(f"removed stale staging folder {stale} (left by an interrupted run)")
    results: list[ReportResult] = []
    overall = tqdm(total=len(jobs), desc="reports", unit="set", file=sys.stderr, disable=not progress,
                   position=0, dynamic_ncols=True)
    counts = {"done": 0, "skipped": 0, "failed": 0}
    overall.set_postfix(counts, refresh=False)

    def done(res: ReportResult) -> None:
        results.append(res)
        counts["skipped" if res.status == UP_TO_DATE else "done" if res.ok else "failed"] += 1
        overall.set_postfix(counts, refresh=False)
        overall.update(1)
        mark = "ok    " if res.status == "ok" else "up to date" if res.status == UP_TO_DATE else "FAILED"
        say(f"{mark} {res.job.label:<22} {res.seconds:6.1f} s  {res.folder}")

    decisions = incremental.decide(jobs, out, formats, force=force, inputs=inputs)
    todo = []
    for job, decision in zip(jobs, decisions):
        if decision.up_to_date:
            done(_up_to_date(job, out))
        else:
            todo.append((job, decision))
    warm_mb = None if fresh_kernels else kernel_memory_mb
    warm = None if fresh_kernels or scheduler else kernels.WarmKernel(memory_limit_mb=kernel_memory_mb)
    try:
        if scheduler and todo:
            from . import dask_backend

            dask_backend.run(todo, out, scheduler, formats, check_timeout(timeout), command, done, warm_mb)
        elif workers <= 1 or len(todo) <= 1:
            for job, decision in todo:
                bar = tqdm(total=len(job.notebooks), desc=job.label, unit="notebook", file=sys.stderr,
                           disable=not progress, position=1, leave=False, dynamic_ncols=True)
                try:
                    res = build_report(job, out, formats=formats, timeout=timeout, cwd=cwd, command=command,
                                       on_notebook=lambda name, ran: bar.update(1) if ran
                                       else bar.set_postfix_str(name), decision=decision, warm=warm)
                finally:
                    bar.close()
                done(res)
        else:
            _run_parallel(todo, out, workers, formats, timeout, cwd, command, done, warm_mb)
    finally:
        overall.close()
        if warm is not None:
            warm.close()
    order = {id(j): i for i, j in enumerate(jobs)}
    results.sort(key=lambda r: order.get(id(r.job), 0))
    return results


def _run_parallel(todo: Sequence[tuple[ReportJob, "incremental.Decision"]], out: Path, workers: int,
                  formats: Sequence[str],
                  timeout: float | None, cwd: Path | str | None, command: Sequence[str] | None,
                  done: Callable[[ReportResult], None], warm_mb: float | None = None) -> None:
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    ctx = mp.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=ctx, initializer=_worker_init)
    by_future = {}
    try:
        for job, decision in todo:
            by_future[pool.submit(_worker_build, job, out, tuple(formats), timeout,
                                  Path(cwd) if cwd else None, command, decision, warm_mb)] = job
        waiting = set(by_future)
        while waiting:
            finished, waiting = wait(waiting, return_when=FIRST_COMPLETED)
            for fut in finished:
                done(_restore_job(fut.result(), by_future[fut]))
    except BaseException:
        for fut in by_future:
            fut.cancel()
        procs = list(getattr(pool, "_processes", {}).values())
        for proc in procs:
            if proc.is_alive():
                proc.terminate()  # SIGTERM: the worker removes its staging folder
        pool.shutdown(wait=True, cancel_futures=True)
        for proc in procs:  # a worker stopped before it could (e.g. inside a kernel client's own signal handler)
            proc.join(timeout=10)
            for folder in (out / STAGING_DIR).glob(f"{proc.pid}-*"):
                shutil.rmtree(folder, ignore_errors=True)
        raise
    pool.shutdown(wait=True)


def _restore_job(res: ReportResult, job: ReportJob) -> ReportResult:
    res.job = job  # keep identity with the caller's plan after pickling
    return res


def summary(results: Sequence[ReportResult], out_dir: Path | str) -> str:
    """The end-of-run text: built N, failed M with notebook, cell and error, and where the index is."""
    ok = [r for r in results if r.status == "ok"]
    fresh = [r for r in results if r.status == UP_TO_DATE]
    bad = [r for r in results if not r.ok]
    lines = [f"Built {len(ok)} report set(s), {len(bad)} failed."
             + (f" {len(fresh)} up to date (not run; --force rebuilds them)." if fresh else "")]
    for r in bad:
        lines.append(f"FAILED {r.job.label}:")
        lines += [f"  {f.describe()}" for f in r.failures]
        lines.append(f"  executed notebooks kept in {r.folder}; the last good report (if any) is untouched.")
    lines.append(f"Index: {Path(out_dir).absolute() / INDEX_FILE}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------------------
# The index
# --------------------------------------------------------------------------------------------------------------

TEMPLATES = Path(__file__).with_name("templates")
INDEX_TEMPLATE = "index.html.j2"


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


Key = tuple[int, str] | str  # (year, province) for a province story, ARTICLE for the article check


def _collect(out: Path) -> tuple[dict[Key, dict], dict[Key, list[dict]]]:
    """Every published ``build.json`` (latest good per key) and every kept failed attempt, by key."""
    good: dict[Key, dict] = {}
    failed: dict[Key, list[dict]] = {}

    def key(rec: dict) -> Key:
        if rec.get("kind") == ARTICLE:
            return ARTICLE
        return int(rec["parameters"]["year"]), rec["parameters"]["province"]

    for path in [*out.glob(f"[0-9]*/*/{BUILD_FILE}"), out / ARTICLE_DIR / BUILD_FILE]:
        rec = _read_json(path) if path.is_file() else None
        if rec and rec.get("status") == "ok":
            rec["_dir"] = path.parent.relative_to(out).as_posix()
            good[key(rec)] = rec
    for path in [*out.glob(f"{FAILED_DIR}/[0-9]*/*/*/{BUILD_FILE}"),
                 *out.glob(f"{FAILED_DIR}/{ARTICLE_DIR}/*/{BUILD_FILE}")]:
        rec = _read_json(path)
        if rec:
            rec["_dir"] = path.parent.relative_to(out).as_posix()
            failed.setdefault(key(rec), []).append(rec)
    return good, failed


def _pages(rec: dict) -> list[dict[str, Any]]:
    """The pages of a report: name, href of the main file, other formats, in notebook order."""
    base = rec["_dir"]
    pages = []
    for nb in rec.get("notebooks", []):
        files = nb.get("files", {})
        main = files.get("html") or files.get("ipynb")
        if not main:
            continue
        pages.append({"name": Path(nb["notebook"]).stem, "href": f"{base}/{main}",
                      "number": Path(nb["notebook"]).stem.split("-", 1)[0],
                      "extra": [{"format": k, "href": f"{base}/{files[k]}"} for k in ("ipynb", "pdf")
                                if k in files and files[k] != main]})
    return pages


def _entry(key: Key, good: dict | None, fails: list[dict]) -> dict[str, Any]:
    """What the index shows for one report: status, pages of the last good build, the failed latest attempt."""
    fails = sorted(fails, key=lambda r: r.get("finished", ""))
    last_fail = fails[-1] if fails and (good is None or fails[-1].get("finished", "") > good.get("finished", "")) \
        else None
    rec = last_fail or good
    label = "The China Daily article check" if key == ARTICLE else f"{key[1]}, {key[0]}"
    return {
        "label": label, "status": "failed" if last_fail else "ok",
        "finished": str(rec.get("finished", "")).replace("T", " ").replace("+00:00", " UTC"),
        "seconds": float(rec.get("seconds") or 0),
        "pages": _pages(good) if good else [], "build_json": f"{good['_dir']}/{BUILD_FILE}" if good else None,
        "good_finished": str(good.get("finished", "")) if good else None,
        "errors": list(last_fail.get("failures", [])) if last_fail else [],
        "kept": last_fail["_dir"] if last_fail else None,
    }


def index_data(out_dir: Path | str) -> dict[str, Any]:
    """What ``index.html`` shows, from every ``build.json`` under ``out_dir``: the article check, the grid of
    province stories (provinces x years), failed latest attempts, and how the latest build was made."""
    out = Path(out_dir)
    good, failed = _collect(out)
    keys = set(good) | set(failed)
    article = _entry(ARTICLE, good.get(ARTICLE), failed.get(ARTICLE, [])) if ARTICLE in keys else None
    stories = {k: _entry(k, good.get(k), failed.get(k, [])) for k in keys if k != ARTICLE}
    years = sorted({k[0] for k in stories})
    provinces = sorted({k[1] for k in stories})
    grid = [{"province": p, "cells": [stories.get((y, p)) for y in years]} for p in provinces]
    failures = [e for k, e in sorted(stories.items(), key=lambda kv: (-kv[0][0], kv[0][1]))
                if e["status"] == "failed"]
    if article and article["status"] == "failed":
        failures.insert(0, article)
    latest = max(list(good.values()) + [r for rs in failed.values() for r in rs],
                 key=lambda r: r.get("finished", ""), default=None)
    return {"article": article, "years": years, "grid": grid, "failures": failures,
            "n_good": sum(1 for k in good if k != ARTICLE), "made": _how_made(latest, good) if latest else None}


def _how_made(latest: dict, good: dict) -> dict[str, Any]:
    prov = latest.get("provenance", {})
    dm = prov.get("data_manifest", {})
    differ = [("the article check" if k == ARTICLE else f"{k[1]} {k[0]}") for k, r in good.items()
              if r.get("provenance", {}).get("data_manifest", {}).get("sha256") != dm.get("sha256")
              or r.get("provenance", {}).get("version") != prov.get("version")]
    what = ("the article check" if latest.get("kind") == ARTICLE else
            f"{latest['parameters']['province']}, {latest['parameters']['year']}")
    return {"what": what, "finished": str(latest.get("finished", "")), "version": str(prov.get("version")),
            "command": " ".join(prov.get("command") or []) or "(called from Python)",
            "timeout": latest.get("timeout_per_cell"),
            "libraries": {"python": prov.get("python", ""), **prov.get("libraries", {})},
            "manifest_path": str(dm.get("path", "")), "manifest_sha256": str(dm.get("sha256", "")),
            "resources": dict(dm.get("resources", {})), "differ": differ}


def render_index(out_dir: Path | str) -> str:
    """The HTML of ``index.html`` from every ``build.json`` under ``out_dir`` (pure apart from reading them).

    Rendered with the Jinja2 template ``templates/index.html.j2`` with autoescaping on, so no text from a
    ``build.json`` (an error message, a command line) can become markup.
    """
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.get_template(INDEX_TEMPLATE).render(**index_data(out_dir), build_file=BUILD_FILE)


def write_index(out_dir: Path | str, *, locked: bool = False) -> Path:
    """Regenerate ``index.html`` from every ``build.json``, under the lock, via a temporary file."""
    out = Path(out_dir)
    path = out / INDEX_FILE
    if locked:
        _write_atomic(path, render_index(out))
    else:
        with _locked(out):
            _write_atomic(path, render_index(out))
    return path
