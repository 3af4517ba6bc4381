"""Building one report set: every notebook of a :class:`~shanxi_analysis.publish.planning.ReportJob` executed
(:mod:`.execute`), exported (:mod:`.export`) and published atomically (:mod:`.staging`), with its ``build.json`` and
the index updated (:mod:`.index`), and how it was made (:func:`provenance`: versions, data checksums, command).
The back-ends of :mod:`.reports` (this process, the local pool, a Dask worker) all build a set with
:func:`build_report`."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import json
import platform
import shutil
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import config
from ..handoff import read_glued
from . import incremental, kernels
from .execute import is_disk_error, run_notebook
from .export import DATAPACKAGE_FILE, datapackage, export_notebook, export_thread, nav_cell, page_name
from .index import read_json, write_index
from .planning import (
    BUILD_FILE,
    DEFAULT_FORMATS,
    DEFAULT_TIMEOUT,
    LIBRARIES,
    Failure,
    ReportJob,
    ReportResult,
    check_timeout,
)
from .staging import keep_failed, lock, new_staging, swap_in


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def provenance(command: Sequence[str] | None = None) -> dict[str, Any]:
    """How a report set is made: package and library versions, data manifest checksums, command line."""
    from .. import data

    manifest = config.manifest_path()
    try:
        manifest_sha = hashlib.sha256(manifest.read_bytes()).hexdigest()
    except OSError:
        manifest_sha = "missing"
    return {
        "package": "shanxi-analysis",
        "version": config.VERSION,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "libraries": {lib: _version(lib) for lib in LIBRARIES},
        "data_manifest": {
            "path": str(manifest),
            "sha256": manifest_sha,
            "resources": {name: r.sha256 for name, r in sorted(data.manifest().items())},
        },
        "command": list(command) if command is not None else None,
    }


def utc_now() -> dt.datetime:
    """The current time, in UTC (recorded in ``build.json``)."""
    return dt.datetime.now(dt.timezone.utc)


def iso(t: dt.datetime) -> str:
    """``t`` as ISO 8601 to the second, as ``build.json`` and the index show it."""
    return t.isoformat(timespec="seconds")


def _copy_reused(out: Path, job: ReportJob, decision: incremental.Decision, staging: Path) -> dict[str, dict]:
    """Copy the notebooks ``decision`` reuses from the published report into ``staging``; their records.

    Checked again under the lock (another run may have published since the plan was made): a notebook whose key
    or files no longer match is run instead.
    """
    folder = out / job.key
    with lock(out):
        published = read_json(folder / BUILD_FILE) or {}
        ok = incremental.reusable(published, folder, decision.keys) & decision.reuse
        records = {}
        for rec in published.get("notebooks", []):
            if rec.get("notebook") in ok:
                for name in rec["files"].values():
                    shutil.copy2(folder / name, staging / name)  # a copy: a kept failed attempt is edited later
                records[rec["notebook"]] = {
                    **rec,
                    "reused": True,
                    "built": rec.get("built") or published.get("finished"),
                }
    return records


def _submit(
    pool: Any,
    job: ReportJob,
    nb: Any,
    rec: dict,
    staging: Path,
    started_at: dt.datetime,
    prov: dict[str, Any],
    formats: Sequence[str],
    unpublished: set[str],
) -> Future:
    """Send a page to the export thread, its navigation cell listing the pages published so far (an unpublished
    page marked later makes :func:`build_report` export the pages that link to it again)."""
    stem = Path(rec["notebook"]).stem
    stems = [p.stem for p in job.notebooks if p.stem not in unpublished]
    page = copy.copy(nb)
    page.cells = [nav_cell(job, stem, iso(started_at), prov, stems=stems), *nb.cells]
    nb.metadata["shanxi_nav"] = stems
    pdf = rec["status"] == "ok" and "pdf" in formats
    title = f"{page_name(stem, job.lang)} — {job.title}"  # the reader's name of the page, in its language
    return pool.submit(export_notebook, page, staging, stem, title, pdf, job.lang)


def build_report(
    job: ReportJob,
    out_dir: Path | str,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    timeout: float | None = DEFAULT_TIMEOUT,
    cwd: Path | str | None = None,
    command: Sequence[str] | None = None,
    on_notebook: Callable[[str, bool], None] | None = None,
    decision: incremental.Decision | None = None,
    warm: kernels.WarmKernel | None = None,
) -> ReportResult:
    """Run every notebook of ``job`` and publish the report atomically; record a failure otherwise.

    Parameters
    ----------
    job
        The parameter set (validate it first with :func:`~.planning.validate_params`).
    out_dir
        The reports folder (checked with :func:`~.planning.check_output_dir`).
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
        From :func:`shanxi_analysis.publish.incremental.decide`: every notebook's key, and those the last good build of
        the same parameters provides unchanged (copied, not run, after checking again under the lock).  None: run
        every notebook (keys are still recorded).
    warm
        Run the notebooks one after another in this kept kernel (:mod:`shanxi_analysis.publish.kernels`), each
        from a fresh namespace; None: a new kernel per notebook.

    Returns
    -------
    ReportResult
        ``status`` "ok" with ``folder`` the published report, or "failed" with ``folder`` the kept attempt
        and ``failures`` naming notebook, cell and error. The index is updated either way.
    """
    out = Path(out_dir).absolute()
    cwd = Path(cwd) if cwd else job.notebooks[0].parent
    timeout = check_timeout(timeout)  # never NaN or a fraction in the kernel client or in build.json
    started_at = utc_now()
    t0 = time.perf_counter()
    prov = provenance(command)
    staging = new_staging(out)
    pool = export_thread()
    pending: list[tuple[dict, Future]] = []
    exported: list[tuple[dict, Any]] = []  # (record, executed notebook) of every page sent to the export thread
    unpublished: set[str] = set()  # pages a notebook marked with a glued page_publish=False
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
            nb, failure = run_notebook(job, nb_path, staging, cwd, timeout, warm)
            rec: dict[str, Any] = {
                "notebook": nb_path.name,
                "status": "ok" if failure is None else "failed",
                "seconds": round(time.perf_counter() - t, 2),
                "files": {"ipynb": nb_path.name},
                "key": decision.keys.get(nb_path.name),
                "key_parts": decision.parts.get(nb_path.name),
                "reused": False,
            }
            if failure is not None:
                rec["error"] = asdict(failure)
                failures.append(failure)
            glued = read_glued(nb) if nb is not None else {}
            rec["glue"] = glued
            if nb is not None and failure is None:
                rec[incremental.INPUTS_KEY] = dict(
                    nb.metadata.get(incremental.INPUTS_KEY) or {}
                )  # the raw files it read: incremental
            records.append(rec)
            if failure is None and glued.get("page_publish") is False:
                # the notebook says its page has nothing new for these parameters: not published, reason recorded
                rec["published"] = False
                rec["reason"] = str(glued.get("page_reason") or "nothing new for these parameters")
                (staging / rec["files"].pop("ipynb")).unlink(missing_ok=True)
                unpublished.add(nb_path.stem)
                stale = [(r, n) for r, n in exported if nb_path.stem in n.metadata.get("shanxi_nav", [])]
                for r, n in stale:  # pages already exported link to this one: export them again without it
                    pending.append((r, _submit(pool, job, n, r, staging, started_at, prov, formats, unpublished)))
            elif nb is not None and (failure is not None or "html" in formats or "pdf" in formats):
                exported.append((rec, nb))
                pending.append((rec, _submit(pool, job, nb, rec, staging, started_at, prov, formats, unpublished)))
            if on_notebook:
                on_notebook(nb_path.name, True)
        for rec, fut in pending:
            try:
                files = dict(fut.result())
                rec["figures"] = files.pop("figures", [])
                rec["files"].update(files)
            except Exception as exc:  # noqa: BLE001 - an export failure fails the report like a notebook
                if is_disk_error(exc):
                    raise
                if rec["status"] == "ok":
                    failure = Failure(
                        rec["notebook"], None, None, type(exc).__name__, f"export failed: {exc}", "export"
                    )
                    rec["status"], rec["error"] = "failed", asdict(failure)
                    failures.append(failure)
        status = "ok" if not failures else "failed"
        if status == "ok" and ("html" in formats or "pdf" in formats):
            (staging / DATAPACKAGE_FILE).write_text(
                json.dumps(datapackage(job, records), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                encoding="utf-8",
            )
        if status == "ok":
            for log in staging.glob("kernel-*.log"):
                log.unlink()
            if "ipynb" not in formats:
                for rec in records:
                    if not rec.get("reused") and "ipynb" in rec["files"]:
                        (staging / rec["files"].pop("ipynb")).unlink(missing_ok=True)
        finished_at = utc_now()
        seconds = round(time.perf_counter() - t0, 2)
        build = {
            "kind": job.kind,
            "parameters": job.parameters,
            "slug": job.slug,
            "status": status,
            "started": iso(started_at),
            "finished": iso(finished_at),
            "seconds": seconds,
            "formats": list(formats),
            "timeout_per_cell": timeout,
            "notebooks": records,
            "failures": [f.describe() for f in failures],
            "provenance": prov,
            "keys": dict(decision.keys),
            "reused": sorted(reused),
            "ran": [r["notebook"] for r in records if not r.get("reused")],
        }
        (staging / BUILD_FILE).write_text(
            json.dumps(build, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8"
        )
        with lock(out):
            if status == "ok":
                folder = out / job.key
                swap_in(staging, folder)
            else:
                folder = keep_failed(out, staging, job, started_at.strftime("%Y%m%dT%H%M%S"))
            write_index(out, locked=True)
        return ReportResult(job, status, iso(started_at), iso(finished_at), seconds, folder, records, failures)
    except BaseException:
        for _, fut in pending:
            fut.cancel()
        for _, fut in pending:
            if not fut.cancelled():
                # let a running export finish writing before the folder goes; the staging folder is discarded anyway
                with contextlib.suppress(FutureTimeout, Exception):
                    fut.result(timeout=10)
        shutil.rmtree(staging, ignore_errors=True)  # leftovers (pid gone) are removed by the next run
        raise
